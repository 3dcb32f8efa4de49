import { Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { RbacClusterRoleBinding, RbacRole, RbacRoleBinding, RoleRef, RbacServiceAccount, Subject } from '../../lib';
import { byKind } from '../util';

// References by name are resolved app-wide at synth (validation rule binding-refs); RBAC constructs
// declare their external references to it, so only undeclared, missing ones fail.
describe('references from bindings', () => {
  const chart = () => new Chart(Testing.app(), 'test', { namespace: 'apps' });

  test('a Role or ClusterRole given by name must be in the app', () => {
    const c = chart();
    new RbacRoleBinding(c, 'b', { role: RoleRef.role('missing'), subjects: [Subject.user('jane')] });
    new RbacClusterRoleBinding(c, 'cb', { role: RoleRef.clusterRole('missing-too'), subjects: [Subject.user('jane')] });
    expect(() => Testing.synth(c)).toThrow(
      /RoleBinding\/b roleRef\.name: Role "missing" is not in namespace "apps" of the app[\s\S]*ClusterRoleBinding\/cb roleRef\.name: ClusterRole "missing-too" is neither in the app nor predefined/,
    );
  });

  test('by name, found in the app: ours, cdk8s-plus, and raw objects', () => {
    const c = chart();
    new RbacRole(c, 'reader');
    new plus.ServiceAccount(c, 'plus-sa', { metadata: { name: 'plus-sa' } });
    new RbacServiceAccount(c, 'ours');
    new RbacRoleBinding(c, 'b', {
      role: RoleRef.role('reader'),
      subjects: [Subject.serviceAccount('plus-sa'), Subject.serviceAccount('ours', 'apps')],
    });
    expect(byKind(Testing.synth(c), 'RoleBinding')[0].subjects).toEqual([
      { kind: 'ServiceAccount', name: 'plus-sa', namespace: 'apps' },
      { kind: 'ServiceAccount', name: 'ours', namespace: 'apps' },
    ]);
  });

  test('a ServiceAccount given by name must be in the app (in the binding namespace unless told)', () => {
    const c = chart();
    new RbacRoleBinding(c, 'b', {
      role: RoleRef.VIEW,
      subjects: [Subject.serviceAccount('ghost'), Subject.serviceAccount('other', 'kube-system')],
    });
    expect(() => Testing.synth(c)).toThrow(
      /subjects\[0\]\.name: ServiceAccount "ghost" is not in namespace "apps"[\s\S]*subjects\[1\]\.name: ServiceAccount "other" is not in namespace "kube-system"/,
    );
  });

  test('declared external: roles and ServiceAccounts (ours and imported cdk8s-plus ones)', () => {
    const c = chart();
    new RbacRoleBinding(c, 'b', {
      role: RoleRef.externalRole('installed-by-helm'),
      subjects: [
        Subject.externalServiceAccount('ci', 'tools'),
        plus.ServiceAccount.fromServiceAccountName(c, 'imported', 'builder', { namespaceName: 'tools' }),
      ],
    });
    new RbacClusterRoleBinding(c, 'cb', {
      role: RoleRef.externalClusterRole('system:auth-delegator'),
      subjects: [Subject.externalServiceAccount('ci', 'tools')],
    });
    new RbacClusterRoleBinding(c, 'other', { role: RoleRef.externalClusterRole('vendor-role'), subjects: [Subject.group('g')] });
    const m = Testing.synth(c);
    expect(byKind(m, 'RoleBinding')[0].subjects).toEqual([
      { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
      { kind: 'ServiceAccount', name: 'builder', namespace: 'tools' },
    ]);
    expect(byKind(m, 'ClusterRoleBinding').map((b) => b.roleRef.name)).toEqual(['system:auth-delegator', 'vendor-role']);
  });
});
