import { Chart, Size, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { StatefulService } from '../../lib/workloads/stateful-service';
import {
  Access,
  RbacClusterRole,
  IPodWorkload,
  RbacResource,
  RbacRole,
  RbacRoleBinding,
  RoleRef,
  RbacServiceAccount,
  Subject,
  Verbs,
} from '../../lib';
import { byKind, expectValidManifests } from '../util';

function chart(namespace?: string) {
  return new Chart(Testing.app(), 'test', { namespace });
}

/** `Kind namespace/name` of every object, for asserting what was created. */
function objects(c: Chart): string[] {
  return Testing.synth(c).map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`);
}

function db(scope: Chart, id = 'db'): StatefulService {
  return new StatefulService(scope, id, {
    containers: [{ name: 'db', image: 'postgres:16', ports: [{ name: 'pg', number: 5432 }] }],
    claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/postgresql/data' }],
  });
}

describe('scope combinations', () => {
  test('namespaced grant in the chart namespace: Role + RoleBinding named <access>-<subject>', () => {
    const c = chart('apps');
    const sa = new RbacServiceAccount(c, 'reader');
    new Access(c, 'team').allow(sa).to(Verbs.READ).on(RbacResource.PODS);
    expect(objects(c)).toEqual(['ServiceAccount apps/reader', 'Role apps/team-reader', 'RoleBinding apps/team-reader']);
    const [role, binding] = [byKind(Testing.synth(c), 'Role')[0], byKind(Testing.synth(c), 'RoleBinding')[0]];
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-reader' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'reader', namespace: 'apps' }]);
    expectValidManifests(Testing.synth(c));
  });

  test('namespaced grant in another namespace keeps the subject namespace (cross-namespace)', () => {
    const c = chart('apps');
    const sa = new RbacServiceAccount(c, 'reader');
    new Access(c, 'team').allow(sa).inNamespace('monitoring').read(RbacResource.SERVICES, RbacResource.ENDPOINTS);
    expect(objects(c)).toEqual(['ServiceAccount apps/reader', 'Role monitoring/team-reader', 'RoleBinding monitoring/team-reader']);
    expect(byKind(Testing.synth(c), 'RoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'reader', namespace: 'apps' }]);
  });

  test('chart without namespace: objects without namespace, ServiceAccount subject without namespace (same as the binding)', () => {
    const c = chart();
    const sa = new RbacServiceAccount(c, 'reader');
    new Access(c, 'team').allow(sa).read(RbacResource.PODS);
    expect(objects(c)).toEqual(['ServiceAccount -/reader', 'Role -/team-reader', 'RoleBinding -/team-reader']);
    expect(byKind(Testing.synth(c), 'RoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'reader' }]);
    expectValidManifests(Testing.synth(c));
  });

  test('clusterWide: ClusterRole + ClusterRoleBinding without the chart namespace, subject with it', () => {
    const c = chart('apps');
    const sa = new RbacServiceAccount(c, 'reader');
    new Access(c, 'team').allow(sa).clusterWide().read(RbacResource.PODS);
    expect(objects(c)).toEqual(['ServiceAccount apps/reader', 'ClusterRole -/team-reader', 'ClusterRoleBinding -/team-reader']);
    expect(byKind(Testing.synth(c), 'ClusterRoleBinding')[0].subjects).toEqual([
      { kind: 'ServiceAccount', name: 'reader', namespace: 'apps' },
    ]);
    expectValidManifests(Testing.synth(c));
  });

  test('cluster-scoped resources and URLs go to the cluster scope; namespaced ones stay in the namespace', () => {
    const c = chart('apps');
    const g = new Access(c, 'probe').allow(Subject.user('jane'));
    g.read(RbacResource.PODS, RbacResource.NODES);
    g.to('get').onUrls('/healthz');
    expect(objects(c)).toEqual([
      'Role apps/probe-jane',
      'RoleBinding apps/probe-jane',
      'ClusterRole -/probe-jane',
      'ClusterRoleBinding -/probe-jane',
    ]);
    const m = Testing.synth(c);
    expect(byKind(m, 'Role')[0].rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    expect(byKind(m, 'ClusterRole')[0].rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ]);
    expect(byKind(m, 'RoleBinding')[0].subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' }]);
    expectValidManifests(m);
  });

  test('predefined roles in a namespace (RoleBinding to a ClusterRole) and cluster-wide', () => {
    const c = chart('apps');
    const access = new Access(c, 'team');
    access.allow(Subject.group('devs')).withRole(RoleRef.EDIT);
    access.allow(Subject.group('devs')).inNamespace('staging').withRole(RoleRef.VIEW);
    access.allow(Subject.group('auditors')).clusterWide().withRole(RoleRef.VIEW);
    access.allow(Subject.group('devs')).withRole(RoleRef.EDIT);
    expect(objects(c)).toEqual([
      'RoleBinding apps/team-devs-edit',
      'RoleBinding staging/team-devs-view',
      'ClusterRoleBinding -/team-auditors-view',
    ]);
    const m = Testing.synth(c);
    expect(byKind(m, 'RoleBinding')[0].roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' });
    expectValidManifests(m);
  });

  test('a ClusterRole of the app bound in a namespace and cluster-wide; a Role bound through withRole', () => {
    const c = chart('apps');
    const cr = new RbacClusterRole(c, 'secret-reader');
    cr.allow('get').on(RbacResource.SECRETS);
    cr.bindInNamespace('dev', Subject.user('jane'));
    cr.bindInNamespace('dev', Subject.user('joe'));
    cr.bind(Subject.group('sre'));
    const role = new RbacRole(c, 'cm-reader', { namespace: 'tools' });
    role.allow('get').on(RbacResource.CONFIG_MAPS);
    new Access(c, 'a').allow(Subject.user('jane')).withRole(role);
    expect(objects(c)).toEqual([
      'ClusterRole -/secret-reader',
      'RoleBinding dev/secret-reader',
      'ClusterRoleBinding -/secret-reader',
      'Role tools/cm-reader',
      'RoleBinding tools/a-jane-cm-reader',
    ]);
    expect(byKind(Testing.synth(c), 'RoleBinding')[0].subjects.map((s: any) => s.name)).toEqual(['jane', 'joe']);
    expectValidManifests(Testing.synth(c));
  });

  test('bind and bindInNamespace keep their bindings apart; the namespace must be a DNS-1123 label', () => {
    const c = chart('apps');
    const cr = new RbacClusterRole(c, 'secret-reader');
    cr.allow('get').on(RbacResource.SECRETS);
    const cluster = cr.bind(Subject.group('sre'));
    expect(() => cr.bindInNamespace('', Subject.user('jane'))).toThrow(
      /secret-reader.*bindInNamespace\.namespace: must be a non-empty DNS-1123 label/,
    );
    expect(() => cr.bindInNamespace('Dev_1', Subject.user('jane'))).toThrow(
      /bindInNamespace\.namespace: "Dev_1" is not a valid DNS-1123 label/,
    );
    const dev = cr.bindInNamespace('dev', Subject.user('jane'));
    expect(dev).toBeInstanceOf(RbacRoleBinding);
    expect(dev).not.toBe(cluster);
    expect(cr.bind()).toBe(cluster);
    expect(objects(c)).toEqual(['ClusterRole -/secret-reader', 'ClusterRoleBinding -/secret-reader', 'RoleBinding dev/secret-reader']);
  });

  test('one role per subject and scope gathers every grant; several subjects at once', () => {
    const c = chart('apps');
    const a = new RbacServiceAccount(c, 'a');
    const b = new RbacServiceAccount(c, 'b');
    const access = new Access(c, 'x');
    access.allow(a, b).read(RbacResource.PODS);
    access.allow(a).write(RbacResource.CONFIG_MAPS);
    access.allow(a).full(RbacResource.JOBS);
    expect(objects(c).filter((o) => o.startsWith('Role '))).toEqual(['Role apps/x-a', 'Role apps/x-b']);
    expect(access.roles.map((r) => r.name)).toEqual(['x-a', 'x-b']);
    expect(access.bindings.map((r) => r.name)).toEqual(['x-a', 'x-b']);
    expect(byKind(Testing.synth(c), 'Role')[0].rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: ['batch'],
        resources: ['jobs'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
      },
    ]);
  });

  test('names: user names become DNS-safe, an access named like its subject is not repeated', () => {
    const c = chart('apps');
    new Access(c, 'ops').allow(Subject.user('Jane.Doe@example.com')).read(RbacResource.PODS);
    const sa = new RbacServiceAccount(c, 'builder');
    new Access(c, 'builder-access', { name: 'builder' }).allow(sa).read(RbacResource.PODS);
    expect(objects(c)).toEqual([
      'Role apps/ops-jane.doe-example.com',
      'RoleBinding apps/ops-jane.doe-example.com',
      'ServiceAccount apps/builder',
      'Role apps/builder',
      'RoleBinding apps/builder',
    ]);
  });
});

describe('subjects', () => {
  test('Users, Groups, ServiceAccounts of all kinds; duplicates dropped', () => {
    const c = chart('apps');
    const ours = new RbacServiceAccount(c, 'ours', { namespace: 'other' });
    const theirs = new plus.ServiceAccount(c, 'plus-sa', { metadata: { name: 'plus-sa' } });
    const binding = new RbacRoleBinding(c, 'b', {
      role: RoleRef.VIEW,
      subjects: [
        Subject.user('jane'),
        Subject.group('devs'),
        ours,
        theirs,
        Subject.externalServiceAccount('ext', 'kube-system'),
        Subject.allServiceAccounts('ci'),
        Subject.user('jane'),
        plus.User.fromName(c, 'u', 'joe'),
      ],
    });
    expect(byKind(Testing.synth(c), 'RoleBinding')[0].subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ours', namespace: 'other' },
      { kind: 'ServiceAccount', name: 'plus-sa', namespace: 'apps' },
      { kind: 'ServiceAccount', name: 'ext', namespace: 'kube-system' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:ci' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'joe' },
    ]);
    expect(binding.subjects.map(String)).toContain('ServiceAccount other/ours');
  });
});

describe('workloads', () => {
  test('a workload never granted access runs without token and without its own ServiceAccount', () => {
    const c = chart('apps');
    db(c);
    const m = Testing.synth(c);
    expect(byKind(m, 'ServiceAccount')).toEqual([]);
    expect(byKind(m, 'StatefulSet')[0].spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(byKind(m, 'StatefulSet')[0].spec.template.spec.serviceAccountName).toBeUndefined();
  });

  test('Access.forWorkload(workload): own ServiceAccount, token mounted, Role and RoleBinding named after it', () => {
    const c = chart('apps');
    const w = db(c);
    Access.forWorkload(w).read(RbacResource.CONFIG_MAPS);
    Access.forWorkload(w).to('get').on(RbacResource.SECRETS.named('db-tls'));
    const m = Testing.synth(c);
    expect(m.filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/db',
      'Role/db',
      'RoleBinding/db',
    ]);
    const pod = byKind(m, 'StatefulSet')[0].spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe('db');
    expect(byKind(m, 'RoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'db', namespace: 'apps' }]);
    expect(byKind(m, 'Role')[0].rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['db-tls'], verbs: ['get'] },
    ]);
    expectValidManifests(m);
  });

  test('a workload given to any Access as subject; one that has a ServiceAccount of its own keeps it', () => {
    const c = chart('apps');
    const sa = new RbacServiceAccount(c, 'shared');
    const w = new StatefulService(c, 'cache', { serviceAccount: sa, containers: [{ name: 'redis', image: 'redis:7' }] });
    const access = new Access(c, 'ops');
    access.allow(w).read(RbacResource.PODS);
    const m = Testing.synth(c);
    expect(byKind(m, 'ServiceAccount').map((o) => o.metadata.name)).toEqual(['shared']);
    expect(byKind(m, 'StatefulSet')[0].spec.template.spec).toMatchObject({
      serviceAccountName: 'shared',
      automountServiceAccountToken: true,
    });
    expect(byKind(m, 'RoleBinding')[0].metadata.name).toBe('ops-shared');
  });

  test('IPodWorkload fits StatefulService structurally', () => {
    const w: IPodWorkload = db(chart());
    expect(w.name).toBe('db');
  });
});
