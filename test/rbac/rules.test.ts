import { Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { RbacClusterRole, RbacResource, RbacRole, Verbs } from '../../lib';
import { PolicyRules } from '../../lib/rbac/rules';
import { PatternError } from '../../lib/core/errors';
import { byKind } from '../util';

function rulesOf(build: (role: RbacRole) => void) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'ns' });
  const role = new RbacRole(chart, 'r');
  build(role);
  return byKind(Testing.synth(chart), 'Role')[0].rules;
}

describe('rule merging', () => {
  test('the same grant twice is one rule; resources with equal verbs share a rule; output is sorted', () => {
    const a = rulesOf((r) => {
      r.allow('watch', 'get', 'list').on(RbacResource.PODS);
      r.allow(Verbs.READ).on(RbacResource.PODS);
      r.allow(Verbs.READ).on(RbacResource.CONFIG_MAPS);
      r.allow('get').on(RbacResource.DEPLOYMENTS);
    });
    const b = rulesOf((r) => {
      r.allow('get').on(RbacResource.DEPLOYMENTS);
      r.allow(Verbs.READ).on(RbacResource.CONFIG_MAPS, RbacResource.PODS);
    });
    expect(a).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
    ]);
    expect(b).toEqual(a);
  });

  test('named objects: separate rule, verbs already granted on all objects are dropped', () => {
    expect(
      rulesOf((r) => {
        r.allow('get').on(RbacResource.CONFIG_MAPS);
        r.allow('get', 'update').on(RbacResource.CONFIG_MAPS.named('b', 'a'));
        r.allow('update').on(RbacResource.SECRETS.named('tls'));
        r.allow('get').on(RbacResource.SECRETS.named('x'));
      }),
    ).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['a', 'b'], verbs: ['update'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['tls'], verbs: ['update'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['x'], verbs: ['get'] },
    ]);
  });

  test('subresources, kubectl notation, cdk8s-plus ApiResource and custom resources', () => {
    expect(
      rulesOf((r) => {
        r.allow('get').on('pods/log', RbacResource.PODS_EXEC, plus.ApiResource.SERVICES, 'deployments.apps/scale');
        r.allow('get').on(RbacResource.custom({ group: 'samplecrd.k8s.io', resource: 'networks' }), 'widgets.example.com');
      }),
    ).toEqual([
      { apiGroups: [''], resources: ['pods/exec', 'pods/log', 'services'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get'] },
      { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] },
      { apiGroups: ['samplecrd.k8s.io'], resources: ['networks'], verbs: ['get'] },
    ]);
  });

  test('presets: read, write, full; on named objects they leave out create and deletecollection', () => {
    expect(rulesOf((r) => r.allow(Verbs.FULL).on(RbacResource.JOBS))[0].verbs).toEqual([
      'get',
      'list',
      'watch',
      'create',
      'update',
      'patch',
      'delete',
      'deletecollection',
    ]);
    expect(rulesOf((r) => r.allow(Verbs.WRITE).on(RbacResource.CONFIG_MAPS.named('c')))[0].verbs).toEqual(['update', 'patch', 'delete']);
    expect(rulesOf((r) => r.allow(Verbs.READ, Verbs.WRITE).on(RbacResource.CONFIG_MAPS.named('c')))[0].verbs).toEqual([
      'get',
      'list',
      'watch',
      'update',
      'patch',
      'delete',
    ]);
  });

  test('a verb "*" absorbs the others', () => {
    const rules = new PolicyRules();
    rules.addResource(['get', '*'], RbacResource.PODS);
    rules.addResource(['update'], RbacResource.PODS.named('x'));
    expect(rules.toJson()).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]);
  });

  test('non-resource URLs come after resource rules, grouped by verbs', () => {
    const chart = new Chart(Testing.app(), 'test');
    const role = new RbacClusterRole(chart, 'probe');
    role.allow('get').onUrls('/readyz', '/healthz');
    role.allow('get').onUrls('/healthz');
    role.allow('get').on(RbacResource.NODES);
    role.allow('get', 'post').onUrls('/metrics');
    expect(byKind(Testing.synth(chart), 'ClusterRole')[0].rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { nonResourceURLs: ['/healthz', '/readyz'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics'], verbs: ['get', 'post'] },
    ]);
  });

  test('a role with no rules renders no rules field', () => {
    expect(rulesOf(() => undefined)).toBeUndefined();
  });
});

describe('rule input errors', () => {
  const role = () => new RbacRole(new Chart(Testing.app(), 'test'), 'r');
  test('no verbs, bad verbs, no resources, unknown resource names', () => {
    expect(() => role().allow().on(RbacResource.PODS)).toThrow(/test\/r.*verbs.*needs at least one verb/);
    expect(() =>
      role()
        .allow('get list' as any)
        .on(RbacResource.PODS),
    ).toThrow(/verbs.*"get list" is not a verb/);
    expect(() => role().allow('get').on()).toThrow(/resources.*needs at least one resource/);
    expect(() => role().allow('get').on('podz')).toThrow(/resources.*"podz" is not a built-in/);
    expect(() => role().allow('get').on('podz')).toThrow(PatternError);
  });

  test('a Role cannot grant cluster-scoped resources', () => {
    expect(() => role().allow('get').on(RbacResource.NODES)).toThrow(
      /test\/r.*resources.*"nodes" is cluster-scoped; a Role cannot grant it/,
    );
  });

  test('bad non-resource URLs', () => {
    const cr = new RbacClusterRole(new Chart(Testing.app(), 'test'), 'c');
    expect(() => cr.allow('get').onUrls('healthz')).toThrow(/nonResourceURLs.*"healthz" is not a non-resource URL/);
    expect(() => cr.allow('get').onUrls()).toThrow(/nonResourceURLs.*needs at least one URL/);
  });
});
