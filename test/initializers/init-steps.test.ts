import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Duration, Size, Testing } from 'cdk8s';
import { Probe } from 'cdk8s-plus-27';
import { InitStep, PodResources } from '../../lib';
import { parseMilli } from '../../lib/pod/effective-resources';
import { PodVolume } from '../../lib/pod/volume';
import { StatefulService } from '../../lib/workloads/stateful-service';
import { WebService } from '../../lib/workloads/web-service';
import { byKind, expectValidManifests } from '../util';

const script = (step: InitStep) => step.container.command![2];

/** Runs a step's shell script with /bin/sh, with `replace` applied to it (paths into a temp dir). */
function runScript(step: InitStep, replace: Record<string, string>, env: Record<string, string> = {}): string {
  let text = script(step);
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  // stderr is captured: a step that fails on purpose must not print into the test run
  return execFileSync('sh', ['-c', text], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('ready-made init steps', () => {
  test("waitForService: seed 002's nslookup loop, as nobody in busybox", () => {
    const step = InitStep.waitForService('mydb');
    expect(step.container).toEqual({
      name: 'wait-for-mydb',
      image: InitStep.DEFAULT_IMAGE,
      command: ['sh', '-c', 'until nslookup mydb; do echo "waiting for mydb"; sleep 2; done'],
      security: { runAsUser: 65534 },
    });
    expect(step.volumes).toEqual([]);
  });

  test('waitForService: an in-app Service resolves in its namespace; a timeout bounds the wait', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'data' });
    const svc = new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'mysql' } });
    const step = InitStep.waitForService(svc, { timeout: Duration.minutes(2), interval: Duration.seconds(5) });
    expect(step.container.name).toBe('wait-for-mysql');
    expect(script(step)).toBe(
      [
        'waited=0',
        'until nslookup mysql.data.svc; do',
        '  if [ "$waited" -ge 120 ]; then echo "gave up waiting for mysql.data.svc after 120s" >&2; exit 1; fi',
        '  echo "waiting for mysql.data.svc"; sleep 5; waited=$((waited + 5))',
        'done',
      ].join('\n'),
    );
    expect(() => InitStep.waitForService('db; rm -rf /')).toThrow(
      /\[<InitStep\.waitForService>\] host: "db; rm -rf \/" is not a DNS name or IP address/,
    );
  });

  test('waitForPort: nc -z until the port answers', () => {
    const step = InitStep.waitForPort('redis.cache.svc', 6379);
    expect(step.container.name).toBe('wait-for-redis-6379');
    expect(script(step)).toBe('until nc -z -w 2 redis.cache.svc 6379; do echo "waiting for redis.cache.svc:6379"; sleep 2; done');
    expect(() => InitStep.waitForPort('redis', 70000)).toThrow(
      /\[<InitStep\.waitForPort>\] port: must be an integer from 1 to 65535 \(got 70000\)/,
    );
    expect(() => InitStep.waitForPort('redis', 6379, { interval: Duration.millis(500) })).toThrow(
      /\[<InitStep\.waitForPort>\] interval: must be a whole number of seconds, at least 1 \(got 0\.5\)/,
    );
  });

  test("copyFiles: seed 003's cp -a into a shared emptyDir", () => {
    const step = InitStep.copyFiles({ image: 'site:1.0', sourcePath: '/site/', volume: 'shared-data' });
    expect(step.container).toEqual({
      name: 'copy-shared-data',
      image: 'site:1.0',
      command: ['cp', '-a', '/site/.', '/target/'],
      mounts: [{ volume: 'shared-data', path: '/target' }],
      security: undefined,
    });
    expect(step.volumes.map((v) => v.toJson())).toEqual([{ name: 'shared-data', emptyDir: {} }]);
    expect(() => InitStep.copyFiles({ image: 'site:1.0', sourcePath: 'site', volume: 'x' })).toThrow(
      /sourcePath: "site" must be an absolute path/,
    );
  });

  test('configFromOrdinal: the init-mysql shape, run for real with a fake host name', () => {
    const step = InitStep.configFromOrdinal({
      source: PodVolume.configMap('config-map', 'mysql'),
      target: 'conf',
      firstPodFiles: ['primary.cnf'],
      otherPodFiles: ['replica.cnf'],
      generate: [{ file: 'server-id.cnf', content: '[mysqld]\nserver-id=$((100 + ordinal))\n' }],
    });
    expect(step.container.mounts).toEqual([
      { volume: 'config-map', path: '/mnt/source' },
      { volume: 'conf', path: '/mnt/target' },
    ]);
    expect(step.volumes.map((v) => v.name)).toEqual(['config-map', 'conf']);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordinal-'));
    try {
      const [source, bin] = [path.join(dir, 'source'), path.join(dir, 'bin')];
      fs.mkdirSync(source);
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(source, 'primary.cnf'), '[mysqld]\nlog-bin\n');
      fs.writeFileSync(path.join(source, 'replica.cnf'), '[mysqld]\nsuper-read-only\n');
      for (const host of ['mysql-0', 'mysql-2', 'mysql-2']) {
        const target = path.join(dir, host);
        fs.mkdirSync(target, { recursive: true });
        fs.writeFileSync(path.join(bin, 'hostname'), `#!/bin/sh\necho ${host}\n`, { mode: 0o755 });
        runScript(step, { '/mnt/source': source, '/mnt/target': target }, { PATH: `${bin}:${process.env.PATH}` });
      }
      expect(fs.readdirSync(path.join(dir, 'mysql-0')).sort()).toEqual(['primary.cnf', 'server-id.cnf']);
      expect(fs.readFileSync(path.join(dir, 'mysql-0', 'server-id.cnf'), 'utf8')).toBe('[mysqld]\nserver-id=100\n');
      // run twice on mysql-2: the same result (idempotent)
      expect(fs.readdirSync(path.join(dir, 'mysql-2')).sort()).toEqual(['replica.cnf', 'server-id.cnf']);
      expect(fs.readFileSync(path.join(dir, 'mysql-2', 'server-id.cnf'), 'utf8')).toBe('[mysqld]\nserver-id=102\n');
      fs.writeFileSync(path.join(bin, 'hostname'), '#!/bin/sh\necho nohyphen\n', { mode: 0o755 });
      expect(() => runScript(step, { '/mnt/source': source, '/mnt/target': dir }, { PATH: `${bin}:${process.env.PATH}` })).toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(() => InitStep.configFromOrdinal({ source: PodVolume.emptyDir('s'), target: 't', firstPodFiles: ['../x'] })).toThrow(
      /files: "\.\.\/x" must be a plain file name/,
    );
  });

  test("runOnce: seed 003's podinit — downward-API env, a marker written after success, nothing on the second run", () => {
    const step = InitStep.runOnce({ script: 'echo "setting up $POD_NAME" >> "$LOG"' });
    expect(step.container.name).toBe('podinit');
    expect(step.container.env).toEqual({ POD_NAME: expect.anything(), POD_NAMESPACE: expect.anything() });
    expect(step.container.mounts).toEqual([{ volume: 'podinit', path: '/var/run/podinit' }]);
    expect(step.volumes.map((v) => v.toJson())).toEqual([{ name: 'podinit', emptyDir: {} }]);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podinit-'));
    try {
      const env = { POD_NAME: 'web-0', POD_NAMESPACE: 'shop', LOG: path.join(dir, 'log') };
      const first = runScript(step, { '/var/run/podinit': dir }, env);
      const second = runScript(step, { '/var/run/podinit': dir }, env);
      expect(first).toContain('PODINIT-TRACE-LOG: shop/web-0: running podinit');
      expect(second).toBe('PODINIT-TRACE-LOG: shop/web-0: podinit already ran, nothing to do\n');
      expect(fs.readFileSync(env.LOG, 'utf8')).toBe('setting up web-0\n');
      expect(fs.readFileSync(path.join(dir, 'podinit.done'), 'utf8')).toBe('shop/web-0\n');

      const failing = InitStep.runOnce({ name: 'fails', script: 'exit 3' });
      expect(() => runScript(failing, { '/var/run/podinit': dir }, env)).toThrow();
      expect(fs.existsSync(path.join(dir, 'fails.done'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(InitStep.runOnce({ script: 'true', markerVolume: 'data' }).volumes).toEqual([]);
  });

  test("steps drop into any workload; the pod's init container checks apply to them", () => {
    const chart = new Chart(Testing.app(), 'test');
    const db = new StatefulService(chart, 'db', {
      containers: [{ name: 'db', image: 'postgres:16', ports: [{ name: 'pg', number: 5432 }], security: { runAsUser: 999 } }],
      claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/postgresql/data' }],
    });
    InitStep.waitForPort('config.example.com', 443).addTo(db.pod);
    InitStep.runOnce({ script: 'true', markerVolume: 'data' }).addTo(db.pod);
    const site = InitStep.copyFiles({ image: 'site:1.0', sourcePath: '/site', volume: 'shared', runAsUser: 65534 });
    new WebService(chart, 'web', {
      replicas: 1,
      initContainers: [site.container],
      volumes: site.volumes,
      containers: [
        {
          name: 'web',
          image: 'nginxinc/nginx-unprivileged:1.25',
          ports: [{ name: 'http', number: 8080 }],
          security: { runAsUser: 101 },
          mounts: [{ volume: 'shared', path: '/usr/share/nginx/html', readOnly: true }],
        },
      ],
    });
    const m = Testing.synth(chart);
    expect(byKind(m, 'StatefulSet')[0].spec.template.spec.initContainers.map((c: any) => c.name)).toEqual([
      'wait-for-config-443',
      'podinit',
    ]);
    expectValidManifests(m);

    const bad = new Chart(Testing.app(), 'bad');
    new WebService(bad, 'web', {
      replicas: 1,
      initContainers: [
        { ...InitStep.waitForService('mydb').container, readiness: Probe.fromTcpSocket({ port: 53 }) },
        { ...InitStep.waitForService('mydb').container },
      ],
      containers: [{ name: 'wait-for-mydb', image: 'app:1.0', ports: [{ name: 'http', number: 8080 }] }],
    });
    expect(() => Testing.synth(bad)).toThrow(
      /initContainers\[0\]\.readiness: init containers run to completion and cannot have probes[\s\S]*initContainers\[1\]\.name: container name "wait-for-mydb" is already used by initContainers\[0\][\s\S]*containers\[0\]\.name: container name "wait-for-mydb" is already used/,
    );
  });
});

describe('PodResources', () => {
  test('per resource: max(largest init container, sum of app containers) (seed 002)', () => {
    const spec = {
      initContainers: [
        { name: 'a', resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
        { name: 'b', resources: { requests: { cpu: '1', memory: '64Mi' } } },
      ],
      containers: [
        { name: 'app', resources: { requests: { cpu: '300m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } } },
        {
          name: 'sidecar',
          resources: { requests: { cpu: '0.25', memory: '128Mi', 'ephemeral-storage': '1G' }, limits: { cpu: '250m', memory: '128Mi' } },
        },
      ],
    };
    expect(PodResources.ofPodSpec(spec)).toEqual({
      requests: { cpu: '1', 'ephemeral-storage': '1G', memory: '512Mi' },
      limits: { cpu: '750m', memory: '1Gi' },
    });
  });

  test("takes a workload's PodTemplate, with PatternDefaults applied", () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = new WebService(chart, 'web', {
      initContainers: [{ name: 'init', image: 'busybox:1.36', resources: { memory: { request: Size.mebibytes(300) } } }],
      containers: [
        { name: 'a', image: 'a:1' },
        { name: 'b', image: 'b:1' },
      ],
    });
    expect(web.pod.effectiveResources()).toEqual({ requests: { cpu: '200m', memory: '300Mi' }, limits: {} });
  });

  test('parses Kubernetes quantities exactly', () => {
    expect(parseMilli('1.5Gi')).toBe(1536n * 1024n * 1024n * 1000n);
    expect(parseMilli('100m')).toBe(100n);
    expect(parseMilli('1e3')).toBe(1000000n);
    expect(parseMilli('2E')).toBe(2n * 10n ** 18n * 1000n);
    expect(parseMilli('0.1m')).toBe(1n);
    expect(() => parseMilli('12 MB')).toThrow(/\[<PodResources>\] quantity: "12 MB" is not a Kubernetes quantity/);
    expect(() => parseMilli('-1Gi')).toThrow(/\[<PodResources>\] quantity: "-1Gi" is negative/);
    expect(() => PodResources.ofPodSpec({ containers: [{ name: 'app', resources: { requests: { cpu: 'lots' } } }] })).toThrow(
      /\[<PodResources>\] app\.resources\.requests\.cpu: "lots" is not a Kubernetes quantity/,
    );
  });
});
