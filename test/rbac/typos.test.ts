import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  Access,
  NodeAgent,
  PodSecurity,
  RbacClusterRole,
  RbacResource,
  RbacRole,
  RbacServiceAccount,
  Validation,
  Verbs,
  Warnings,
} from '../../lib';
import { byKind } from '../util';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'apps' });

describe('typos are errors: verbs per resource, resources everywhere rules are accepted', () => {
  test("to('get', 'lsit') fails with did you mean", () => {
    const c = chart();
    const sa = new RbacServiceAccount(c, 'sa');
    expect(() => new Access(c, 'team').allow(sa).to('get', 'lsit').on(RbacResource.PODS)).toThrow(
      /verbs: "lsit" is not a verb of pods \(did you mean "list"\?\); it answers get, list, watch, create, update, patch, delete, deletecollection/,
    );
  });

  test('a verb the resource does not answer is an error; presets keep the verbs it answers', () => {
    const c = chart();
    const role = new RbacRole(c, 'r');
    expect(() => role.allow('list').on(RbacResource.PODS_LOG)).toThrow(/"list" is not a verb of pods\/log; it answers get/);
    expect(() => role.allow('bind').on(RbacResource.PODS)).toThrow(/"bind" is not a verb of pods/);
    role.allow(Verbs.READ).on(RbacResource.PODS_LOG, RbacResource.PODS);
    role.allow('bind', 'escalate').on('roles.rbac.authorization.k8s.io');
    role.acceptRisks('privilege-escalation' as any);
    const [json] = byKind(Testing.synth(c), 'Role');
    expect(json.rules).toContainEqual({ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] });
    expect(json.rules).toContainEqual({ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] });
  });

  test('kubectl notation: an unknown built-in name suggests the closest one', () => {
    const role = new RbacRole(chart(), 'r');
    expect(() => role.allow('get').on('confimaps')).toThrow(
      /"confimaps" is not a built-in Kubernetes 1\.27 resource \(did you mean "configmaps"\?\)/,
    );
    expect(() => role.allow('get').on(RbacResource.custom({ group: 'apps', resource: 'deploymnets' }))).toThrow(
      /"deploymnets\.apps" is not a resource of API group "apps" in Kubernetes 1\.27 \(did you mean "deployments"\?\)/,
    );
  });

  test('custom verbs: an error unless declared with Verbs.custom (aggregated APIs, custom resources)', () => {
    const c = chart();
    const role = new RbacRole(c, 'r');
    const widgets = RbacResource.custom({ group: 'example.com', resource: 'widgets' });
    expect(() => role.allow('frobnicate').on(widgets)).toThrow(
      /"frobnicate" is not a Kubernetes verb.*hint: .*Verbs\.custom\('frobnicate'\)/,
    );
    expect(() => role.allow('lsit').on(widgets)).toThrow(/"lsit" is not a Kubernetes verb \(did you mean "list"\?\)/);
    role.allow(Verbs.custom('frobnicate'), 'get').on(widgets);
    expect(byKind(Testing.synth(c), 'Role')[0].rules).toEqual([
      { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'frobnicate'] },
    ]);
    // on a built-in resource a custom verb is still an error
    expect(() => new RbacClusterRole(chart(), 'x').allow(Verbs.custom('frobnicate')).on(RbacResource.NODES)).toThrow(
      /"frobnicate" is not a verb of nodes/,
    );
  });

  test('NodeAgent rules: resources and verbs are checked too', () => {
    const agent = (rules: any[]) =>
      new NodeAgent(chart(), 'agent', {
        podSecurity: PodSecurity.privileged('test'),
        containers: [{ name: 'a', image: 'example/agent:1.0' }],
        rules,
      });
    expect(() => agent([{ resources: ['nodse'], verbs: ['get'] }])).toThrow(
      /resources: "nodse" is not a resource of API group "core" in Kubernetes 1\.27 \(did you mean "nodes"\?\)/,
    );
    expect(() => agent([{ resources: ['nodes'], verbs: ['lsit'] }])).toThrow(/"lsit" is not a verb of nodes \(did you mean "list"\?\)/);
    expect(() => agent([{ apiGroups: ['metrics.k8s.io'], resources: ['nodes'], verbs: ['get', 'list'] }])).not.toThrow();
    expect(() => agent([{ apiGroups: ['example.com'], resources: ['gadgets'], verbs: ['get'], customVerbs: ['use'] }])).not.toThrow();
  });
});

describe('resourceNames are cross-checked against the objects of the app', () => {
  test('a name of a kind the app defines, but no such object, is a warning on the role', () => {
    const c = chart();
    new ApiObject(c, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } });
    const role = new RbacRole(c, 'reader');
    role.allow('get').on(RbacResource.CONFIG_MAPS.named('setings', 'settings'));
    role.allow('get').on(RbacResource.SECRETS.named('tls')); // no Secret in the app: nothing to compare with
    Testing.synth(c);
    expect(Warnings.of(c).map((w) => w.message)).toEqual([
      '[rbac-resource-names] Role/reader rules[0].resourceNames: configmaps "setings" is not in the app (namespace "apps"), which defines other ConfigMaps there: a typo grants nothing (if it is created outside the app, declare it: Validation.external(scope, { ... }))',
    ]);
  });

  test('declared external objects are not warned about', () => {
    const c = chart();
    new ApiObject(c, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } });
    Validation.external(c, { configMaps: ['operator-config'] });
    new RbacRole(c, 'reader').allow('get').on(RbacResource.CONFIG_MAPS.named('operator-config'));
    Testing.synth(c);
    expect(Warnings.of(c)).toEqual([]);
  });
});

describe('non-resource URLs answer the lower-cased HTTP method', () => {
  test('a typo is an error; presets keep get', () => {
    const c = chart();
    const role = new RbacClusterRole(c, 'probes');
    expect(() => role.allow('gte').onUrls('/healthz')).toThrow(/"gte" is not a verb of non-resource URLs \(did you mean "get"\?\)/);
    expect(() => role.allow('list').onUrls('/healthz')).toThrow(/"list" is not a verb of non-resource URLs/);
    role.allow(Verbs.READ).onUrls('/metrics');
    expect(byKind(Testing.synth(c), 'ClusterRole')[0].rules).toEqual([{ nonResourceURLs: ['/metrics'], verbs: ['get'] }]);
  });
});
