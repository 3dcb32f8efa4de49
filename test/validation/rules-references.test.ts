import { ApiObject, Chart } from 'cdk8s';
import { Validation } from '../../lib';
import { add, container, deployment, labels, problemsOf, rawApp, service, summary } from './fixtures';

const statefulSet = (name: string, serviceName: string, spec: Record<string, any> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name },
  spec: { serviceName, selector: { matchLabels: labels }, template: deployment().spec.template, ...spec },
});

describe('service-selector', () => {
  test('a Service must select the pods of some workload in its namespace', () => {
    const { app, chart } = rawApp();
    add(chart, deployment('web'));
    add(chart, service('web'));
    add(chart, service('typo', { 'app.kubernetes.io/name': 'wbe' }));
    add(chart, service('partial', { ...labels, tier: 'db' }));
    add(chart, service('no-selector', undefined));
    add(chart, service('ext', { app: 'x' }, { type: 'ExternalName', externalName: 'db.example.com' }));
    const problems = problemsOf(app);
    expect(summary(problems)).toEqual(['service-selector Service/typo spec.selector', 'service-selector Service/partial spec.selector']);
    expect(problems[0]).toEqual(
      expect.objectContaining({
        path: 'test/Service-typo',
        rule: 'selects pods with app.kubernetes.io/name=wbe, but no workload in namespace "default" of the app has pods with these labels, so the Service would have no endpoints',
      }),
    );
  });

  test('pods in another namespace do not count', () => {
    const { app } = rawApp();
    add(new Chart(app, 'a', { namespace: 'a' }), deployment('web'));
    add(new Chart(app, 'b', { namespace: 'b' }), service('web'));
    expect(summary(problemsOf(app))).toEqual(['service-selector Service/web spec.selector']);
  });

  test('declared external, by Service name or by pod labels', () => {
    const { app, chart } = rawApp();
    add(chart, service('legacy', { app: 'legacy' }));
    add(chart, service('other', { app: 'other' }));
    Validation.external(chart, { services: ['legacy'], podLabels: [{ app: 'other', tier: 'x' }] });
    expect(problemsOf(app)).toEqual([]);
  });

  test('the pods of CronJobs and bare Pods count too', () => {
    const { app, chart } = rawApp();
    const tpl = (l: Record<string, string>) => ({
      metadata: { labels: l },
      spec: { ...deployment().spec.template.spec, restartPolicy: 'Never' },
    });
    add(chart, {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cron' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tpl({ app: 'cron' }) } } },
    });
    add(chart, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod', labels: { app: 'pod' } }, spec: deployment().spec.template.spec });
    add(chart, service('cron', { app: 'cron' }));
    add(chart, service('pod', { app: 'pod' }));
    expect(problemsOf(app)).toEqual([]);
  });
});

describe('sts-service', () => {
  test('serviceName must name a headless Service selecting the pods', () => {
    const { app, chart } = rawApp();
    add(chart, statefulSet('missing', 'nope'));
    add(chart, statefulSet('not-headless', 'web'));
    add(chart, service('web'));
    const problems = problemsOf(app);
    expect(summary(problems)).toEqual([
      'sts-service StatefulSet/missing spec.serviceName',
      'sts-service StatefulSet/not-headless spec.serviceName',
    ]);
    expect(problems[0].rule).toBe('names Service "nope", which is not in namespace "default" of the app');
    expect(problems[1].rule).toBe('Service "web" is not headless, so the pods get no stable DNS names');
  });

  test('a headless Service selecting other pods', () => {
    const { app, chart } = rawApp();
    add(chart, statefulSet('db', 'db'));
    add(chart, deployment('other', {}, { app: 'other' }));
    add(chart, service('db', { app: 'other' }, { clusterIP: 'None' }));
    expect(problemsOf(app).map((p) => p.rule)).toEqual(['Service "db" selects app=other, which does not match the StatefulSet\'s pods']);
  });

  test('an external Service is accepted', () => {
    const { app, chart } = rawApp();
    const sts = add(chart, statefulSet('db', 'shared'));
    Validation.external(sts, { services: ['default/shared'] });
    expect(problemsOf(app)).toEqual([]);
  });
});

describe('pdb-selector', () => {
  test("a budget must select some workload's pods; a missing selector selects none", () => {
    const { app, chart } = rawApp();
    add(chart, deployment());
    const pdb = (name: string, selector?: any) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name },
      spec: { minAvailable: 1, selector },
    });
    add(chart, pdb('good', { matchLabels: labels }));
    add(chart, pdb('expr', { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['web', 'api'] }] }));
    add(chart, pdb('all', {}));
    add(chart, pdb('wrong', { matchLabels: { app: 'db' } }));
    add(chart, pdb('none'));
    const problems = problemsOf(app);
    expect(summary(problems)).toEqual([
      // good, expr and all cover the same pods: the eviction API would refuse every one of them
      'pdb-overlap PodDisruptionBudget/expr spec.selector',
      'pdb-overlap PodDisruptionBudget/all spec.selector',
      'pdb-selector PodDisruptionBudget/wrong spec.selector',
      'pdb-selector PodDisruptionBudget/none spec.selector',
    ]);
    expect(problems[0].rule).toMatch(/^selects the pods of Deployment\/web, which PodDisruptionBudget\/good also selects/);
    expect(problems[2].rule).toMatch(/^selects pods with app=db, but no workload in namespace "default"/);
  });
});

