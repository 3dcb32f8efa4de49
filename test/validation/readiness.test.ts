import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { BareService, ContainerProbe, StatefulService, Validation, ValidationRule, Warnings, WebService } from '../../lib';
import { buildApps } from '../../apps/main';
import { add, container, deployment, problemsOf, rawApp, service } from './fixtures';

const readinessWarnings = (app: App) =>
  Warnings.of(app)
    .map((w) => w.message)
    .filter((m) => m.startsWith('[readiness]'));

const IMAGE = 'nginxinc/nginx-unprivileged:1.25';

describe('readiness rule (a warning)', () => {
  test('our WebService without a readiness probe: one warning naming the container and the Service; with one: none', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    new WebService(chart, 'web', { containers: [{ name: 'web', image: IMAGE, ports: [{ name: 'http', number: 8080 }] }] });
    expect(problemsOf(app)).toEqual([]);
    const warnings = readinessWarnings(app);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'Deployment/web spec.template.spec.containers[0]: container "web" serves Service "web" but has no readinessProbe',
    );

    const ok = Testing.app();
    new WebService(new Chart(ok, 'shop'), 'web', {
      containers: [{ name: 'web', image: IMAGE, ports: [{ name: 'http', number: 8080 }], readiness: ContainerProbe.httpGet('/healthz') }],
    });
    expect(problemsOf(ok)).toEqual([]);
    expect(readinessWarnings(ok)).toEqual([]);
  });

  test('a cdk8s-plus Deployment behind our BareService, and with a plus readiness probe', () => {
    const build = (readiness?: plus.Probe) => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const legacy = new plus.Deployment(chart, 'legacy', { containers: [{ image: IMAGE, portNumber: 8080, readiness }] });
      new BareService(chart, 'legacy-svc', { selector: legacy.matchLabels, ports: [{ port: 80, targetPort: 8080 }] });
      problemsOf(app);
      return readinessWarnings(app);
    };
    expect(build()).toEqual([expect.stringContaining('serves Service "legacy-svc" but has no readinessProbe')]);
    expect(build(plus.Probe.fromTcpSocket())).toEqual([]);
  });

  test('L1 objects: only the containers declaring the targeted port (by name and protocol, or number) are checked', () => {
    const { app, chart } = rawApp();
    add(
      chart,
      deployment('web', {
        containers: [
          container('web', { ports: [{ name: 'http', containerPort: 8080 }] }),
          container('metrics', { ports: [{ name: 'metrics', containerPort: 9090 }] }),
          container('dns', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
        ],
      }),
    );
    add(chart, service('web', undefined, { selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ port: 80, targetPort: 'http' }] }));
    add(chart, service('dns-tcp', undefined, { selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ port: 53, targetPort: 'dns' }] }));
    add(chart, service('metrics', undefined, { selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ port: 9090 }] }));
    expect(problemsOf(app)).toEqual([]);
    const warnings = readinessWarnings(app);
    // http → web; 9090 (port, no targetPort) → metrics; "dns" over TCP matches no port (the UDP one is another protocol)
    expect(warnings).toEqual([
      expect.stringContaining('containers[0]: container "web" serves Service "web"'),
      expect.stringContaining('containers[1]: container "metrics" serves Service "metrics"'),
    ]);
  });

  test('a numeric target no container declares: every app container is checked, once, with every Service named', () => {
    const { app, chart } = rawApp();
    add(chart, deployment('web', { containers: [container('a'), container('b', { readinessProbe: { tcpSocket: { port: 80 } } })] }));
    add(chart, service('one'));
    add(chart, service('two'));
    expect(problemsOf(app)).toEqual([]);
    expect(readinessWarnings(app)).toEqual([
      expect.stringContaining('container "a" serves Service "one", "two" but has no readinessProbe'),
    ]);
  });

  test('not checked: Services without a selector, ExternalName, headless with publishNotReadyAddresses, Job pods, other namespaces', () => {
    const { app, chart } = rawApp();
    add(chart, deployment('web'));
    add(chart, { ...service('manual'), spec: { ports: [{ port: 80 }] } }); // no selector: Endpoints managed by hand
    add(chart, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ext' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    add(
      chart,
      service('peers', undefined, { selector: { 'app.kubernetes.io/name': 'web' }, clusterIP: 'None', publishNotReadyAddresses: true }),
    );
    const other = new Chart(app, 'other', { namespace: 'other' });
    add(other, service('web'));
    const jobLabels = { 'job-name': 'once' };
    add(chart, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'once' },
      spec: { template: { metadata: { labels: jobLabels }, spec: { restartPolicy: 'Never', containers: [container('once')] } } },
    });
    add(chart, service('once', jobLabels));
    problemsOf(app);
    expect(readinessWarnings(app)).toEqual([]);
  });

  test('a headless Service without publishNotReadyAddresses is checked (readiness gates its DNS records)', () => {
    const app = Testing.app();
    new StatefulService(new Chart(app, 'db'), 'db', {
      containers: [{ name: 'db', image: 'postgres:16', ports: [{ name: 'pg', number: 5432 }], security: { runAsUser: 999 } }],
    });
    expect(problemsOf(app)).toEqual([]);
    expect(readinessWarnings(app)).toEqual([expect.stringContaining('container "db" serves Service "db"')]);
  });

  test('Validation.suppress on the workload or on the Service silences it', () => {
    for (const on of ['workload', 'service'] as const) {
      const app = Testing.app();
      const chart = new Chart(app, 'shop');
      const w = new WebService(chart, 'web', { containers: [{ name: 'web', image: IMAGE, ports: [{ name: 'http', number: 8080 }] }] });
      Validation.suppress(on === 'workload' ? w.apiObject : w.service!, ValidationRule.READINESS, 'probed by the mesh');
      expect(problemsOf(app)).toEqual([]);
      expect(readinessWarnings(app)).toEqual([]);
    }
  });

  test('the examples synthesize without a readiness warning', () => {
    for (const app of buildApps(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-patterns-readiness-')))) {
      app.synthYaml();
      expect(readinessWarnings(app)).toEqual([]);
    }
  });
});
