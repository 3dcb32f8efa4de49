import { App } from 'cdk8s';
import { addNetworkCrd } from '../../apps/network-crd';
import { addRbacBasics } from '../../apps/rbac-basics';
import { PermissionReport } from '../../lib';
import { byKind, expectValidManifests, synthExample } from '../util';

describe('rbac-basics example (seed 001 §26, corrected)', () => {
  test('strict schema', () => {
    const m = synthExample(addRbacBasics);
    expectValidManifests(m);
  });

  test('example-role, example-rolebinding and example-sa in mynamespace', () => {
    const m = synthExample(addRbacBasics);
    expect(m.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'v1 ServiceAccount mynamespace/example-sa',
      'rbac.authorization.k8s.io/v1 Role mynamespace/example-role',
      'rbac.authorization.k8s.io/v1 RoleBinding mynamespace/example-rolebinding',
    ]);
    const binding = byKind(m, 'RoleBinding')[0];
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'example-role' });
  });

  test('the ServiceAccount may only get/list/watch pods and get my-config', () => {
    const app = new App();
    const binding = addRbacBasics(app);
    const sa = binding.subjects[1];
    expect(PermissionReport.of(sa, app)).toEqual([
      { namespace: 'mynamespace', verb: 'get', resource: 'configmaps', resourceName: 'my-config' },
      { namespace: 'mynamespace', verb: 'get', resource: 'pods' },
      { namespace: 'mynamespace', verb: 'list', resource: 'pods' },
      { namespace: 'mynamespace', verb: 'watch', resource: 'pods' },
    ]);
    expect(PermissionReport.format(app)).toMatchSnapshot();
  });
});

describe('network-crd example (seed 001 §24–25)', () => {
  test('strict schema', () => {
    const m = synthExample(addNetworkCrd);
    expectValidManifests(m);
  });

  test('the controller can watch networks and pods and nothing more', () => {
    const app = new App();
    const access = addNetworkCrd(app);
    expect(PermissionReport.of(access.subject, app)).toEqual([
      { namespace: '*', verb: 'get', resource: 'networks.samplecrd.k8s.io' },
      { namespace: '*', verb: 'list', resource: 'networks.samplecrd.k8s.io' },
      { namespace: '*', verb: 'watch', resource: 'networks.samplecrd.k8s.io' },
      { namespace: '*', verb: 'get', resource: 'pods' },
      { namespace: '*', verb: 'list', resource: 'pods' },
      { namespace: '*', verb: 'watch', resource: 'pods' },
    ]);
    const m = synthExample(addNetworkCrd);
    expect(byKind(m, 'CustomResourceDefinition')[0].metadata.name).toBe('networks.samplecrd.k8s.io');
    expect(byKind(m, 'Deployment')[0].spec.template.spec).toMatchObject({
      serviceAccountName: 'network-controller',
      automountServiceAccountToken: true,
    });
    expect(byKind(m, 'ClusterRoleBinding')[0].subjects).toEqual([
      { kind: 'ServiceAccount', name: 'network-controller', namespace: 'samplecrd-system' },
    ]);
  });
});