describe('config-refs', () => {
  test('ConfigMaps and Secrets used by volumes, envFrom, env and imagePullSecrets exist', () => {
    const { app, chart } = rawApp();
    add(chart, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } });
    add(chart, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { user: 'u' } });
    add(
      chart,
      deployment('web', {
        volumes: [
          {
            name: 'c',
            configMap: {
              name: 'cfg',
              items: [
                { key: 'a', path: 'a' },
                { key: 'zz', path: 'z' },
              ],
            },
          },
          { name: 's', secret: { secretName: 'nope' } },
          { name: 'o', secret: { secretName: 'nope-optional', optional: true } },
          { name: 'p', projected: { sources: [{ configMap: { name: 'gone' } }, { secret: { name: 'creds' } }] } },
        ],
        imagePullSecrets: [{ name: 'registry' }],
        containers: [
          container('web', {
            envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'missing' } }],
            env: [
              { name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'a' } } },
              { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
              { name: 'C', valueFrom: { secretKeyRef: { name: 'gone', key: 'x', optional: true } } },
            ],
          }),
        ],
      }),
    );
    const problems = problemsOf(app);
    expect(problems.map((p) => `${p.ruleId} ${p.field}: ${p.rule}`)).toEqual([
      'config-refs spec.template.spec.volumes[0].configMap.items[1].key: ConfigMap "cfg" has no key "zz"',
      'config-refs spec.template.spec.volumes[1].secret.secretName: Secret "nope" is not in namespace "default" of the app, so the pods cannot start',
      'config-refs spec.template.spec.volumes[3].projected.sources[0].configMap.name: ConfigMap "gone" is not in namespace "default" of the app, so the pods cannot start',
      'config-refs spec.template.spec.containers[0].envFrom[1].secretRef.name: Secret "missing" is not in namespace "default" of the app, so the pods cannot start',
      'config-refs spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.key: Secret "creds" has no key "password"',
      'config-refs spec.template.spec.imagePullSecrets[0].name: Secret "registry" is not in namespace "default" of the app, so the pods cannot start',
    ]);
    expect(problems[1].hint).toBe(
      "add it to the app, mark the reference optional, or declare it: Validation.external(scope, { secrets: ['nope'] })",
    );
  });

  test('declared external; an object in another namespace does not count', () => {
    const { app } = rawApp();
    add(new Chart(app, 'other', { namespace: 'other' }), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
    const chart = new Chart(app, 'web', { namespace: 'web' });
    add(
      chart,
      deployment('web', {
        volumes: [
          { name: 'c', configMap: { name: 'cfg' } },
          { name: 's', secret: { secretName: 'tls' } },
        ],
      }),
    );
    Validation.external(chart, { secrets: ['web/tls'] });
    expect(problemsOf(app).map((p) => `${p.object} ${p.field}`)).toEqual(['Deployment/web spec.template.spec.volumes[0].configMap.name']);
  });
});

