import { Chart, Testing } from 'cdk8s';
import {
  Access,
  RbacClusterRole,
  RbacClusterRoleBinding,
  RbacRisk,
  RbacResource,
  RbacRole,
  RbacRoleBinding,
  RbacServiceAccount,
  RoleRef,
  Subject,
  Verbs,
} from '../../lib';
import { PatternError } from '../../lib/core/errors';
import { byKind } from '../util';

function chart(namespace?: string) {
  return new Chart(Testing.app(), 'test', { namespace });
}

function synthError(c: Chart): PatternError {
  try {
    Testing.synth(c);
  } catch (e) {
    return e as PatternError;
  }
  throw new Error('synth did not fail');
}

describe('guard rails: a synth error each, unless the risk is accepted', () => {
  test.each([
    [
      'verbs',
      (r: RbacClusterRole) => r.allow(Verbs.ALL).on(RbacResource.PODS),
      /test\/r\] ClusterRole\/r rules\[0\]\.verbs: "\*" grants every verb.*\[rbac\/wildcard\].*RbacRisk\.WILDCARD/,
    ],
    [
      'resources',
      (r: RbacClusterRole) => r.allow('get').on(RbacResource.custom({ group: 'apps', resource: '*' })),
      /rules\[0\]\.resources: "\*" grants every resource/,
    ],
    [
      'subresources',
      (r: RbacClusterRole) => r.allow('get').on('pods/*'),
      /rules\[0\]\.resources: "pods\/\*" grants every resource below it/,
    ],
    [
      'apiGroups',
      (r: RbacClusterRole) => r.allow('get').on(RbacResource.custom({ group: '*', resource: 'deployments' })),
      /rules\[0\]\.apiGroups: "\*" grants every API group/,
    ],
    ['everything', (r: RbacClusterRole) => r.allow('get').on(RbacResource.ALL), /rules\[0\]\.apiGroups.*\n.*rules\[0\]\.resources/],
    [
      'nonResourceURLs',
      (r: RbacClusterRole) => r.allow('get').onUrls('*'),
      /rules\[0\]\.nonResourceURLs: "\*" grants every non-resource URL/,
    ],
  ])('wildcard in %s', (_what, grant, message) => {
    const c = chart();
    const role = new RbacClusterRole(c, 'r');
    grant(role);
    expect(() => Testing.synth(c)).toThrow(message);
    role.acceptRisks(RbacRisk.WILDCARD);
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test.each(['create', 'deletecollection'])('resourceNames with %s can never match', (verb) => {
    const c = chart();
    const role = new RbacRole(c, 'r');
    role.allow(verb, 'get').on(RbacResource.CONFIG_MAPS.named('my-config'));
    const err = synthError(c);
    expect(err.message).toMatch(
      new RegExp(`test/r\\] Role/r rules\\[0\\]\\.resourceNames: resourceNames with ${verb} can never match.*unmatchable-resource-names`),
    );
    expect(err.problems[0].ruleId).toBe('rbac/unmatchable-resource-names');
    const ok = chart();
    new RbacRole(ok, 'r', { acceptRisks: [RbacRisk.UNMATCHABLE_RESOURCE_NAMES] }).allow(verb).on(RbacResource.CONFIG_MAPS.named('c'));
    expect(() => Testing.synth(ok)).not.toThrow();
  });

  test.each(['escalate', 'bind', 'impersonate'])('the %s verb', (verb) => {
    const c = chart();
    const role = new RbacClusterRole(c, 'r');
    role
      .allow(verb)
      .on(verb === 'impersonate' ? RbacResource.custom({ group: '', resource: 'users', namespaced: false }) : RbacResource.CLUSTER_ROLES);
    expect(() => Testing.synth(c)).toThrow(
      new RegExp(`rules\\[0\\]\\.verbs: ${verb} lets the subject gain permissions it does not hold.*PRIVILEGE_ESCALATION`),
    );
    role.acceptRisks(RbacRisk.PRIVILEGE_ESCALATION);
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('binding cluster-admin, cluster-wide or in a namespace', () => {
    const c = chart();
    new RbacClusterRoleBinding(c, 'root', { role: RoleRef.CLUSTER_ADMIN, subjects: [Subject.group('admins')] });
    new RbacRoleBinding(c, 'ns-root', { role: RoleRef.CLUSTER_ADMIN, subjects: [Subject.user('jane')] });
    const err = synthError(c);
    expect(err.problems.map((p: any) => `${p.path} ${p.object} ${p.field}`)).toEqual([
      'test/root ClusterRoleBinding/root roleRef',
      'test/ns-root RoleBinding/ns-root roleRef',
    ]);
    expect(err.message).toMatch(/roleRef: binds cluster-admin, which gives full control of the cluster \[rbac\/cluster-admin\]/);
    const ok = chart();
    new RbacClusterRoleBinding(ok, 'root', {
      role: RoleRef.CLUSTER_ADMIN,
      subjects: [Subject.group('admins')],
      acceptRisks: [RbacRisk.CLUSTER_ADMIN],
    });
    expect(byKind(Testing.synth(ok), 'ClusterRoleBinding')[0].roleRef.name).toBe('cluster-admin');
  });

  test('Access passes accepted risks to what it creates, also when accepted later', () => {
    const c = chart();
    const access = new Access(c, 'ops');
    access.allow(Subject.group('ops')).clusterWide().to(Verbs.ALL).on(RbacResource.ALL);
    access.allow(Subject.group('ops')).clusterWide().withRole(RoleRef.CLUSTER_ADMIN);
    expect(synthError(c).problems.map((p: any) => p.ruleId)).toEqual([
      'rbac/wildcard',
      'rbac/wildcard',
      'rbac/wildcard',
      'rbac/cluster-admin',
    ]);
    access.acceptRisks(RbacRisk.WILDCARD, RbacRisk.CLUSTER_ADMIN);
    expect(() => Testing.synth(c)).not.toThrow();
    const early = chart();
    new Access(early, 'ops', { acceptRisks: [RbacRisk.WILDCARD] })
      .allow(Subject.group('ops'))
      .clusterWide()
      .to(Verbs.ALL)
      .on(RbacResource.PODS);
    expect(() => Testing.synth(early)).not.toThrow();
  });

  test('the same problems are reported by PatternsApp synth', () => {
    const { PatternsApp } = require('../../lib');
    const app = new PatternsApp({ outdir: require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'rbac-')) });
    new RbacRole(new Chart(app, 'c'), 'r').allow('*').on(RbacResource.PODS);
    expect(() => app.synthYaml()).toThrow(/c\/r\] Role\/r rules\[0\]\.verbs: "\*" grants every verb/);
  });
});

