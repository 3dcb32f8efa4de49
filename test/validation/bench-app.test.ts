import { Chart, Size } from 'cdk8s';
import { Probe } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { DisruptionBudget, PatternsApp, PodSecurity, StatefulService, Subject } from '../../lib';
import { Manifest } from '../../lib/core/manifest';
import { renderApp } from '../../lib/synth/pipeline';
import { validateObjects } from '../../lib/validation/validation';

/** The benchmark's "stateful app" (bench/stateful-apps.js): 8 objects that reference each other (with its default NetworkPolicy). */
function addStatefulApp(chart: Chart, name: string): void {
  const scope = new Construct(chart, name);
  const svc = new StatefulService(scope, 'Service', {
    name,
    replicas: 3,
    podSecurity: PodSecurity.baseline('stock nginx image starts as root'),
    containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ name: 'http', number: 80 }], readiness: Probe.fromHttpGet('/') }],
    claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    readServiceOptions: {},
    budget: DisruptionBudget.minAvailable(2),
  });
  // API access for its pods: their own ServiceAccount, named after it, token mounted
  const serviceAccount = Subject.ofWorkload(svc, true)!.name;
  new Manifest(scope, 'Role', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name },
    render: () => ({ rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch'] }] }),
  });
  new Manifest(scope, 'RoleBinding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name },
    render: () => ({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount }],
    }),
  });
}

// Validation time is measured by the benchmark (npm run bench reports the validation share of synth);
// this test keeps the same 8,000-object app honest: rendered once, every object valid.
test('the 8,000-object benchmark app validates with no problem', () => {
  const app = new PatternsApp({ outdir: 'unused' });
  const chart = new Chart(app, 'apps');
  for (let i = 0; i < 1000; i++) addStatefulApp(chart, `app-${i}`);
  const objects = renderApp(app).flatMap((c) => c.objects);
  expect(objects).toHaveLength(8000);
  expect(validateObjects(app, objects)).toEqual([]);
});
