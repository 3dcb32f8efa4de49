import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const ROOT = path.join(__dirname, '..');
const version = (pkg: string) => require(path.join(ROOT, 'node_modules', pkg, 'package.json')).version;
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_omit: 'optional' },
  });

const APP = `
import { Chart, Size } from 'cdk8s';
import { Probe } from 'cdk8s-plus-33';
import { ConfigMap } from 'cdk8s-plus-27';
import { ContainerProbe, PatternsApp, StatefulService, PodSecurity, WebService } from 'cdk8s-patterns';

const app = new PatternsApp({ outdir: 'dist' });
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const db = new StatefulService(chart, 'db', {
  replicas: 3,
  podSecurity: PodSecurity.baseline('postgres image starts as root'),
  containers: [
    {
      name: 'postgres',
      image: 'postgres:16',
      ports: [{ name: 'pg', number: 5432 }],
      // the app is on cdk8s-plus-33 (today's cdk8s init): its probes go through ContainerProbe
      readiness: ContainerProbe.fromPlus(Probe.fromTcpSocket()),
      liveness: ContainerProbe.command(['pg_isready']),
    },
  ],
  claims: [{ name: 'data', size: Size.gibibytes(20), mountPath: '/var/lib/postgresql/data' }],
});
// the production defaults as a user meets them: a config hash, a ServiceMonitor, allowFrom
const settings = new ConfigMap(chart, 'settings', { metadata: { name: 'api-settings' }, data: { LOG_LEVEL: 'info' } });
const api = new WebService(chart, 'api', {
  containers: [
    {
      name: 'api',
      image: 'registry.example.com/api:3.1.0',
      ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }],
      readiness: ContainerProbe.httpGet('/ready'),
      envFrom: [{ configMap: settings }],
    },
  ],
  metrics: { port: 'metrics' },
});
db.allowFrom(api);
console.log(db.podDnsName(0));
app.synth();
`;

// Packs the library the way it ships and uses it from a separate cdk8s TypeScript app.
test('the packed tarball installs into a separate cdk8s app (on cdk8s-plus-33 too) that compiles and synthesizes', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-pack-'));
  try {
    const tarball = npm(['pack', '--silent', '--ignore-scripts', '--pack-destination', work], ROOT).trim().split('\n').pop()!;
    const appDir = path.join(work, 'app');
    fs.mkdirSync(appDir);
    fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        path.join(work, tarball),
        `cdk8s@${version('cdk8s')}`,
        `constructs@${version('constructs')}`,
        `cdk8s-plus-27@${version('cdk8s-plus-27')}`,
        `cdk8s-plus-33@${version('cdk8s-plus-33')}`,
      ],
      appDir,
    );
    fs.writeFileSync(path.join(appDir, 'main.ts'), APP);
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--strict',
        '--target',
        'ES2020',
        '--module',
        'commonjs',
        '--lib',
        'ES2020,DOM',
        'main.ts',
      ],
      { cwd: appDir, stdio: 'pipe' },
    );
    const out = execFileSync(process.execPath, ['main.js'], { cwd: appDir, encoding: 'utf8' });
    expect(out.trim()).toBe('db-0.db.shop.svc.cluster.local');
    const docs = parseAllDocuments(fs.readFileSync(path.join(appDir, 'dist', 'shop.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual([
      'ConfigMap/shop/api-settings',
      'Deployment/shop/api',
      'NetworkPolicy/shop/api',
      'NetworkPolicy/shop/db',
      'PodDisruptionBudget/shop/api',
      'PodDisruptionBudget/shop/db',
      'Service/shop/api',
      'Service/shop/db',
      'ServiceMonitor/shop/api',
      'StatefulSet/shop/db',
    ]);
    const of = (kind: string, name = 'db') => docs.find((d) => d.kind === kind && d.metadata.name === name);
    expect(Object.keys(of('Deployment', 'api').spec.template.metadata.annotations)).toContain(
      'checksum.cdk8s-patterns.io/configmap.api-settings',
    );
    expect(of('ServiceMonitor', 'api').spec.endpoints).toEqual([{ port: 'metrics' }]);
    expect(of('NetworkPolicy', 'db').spec.ingress[0].from).toContainEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    });
    expect(of('NetworkPolicy', 'api').spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ port: 'metrics', protocol: 'TCP' }],
    });
    const sts = of('StatefulSet');
    // production defaults arrive through the tarball too: a budget for 2+ replicas, recommended labels
    expect(of('PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(sts.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'cdk8s-patterns', 'app.kubernetes.io/instance': 'db' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    const [postgres] = sts.spec.template.spec.containers;
    expect(postgres.readinessProbe).toMatchObject({ tcpSocket: { port: 5432 } });
    expect(postgres.livenessProbe).toMatchObject({ exec: { command: ['pg_isready'] } });
    // one copy of each peer: the library resolves the app's cdk8s, not one of its own
    expect(fs.existsSync(path.join(appDir, 'node_modules', 'cdk8s-patterns', 'node_modules', 'cdk8s'))).toBe(false);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 240000);
