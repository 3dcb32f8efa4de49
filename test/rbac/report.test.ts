import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { StatefulService } from '../../lib/workloads/stateful-service';
import { Access, PermissionReport, RbacClusterRole, RbacResource, RbacRole, RoleRef, RbacServiceAccount, Subject, Verbs } from '../../lib';
import { ownMetadata } from '../util';

describe('permission report', () => {
  test('PermissionReport.of a ServiceAccount: namespaced and cluster-wide grants, named objects, URLs; sorted', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    const sa = new RbacServiceAccount(c, 'agent');
    const access = new Access(c, 'agent-access', { name: 'agent' });
    access.allow(sa).read(RbacResource.PODS);
    access.allow(sa).to('get', 'update').on(RbacResource.CONFIG_MAPS.named('agent-config'));
    access.allow(sa).to('get').on(RbacResource.NODES);
    access.allow(sa).to('get').onUrls('/metrics');
    expect(PermissionReport.of(sa)).toEqual([
      { namespace: '*', verb: 'get', resource: '/metrics' },
      { namespace: '*', verb: 'get', resource: 'nodes' },
      { namespace: 'apps', verb: 'get', resource: 'configmaps', resourceName: 'agent-config' },
      { namespace: 'apps', verb: 'update', resource: 'configmaps', resourceName: 'agent-config' },
      { namespace: 'apps', verb: 'get', resource: 'pods' },
      { namespace: 'apps', verb: 'list', resource: 'pods' },
      { namespace: 'apps', verb: 'watch', resource: 'pods' },
    ]);
  });

  test('grants to the groups a ServiceAccount belongs to count; predefined roles are named, not expanded', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'ci' });
    const sa = new RbacServiceAccount(c, 'runner');
    const access = new Access(c, 'all');
    access.allow(Subject.allServiceAccounts('ci')).read(RbacResource.CONFIG_MAPS);
    access.allow(Subject.group('system:authenticated')).clusterWide().to('get').on(RbacResource.NAMESPACES);
    access.allow(Subject.allServiceAccounts('other')).read(RbacResource.SECRETS);
    access.allow(sa).withRole(RoleRef.VIEW);
    expect(PermissionReport.of(sa)).toEqual([
      { namespace: '*', verb: 'get', resource: 'namespaces' },
      { namespace: 'ci', verb: 'get', resource: 'configmaps' },
      { namespace: 'ci', verb: 'list', resource: 'configmaps' },
      { namespace: 'ci', verb: 'watch', resource: 'configmaps' },
      { namespace: 'ci', role: 'ClusterRole/view' },
    ]);
    expect(PermissionReport.of(Subject.user('jane'), c)).toEqual([{ namespace: '*', verb: 'get', resource: 'namespaces' }]);
  });

  test('aggregated ClusterRoles have the rules of the roles that aggregate into them', () => {
    const c = new Chart(Testing.app(), 'test');
    const monitoring = new RbacClusterRole(c, 'monitoring', { aggregationSelectors: [{ 'example.com/aggregate-to-monitoring': 'true' }] });
    const metrics = new RbacClusterRole(c, 'metrics');
    metrics.allow('get').on('pods.metrics.k8s.io');
    metrics.aggregateInto(monitoring);
    const probes = new RbacClusterRole(c, 'probes');
    probes.allow('get').onUrls('/healthz');
    probes.aggregateInto(monitoring);
    probes.aggregateInto(RoleRef.VIEW);
    monitoring.bind(Subject.group('sre'));
    expect(PermissionReport.of(Subject.group('sre'), c)).toEqual([
      { namespace: '*', verb: 'get', resource: '/healthz' },
      { namespace: '*', verb: 'get', resource: 'pods.metrics.k8s.io' },
    ]);
    const json = Testing.synth(c);
    expect(json[0].aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] });
    expect(json[0].rules).toBeUndefined();
    expect(ownMetadata(json.find((o) => o.metadata.name === 'probes').metadata).labels).toEqual({
      'example.com/aggregate-to-monitoring': 'true',
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
    });
  });

  test('a workload has permissions only once granted; cdk8s-plus and raw RBAC objects are read too', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    const db = new StatefulService(c, 'db', {
      containers: [{ name: 'db', image: 'postgres:16' }],
      claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    });
    expect(PermissionReport.of(db)).toEqual([]);
    Access.forWorkload(db).to('get').on(RbacResource.SECRETS.named('db-tls'));
    const role = new plus.Role(c, 'plus-role', { metadata: { name: 'plus-role' } });
    role.allow(['list'], plus.ApiResource.SERVICES);
    new plus.RoleBinding(c, 'plus-binding', { metadata: { name: 'plus-binding' }, role }).addSubjects(
      plus.ServiceAccount.fromServiceAccountName(c, 'db-sa', 'db', { namespaceName: 'apps' }),
    );
    new ApiObject(c, 'raw', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'raw' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'ServiceAccount', name: 'db' }],
    } as any);
    expect(PermissionReport.of(db)).toEqual([
      { namespace: 'apps', verb: 'get', resource: 'secrets', resourceName: 'db-tls' },
      { namespace: 'apps', verb: 'list', resource: 'services' },
      { namespace: 'apps', role: 'ClusterRole/edit' },
    ]);
  });

  test('PermissionReport.forApp lists every subject and ServiceAccount; PermissionReport.format prints it', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    new RbacServiceAccount(c, 'idle');
    const role = new RbacRole(c, 'reader');
    role.allow(Verbs.READ).on(RbacResource.PODS);
    role.allow('get').on(RbacResource.CONFIG_MAPS.named('settings'));
    role.bind(Subject.user('jane'));
    expect(PermissionReport.forApp(c).map((s) => s.subject)).toEqual(['ServiceAccount apps/idle', 'User jane']);
    expect(PermissionReport.format(c)).toBe(
      [
        'ServiceAccount apps/idle',
        '  (no permissions)',
        'User jane',
        '  apps  configmaps settings  get',
        '  apps  pods                 get, list, watch',
        '',
      ].join('\n'),
    );
  });

  test('PermissionReport.of a subject that is not a construct needs a scope', () => {
    expect(() => PermissionReport.of(Subject.user('jane'))).toThrow(
      /\[<PermissionReport\.of>\] scope: the permissions of User jane need a construct of its app/,
    );
  });
});
