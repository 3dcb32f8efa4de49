import { ApiObject, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Access, PatternsApp, RbacResource, RbacServiceAccount, Verbs } from '../../lib';
import { APPLY_ORDER } from '../../lib/output/apply-order';

const KINDS: Array<[string, string]> = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'Namespace'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  ['v1', 'ConfigMap'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['example.com/v1', 'Widget'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['v1', 'ServiceAccount'],
  ['apps/v1', 'DaemonSet'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['v1', 'Secret'],
  ['example.com/v1', 'Gadget'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
];

/** Kind/name of the objects `app` writes, in file order. */
function order(app: PatternsApp): string[] {
  return parseAllDocuments(app.synthYaml())
    .map((d) => d.toJS())
    .map((o) => `${o.kind}/${o.metadata.name}`);
}

function permutations<T>(a: T[], n: number, seed = 7): T[][] {
  const out: T[][] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    const p = [...a];
    for (let j = p.length - 1; j > 0; j--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const k = s % (j + 1);
      [p[j], p[k]] = [p[k], p[j]];
    }
    out.push(p);
  }
  return out;
}

test('within a file: known kinds in apply order, unknown kinds last by kind, then by name', () => {
  const app = new PatternsApp({ outdir: '/nonexistent' });
  const chart = new Chart(app, 'c');
  for (const [apiVersion, kind] of KINDS) {
    for (const name of ['b', 'a']) new ApiObject(chart, `${kind}-${name}`, { apiVersion, kind, metadata: { name } });
  }
  let got: string[];
  try {
    got = order(app);
  } catch {
    // validation rejects these skeleton objects; the order is what is tested, through the sorter
    const { sortForApply } = require('../../lib/output/apply-order');
    got = sortForApply(
      chart.node
        .findAll()
        .filter((c) => c instanceof ApiObject)
        .map((obj) => ({ obj, json: (obj as ApiObject).toJson() })),
    ).map((o: any) => `${o.json.kind}/${o.json.metadata.name}`);
  }
  const rank = (kind: string) => (APPLY_ORDER.indexOf(kind) === -1 ? APPLY_ORDER.length : APPLY_ORDER.indexOf(kind));
  const expected = [...KINDS]
    .sort(([, a], [, b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([, kind]) => [`${kind}/a`, `${kind}/b`]);
  expect(got).toEqual(expected);
  expect(expected.slice(0, 4)).toEqual(['Namespace/a', 'Namespace/b', 'CustomResourceDefinition/a', 'CustomResourceDefinition/b']);
  expect(expected.slice(-4)).toEqual(['Gadget/a', 'Gadget/b', 'Widget/a', 'Widget/b']);
});

test('RBAC grants in any call order give the same bytes', () => {
  const grants: Array<(a: Access, sas: RbacServiceAccount[]) => void> = [
    (a, s) => a.allow(s[0]).to(Verbs.READ).on(RbacResource.PODS),
    (a, s) => a.allow(s[1]).to('get').on(RbacResource.NODES),
    (a, s) => a.allow(s[2]).to(Verbs.READ).on(RbacResource.CONFIG_MAPS),
    (a, s) => a.allow(s[0]).to('get').on(RbacResource.SECRETS.named('tls')),
    (a, s) => a.allow(s[1]).clusterWide().read(RbacResource.DEPLOYMENTS),
  ];
  const outputs = new Set<string>();
  for (const p of permutations(grants, 10)) {
    const app = new PatternsApp({ outdir: '/nonexistent' });
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    const sas = ['x', 'y', 'z'].map((n) => new RbacServiceAccount(chart, n));
    const access = new Access(chart, 'team');
    for (const g of p) g(access, sas);
    outputs.add(app.synthYaml());
  }
  expect(outputs.size).toBe(1);
  const kinds = parseAllDocuments([...outputs][0]).map((d) => d.toJS().kind);
  expect(kinds.indexOf('ServiceAccount')).toBeLessThan(kinds.indexOf('ClusterRole'));
  expect(kinds.lastIndexOf('ClusterRoleBinding')).toBeLessThan(kinds.indexOf('Role'));
});
