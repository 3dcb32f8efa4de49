// The topology graph, and the freshness of docs/topology.svg (`npm run docs:topology`).
import * as fs from 'fs';
import * as path from 'path';
import { TopologyGraph } from '../../lib';

const ROOT = path.join(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');

const graph = TopologyGraph.fromFolder(DIST);
const node = (chart: string, kind: string, name: string) =>
  graph.nodes.find((n) => n.chart === chart && n.kind === kind && n.name === name)!;
const edges = (chart: string) =>
  graph.edges
    .filter((e) => graph.nodes.find((n) => n.id === e.source)!.chart === chart)
    .map((e) => {
      const f = graph.nodes.find((n) => n.id === e.source)!;
      const t = graph.nodes.find((n) => n.id === e.target)!;
      return `${f.kind}/${f.name} -${e.label}-> ${t.kind}/${t.name}`;
    })
    .sort();

test('one chart per file of dist/, sub-folders included', () => {
  expect(graph.charts).toContain('mysql.k8s.yaml');
  expect(graph.charts).toContain('k8s-1.13/initializer-configs.k8s.yaml');
});

test('a StatefulSet with its Services (by selector), budget, claim template and ConfigMap', () => {
  expect(edges('mysql.k8s.yaml')).toEqual([
    'NetworkPolicy/mysql -guards-> StatefulSet/mysql',
    'PodDisruptionBudget/mysql -budget-> StatefulSet/mysql',
    'Service/mysql -selects-> StatefulSet/mysql',
    'Service/mysql-read -selects-> StatefulSet/mysql',
    'StatefulSet/mysql -claims-> claim template/data',
    'StatefulSet/mysql -mounts-> ConfigMap/mysql',
  ]);
});

test('RBAC: bindings to roles and subjects; workloads to their ServiceAccounts', () => {
  expect(edges('rbac-basics.k8s.yaml')).toEqual([
    'RoleBinding/example-rolebinding -grants-> Role/example-role',
    'RoleBinding/example-rolebinding -to-> ServiceAccount/example-sa',
    'RoleBinding/example-rolebinding -to-> User/example-user',
  ]);
  expect(node('rbac-basics.k8s.yaml', 'User', 'example-user').external).toBe(true);
  expect(edges('fluentd.k8s.yaml')).toContain('DaemonSet/fluentd-elasticsearch -runs as-> ServiceAccount/fluentd-elasticsearch');
});

test('admission webhooks call their Service; missing Secrets show as external', () => {
  const e = edges('envoy-injector.k8s.yaml');
  expect(e).toContain('MutatingWebhookConfiguration/envoy-injector -calls on pods-> Service/envoy-injector');
  expect(e).toContain('Deployment/envoy-injector -mounts-> Secret/envoy-injector-tls');
  expect(node('envoy-injector.k8s.yaml', 'Secret', 'envoy-injector-tls').external).toBe(true);
});

test('what the synth-time initializers injected (pod annotation initializers.cdk8s-patterns.io/applied)', () => {
  expect(edges('lxcfs.k8s.yaml')).toContain('initializer/lxcfs.initializers.cdk8s-patterns.io -injected into-> Deployment/web');
  expect(edges('podpreset.k8s.yaml')).toContain(
    'initializer/allow-database.podpreset.cdk8s-patterns.io -injected into-> Deployment/website',
  );
  expect(edges('podpreset.k8s.yaml')).toContain('Deployment/website -envFrom-> ConfigMap/db-config');
});

test('Mermaid: a subgraph per chart and an edge per relation', () => {
  const m = graph.toMermaid();
  expect(m.startsWith('flowchart LR\n')).toBe(true);
  expect(m.match(/^ {2}subgraph /gm)).toHaveLength(graph.charts.length);
  expect(m.match(/ -->\|/g)).toHaveLength(graph.edges.length);
});

test('docs/topology.svg is fresh (run `npm run docs:topology` and commit it when this fails)', async () => {
  const svg = await graph.toSvg();
  expect(svg).toBe(fs.readFileSync(path.join(ROOT, 'docs', 'topology.svg'), 'utf8'));
}, 30_000);