describe('service-account and token-automount', () => {
  test("a pod's ServiceAccount exists; its token is mounted only when a binding grants it access", () => {
    const { app, chart } = rawApp();
    add(chart, deployment('a', { serviceAccountName: 'ghost' }));
    add(chart, deployment('b', { automountServiceAccountToken: undefined }, { app: 'b' }));
    add(chart, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false });
    add(chart, deployment('c', { serviceAccountName: 'quiet', automountServiceAccountToken: undefined }, { app: 'c' }));
    add(chart, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader' } });
    add(chart, deployment('d', { serviceAccountName: 'reader', automountServiceAccountToken: true }, { app: 'd' }));
    add(chart, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader' }],
    });
    const problems = problemsOf(app);
    expect(summary(problems)).toEqual([
      'service-account Deployment/a spec.template.spec.serviceAccountName',
      'token-automount Deployment/b spec.template.spec.automountServiceAccountToken',
    ]);
    expect(problems[1].rule).toBe('the pods get an API token of ServiceAccount "default", but no binding in the app grants it any access');
  });

  test('an external ServiceAccount may be used and keeps its token', () => {
    const { app, chart } = rawApp();
    add(chart, deployment('a', { serviceAccountName: 'ci', automountServiceAccountToken: true }));
    Validation.external(app, { serviceAccounts: ['ci'] });
    expect(problemsOf(app)).toEqual([]);
  });
});

describe('binding-refs', () => {
  const rb = (kind: string, name: string, roleRef: any, subjects: any[] = []) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects,
  });
  const sa = (name: string) => ({ kind: 'ServiceAccount', name });

  test('roles and ServiceAccount subjects resolve', () => {
    const { app, chart } = rawApp('apps');
    add(chart, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot' } });
    add(chart, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader' } });
    add(chart, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'custom' } });
    add(chart, rb('RoleBinding', 'ok-role', { kind: 'Role', name: 'reader' }, [sa('bot'), sa('default')]));
    add(
      chart,
      rb('RoleBinding', 'ok-predefined', { kind: 'ClusterRole', name: 'edit' }, [
        { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    );
    add(chart, rb('RoleBinding', 'ok-system', { kind: 'ClusterRole', name: 'system:aggregate-to-view' }, [sa('bot')]));
    add(chart, rb('ClusterRoleBinding', 'ok-custom', { kind: 'ClusterRole', name: 'custom' }, [{ ...sa('bot'), namespace: 'apps' }]));
    add(chart, rb('RoleBinding', 'bad-role', { kind: 'Role', name: 'writer' }, [sa('ghost')]));
    add(chart, rb('ClusterRoleBinding', 'bad-kind', { kind: 'Role', name: 'reader' }, [sa('bot')]));
    add(chart, rb('ClusterRoleBinding', 'bad-cluster', { kind: 'ClusterRole', name: 'nobody' }, [{ kind: 'Group', name: 'devs' }]));
    const problems = problemsOf(app);
    expect(problems.map((p) => `${p.ruleId} ${p.object} ${p.field}: ${p.rule}`)).toEqual([
      'binding-refs RoleBinding/bad-role roleRef.name: Role "writer" is not in namespace "apps" of the app',
      'binding-refs RoleBinding/bad-role subjects[0].name: ServiceAccount "ghost" is not in namespace "apps" of the app, so the binding grants nothing',
      'binding-refs ClusterRoleBinding/bad-kind roleRef.kind: a ClusterRoleBinding can only reference a ClusterRole',
      'binding-refs ClusterRoleBinding/bad-kind subjects[0].namespace: is required for a ServiceAccount subject of a ClusterRoleBinding',
      'binding-refs ClusterRoleBinding/bad-cluster roleRef.name: ClusterRole "nobody" is neither in the app nor predefined',
      'binding-refs ClusterRoleBinding/bad-cluster subjects[0].apiGroup: must be "rbac.authorization.k8s.io" for a Group subject',
    ]);
  });

  test('external roles and ServiceAccounts', () => {
    const { app, chart } = rawApp();
    const binding = add(
      chart,
      rb('RoleBinding', 'x', { kind: 'ClusterRole', name: 'vendor-reader' }, [{ ...sa('ci'), namespace: 'tools' }]),
    );
    Validation.external(binding, { roles: ['vendor-reader'], serviceAccounts: ['tools/ci'] });
    expect(problemsOf(app)).toEqual([]);
  });
});

test('each object is reported with its own construct path, across charts', () => {
  const { app } = rawApp();
  const a = new Chart(app, 'alpha');
  new ApiObject(a, 'svc', service('lonely', { app: 'lonely' }));
  expect(problemsOf(app).map((p) => p.path)).toEqual(['alpha/svc']);
});