describe('other synth errors', () => {
  test('a ClusterRoleBinding to a ServiceAccount without namespace (cdk8s-plus emits this; the API server rejects it)', () => {
    const c = chart(undefined);
    const sa = new RbacServiceAccount(c, 'sa');
    new RbacClusterRole(c, 'reader').bind(sa);
    expect(() => Testing.synth(c)).toThrow(
      /ClusterRoleBinding\/reader subjects\[0\]\.namespace: is required for a ServiceAccount subject of a ClusterRoleBinding/,
    );
  });

  test('a RoleBinding in a namespace to a ServiceAccount of unknown namespace', () => {
    const c = chart(undefined);
    const sa = new RbacServiceAccount(c, 'sa');
    new Access(c, 'a').allow(sa).inNamespace('team').read(RbacResource.PODS);
    expect(() => Testing.synth(c)).toThrow(
      /subjects\[0\]\.namespace: ServiceAccount "sa" has no namespace \(its chart has none\) while the binding is in "team"/,
    );
  });

  test('a binding without subjects', () => {
    const c = chart();
    new RbacRoleBinding(c, 'b', { role: RoleRef.VIEW });
    expect(() => Testing.synth(c)).toThrow(/test\/b\] RoleBinding\/b subjects: has no subjects, so it grants nothing/);
  });

  test('an aggregated ClusterRole with rules of its own', () => {
    const c = chart();
    new RbacClusterRole(c, 'agg', { aggregationSelectors: [{ 'example.com/aggregate-to-monitoring': 'true' }] })
      .allow('get')
      .on(RbacResource.PODS);
    expect(() => Testing.synth(c)).toThrow(/ClusterRole\/agg rules: an aggregated ClusterRole has its rules replaced/);
  });
});

