import { Chart, Duration, Testing } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { MetricsVia, MonitorScheme, NodeAgent, PatternDefaults, PodSecurity, StatefulService, WebService } from '../../lib';
import { ownMetadata } from '../util';

function chart() {
  return new Chart(Testing.app(), 'c', { namespace: 'shop' });
}
const api = {
  name: 'api',
  image: 'api:1.0',
  ports: [
    { name: 'http', number: 8080 },
    { name: 'metrics', number: 9090 },
  ],
};
const LABEL = 'monitoring.cdk8s-patterns.io/service';

const kinds = (out: any[], kind: string) => out.filter((o) => o.kind === kind);

describe('the metrics prop', () => {
  test('WebService: a ServiceMonitor through its Service, which carries every named port by default', () => {
    const c = chart();
    PatternDefaults.set(c, { monitorLabels: { release: 'prometheus' } });
    const web = new WebService(c, 'api', {
      containers: [api],
      metrics: {
        port: 'metrics',
        path: '/prom',
        interval: Duration.seconds(15),
        scrapeTimeout: Duration.seconds(5),
        scheme: MonitorScheme.HTTP,
      },
    });
    expect(web.metricsPort).toBe('metrics');
    expect(web.monitor?.kind).toBe('ServiceMonitor');
    const out = Testing.synth(c);
    const [sm] = kinds(out, 'ServiceMonitor');
    expect(ownMetadata(sm.metadata)).toEqual({ name: 'api', namespace: 'shop', labels: { release: 'prometheus' } });
    expect(sm.spec).toEqual({
      selector: { matchLabels: { [LABEL]: 'api' } },
      endpoints: [{ port: 'metrics', path: '/prom', interval: '15s', scrapeTimeout: '5s', scheme: 'http' }],
    });
    const [svc] = kinds(out, 'Service');
    expect(ownMetadata(svc.metadata).labels).toEqual({ [LABEL]: 'api' });
    expect(svc.spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
  });

  test('a Service port with another name that targets the metrics port is the endpoint', () => {
    const c = chart();
    new WebService(c, 'api', {
      containers: [api],
      serviceOptions: {
        ports: [
          { name: 'web', port: 80, targetPort: 'http' },
          { name: 'prom', port: 9090, targetPort: 'metrics' },
        ],
      },
      metrics: { port: 'metrics' },
    });
    expect(kinds(Testing.synth(c), 'ServiceMonitor')[0].spec.endpoints).toEqual([{ port: 'prom' }]);
  });

  test('Service ports given without the metrics port: a PodMonitor, and the Service is left as given', () => {
    const c = chart();
    const web = new WebService(c, 'api', {
      containers: [api],
      serviceOptions: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      metrics: { port: 'metrics' },
    });
    expect(web.monitor?.kind).toBe('PodMonitor');
    const out = Testing.synth(c);
    expect(kinds(out, 'ServiceMonitor')).toEqual([]);
    const [pm] = kinds(out, 'PodMonitor');
    expect(pm.spec).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } }, podMetricsEndpoints: [{ port: 'metrics' }] });
    const [svc] = kinds(out, 'Service');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    expect(ownMetadata(svc.metadata).labels).toBeUndefined();
  });

  test('MetricsVia.SERVICE adds the metrics port to a Service whose ports lack it', () => {
    const c = chart();
    const web = new WebService(c, 'api', {
      containers: [api],
      serviceOptions: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      metrics: { port: 'metrics', via: MetricsVia.SERVICE },
    });
    expect(web.monitor?.kind).toBe('ServiceMonitor');
    const out = Testing.synth(c);
    expect(kinds(out, 'Service')[0].spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'metrics', port: 9090, targetPort: 'metrics' },
    ]);
    expect(kinds(out, 'ServiceMonitor')[0].spec.endpoints).toEqual([{ port: 'metrics' }]);
  });

  test('MetricsVia.SERVICE does not add the port to a LoadBalancer Service, nor works without a Service', () => {
    expect(
      () =>
        new WebService(chart(), 'api', {
          containers: [api],
          serviceOptions: { type: ServiceType.LOAD_BALANCER, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
          metrics: { port: 'metrics', via: MetricsVia.SERVICE },
        }),
    ).toThrow(/metrics\.via: adding the metrics port to a LoadBalancer Service would expose the metrics outside the cluster/);
    expect(
      () =>
        new WebService(chart(), 'api', { containers: [api], exposeService: false, metrics: { port: 'metrics', via: MetricsVia.SERVICE } }),
    ).toThrow(/metrics\.via: is MetricsVia.SERVICE, but this workload has no Service/);
  });

  test('no Service or MetricsVia.POD: a PodMonitor', () => {
    const c = chart();
    const a = new WebService(c, 'a', { containers: [api], exposeService: false, metrics: { port: 'metrics' } });
    const b = new WebService(c, 'b', { containers: [api], metrics: { port: 'metrics', via: MetricsVia.POD } });
    expect([a.monitor?.kind, b.monitor?.kind]).toEqual(['PodMonitor', 'PodMonitor']);
    expect(ownMetadata(kinds(Testing.synth(c), 'Service')[0].metadata).labels).toBeUndefined();
  });

  test('StatefulService: through the headless Service only, never the read Service too', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', {
      containers: [
        {
          name: 'db',
          image: 'db:1.0',
          ports: [
            { name: 'sql', number: 5432 },
            { name: 'metrics', number: 9187 },
          ],
        },
      ],
      readServiceOptions: {},
      metrics: { port: 'metrics', monitorOptions: { name: 'db-metrics', labels: { release: 'kps' } } },
    });
    expect(db.metricsPort).toBe('metrics');
    const out = Testing.synth(c);
    const [headless, read] = kinds(out, 'Service');
    expect(ownMetadata(headless.metadata).labels).toEqual({ [LABEL]: 'db' });
    expect(ownMetadata(read.metadata).labels).toBeUndefined();
    const [sm] = kinds(out, 'ServiceMonitor');
    expect(ownMetadata(sm.metadata)).toEqual({ name: 'db-metrics', namespace: 'shop', labels: { release: 'kps' } });
    expect(sm.spec.selector).toEqual({ matchLabels: { [LABEL]: 'db' } });
  });

  test('NodeAgent: a PodMonitor over its pods', () => {
    const c = chart();
    const agent = new NodeAgent(c, 'exporter', {
      podSecurity: PodSecurity.restricted(),
      containers: [{ name: 'exporter', image: 'node-exporter:1.8', ports: [{ name: 'metrics', number: 9100 }] }],
      metrics: { port: 'metrics', interval: Duration.seconds(30) },
    });
    expect(agent.monitor?.kind).toBe('PodMonitor');
    expect(agent.metricsPort).toBe('metrics');
    const [pm] = kinds(Testing.synth(c), 'PodMonitor');
    expect(pm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'exporter' } },
      podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }],
    });
  });

  test('a port that is not a named container port is an error naming metrics.port', () => {
    expect(() => new WebService(chart(), 'api', { containers: [api], metrics: { port: 'Metrics!' } })).toThrow(
      /\[c\/api\] Deployment\/api metrics\.port: "Metrics!" is not a valid port name/,
    );
    const c = chart();
    new WebService(c, 'api', { containers: [api], metrics: { port: 'prom' } });
    expect(() => Testing.synth(c)).toThrow(
      /metrics\.port: "prom" is not the name of a port of any app container, so Prometheus would find nothing to scrape .*named container ports: http, metrics/,
    );
  });

  test('a container added after construction may carry the port', () => {
    const c = chart();
    const web = new WebService(c, 'api', {
      containers: [{ name: 'api', image: 'api:1.0', ports: [{ name: 'http', number: 8080 }] }],
      metrics: { port: 'metrics' },
    });
    web.pod.addContainer({ name: 'exporter', image: 'exporter:1.0', ports: [{ name: 'metrics', number: 9102 }] });
    const out = Testing.synth(c);
    expect(kinds(out, 'Service')[0].spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
    expect(kinds(out, 'ServiceMonitor')).toHaveLength(1);
  });

  test('PatternDefaults monitoringNamespace: monitoring unless set', () => {
    const c = chart();
    expect(PatternDefaults.monitoringNamespaceOf(c)).toBe('monitoring');
    PatternDefaults.set(c.node.root, { monitoringNamespace: 'observability' });
    expect(PatternDefaults.monitoringNamespaceOf(c)).toBe('observability');
  });
});