describe('construction errors', () => {
  test('binding a Role of another namespace, or a Role cluster-wide', () => {
    const c = chart();
    const role = new RbacRole(c, 'r', { namespace: 'a' });
    expect(() => new RbacRoleBinding(c, 'b', { role, namespace: 'b', subjects: [Subject.user('u')] })).toThrow(
      /test\/b\] RoleBinding\/b role: Role "r" is in namespace "a" but the binding is in namespace "b"/,
    );
    expect(() => new RbacClusterRoleBinding(c, 'cb', { role, subjects: [Subject.user('u')] })).toThrow(
      /test\/cb\] ClusterRoleBinding\/cb role: a ClusterRoleBinding can only grant a ClusterRole/,
    );
    expect(() => new Access(c, 'x').allow(Subject.user('u')).clusterWide().withRole(role)).toThrow(
      /test\/x\] role: Role "r" cannot be granted cluster-wide/,
    );
  });

  test('RBAC names: the construct and validation hold them to one rule (a path segment, no length limit, as ValidateRBACName)', () => {
    const c = chart();
    const long = `team:${'x'.repeat(300)}`;
    const role = new RbacRole(c, 'long', { name: long });
    role.allow('get').on(RbacResource.PODS);
    role.bind(Subject.user('u'));
    expect(Testing.synth(c).filter((o: any) => o.kind === 'Role')[0].metadata.name).toBe(long);
  });

  test('bad names and selectors', () => {
    const c = chart();
    expect(() => new RbacRole(c, 'r', { name: 'a/b' })).toThrow(/test\/r\] name: "a\/b" is not a valid path segment/);
    expect(() => new RbacClusterRole(c, 'e', { aggregationSelectors: [{}] })).toThrow(/aggregationSelectors\[0\]: an empty selector/);
    expect(() => new RbacClusterRole(c, 'l', { aggregationSelectors: [{ 'bad key!': 'x' }] })).toThrow(
      /aggregationSelectors\[0\]\.bad key!: label key/,
    );
  });

  test('aggregateInto only view/edit/admin or an aggregated ClusterRole', () => {
    const c = chart();
    const plain = new RbacClusterRole(c, 'plain');
    const r = new RbacClusterRole(c, 'r');
    expect(() => r.aggregateInto(RoleRef.CLUSTER_ADMIN)).toThrow(/aggregateInto: ClusterRole\/cluster-admin does not aggregate by label/);
    expect(() => r.aggregateInto(plain)).toThrow(/aggregateInto: ClusterRole "plain" is not aggregated/);
  });

  test('grants that cannot be scoped as asked', () => {
    const c = chart();
    const g = new Access(c, 'a').allow(Subject.user('u')).inNamespace('x');
    expect(() => g.read(RbacResource.NODES)).toThrow(
      /test\/a\] resources: "nodes" is cluster-scoped and cannot be granted in namespace "x"/,
    );
    expect(() => g.to('get').onUrls('/healthz')).toThrow(/test\/a\] nonResourceURLs: non-resource URLs are not namespaced/);
    expect(() => new Access(c, 'b').allow()).toThrow(/test\/b\] subjects: allow\(\) needs at least one subject/);
  });

  test('two subjects whose roles would share a name', () => {
    const c = chart();
    const a = new Access(c, 'a');
    a.allow(Subject.user('dev')).read(RbacResource.PODS);
    expect(() => a.allow(Subject.group('dev')).read(RbacResource.PODS)).toThrow(
      /test\/a\] subjects: Group dev and User dev would both get a Role named "a-dev"/,
    );
  });
});
