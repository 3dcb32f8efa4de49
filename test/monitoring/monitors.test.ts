import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import {
  BareService,
  MonitorScheme,
  MonitorSelector,
  PatternDefaults,
  PatternsApp,
  PodMonitor,
  PrometheusRule,
  RelabelAction,
  ServiceMonitor,
  Warnings,
  WebService,
} from '../../lib';
import { ownMetadata } from '../util';

function chart(namespace = 'shop') {
  return new Chart(Testing.app(), 'c', { namespace });
}

const container = {
  name: 'api',
  image: 'api:1.0',
  ports: [
    { name: 'http', number: 8080 },
    { name: 'metrics', number: 9090 },
  ],
};

function one(objects: any[], kind: string): any {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('ServiceMonitor', () => {
  test('renders selector, endpoints with Prometheus durations, scheme, relabelings and labels', () => {
    const c = chart();
    PatternDefaults.set(c, { monitorLabels: { release: 'prometheus', team: 'core' } });
    new WebService(c, 'api-pods', { selectorLabels: { app: 'api' }, containers: [container], exposeService: false });
    const svc = new BareService(c, 'svc', { selector: { app: 'api' }, ports: [{ name: 'metrics', port: 9090 }] });
    new ServiceMonitor(c, 'api', {
      selector: MonitorSelector.service(svc.apiObject),
      labels: { team: 'shop' },
      endpoints: [
        {
          port: 'metrics',
          path: '/stats',
          interval: Duration.seconds(90),
          scrapeTimeout: Duration.millis(1500),
          scheme: MonitorScheme.HTTPS,
          honorLabels: true,
          relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }],
          metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: RelabelAction.DROP }],
        },
      ],
    });
    const out = Testing.synth(c);
    const sm = one(out, 'ServiceMonitor');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(ownMetadata(sm.metadata)).toEqual({ name: 'api', namespace: 'shop', labels: { release: 'prometheus', team: 'shop' } });
    expect(sm.spec.namespaceSelector).toBeUndefined(); // the Service is in the monitor's namespace
    expect(sm.spec.selector).toEqual({ matchLabels: { 'monitoring.cdk8s-patterns.io/service': 'svc' } });
    expect(sm.spec.endpoints).toEqual([
      {
        port: 'metrics',
        path: '/stats',
        interval: '1m30s',
        scrapeTimeout: '1s500ms',
        scheme: 'https',
        honorLabels: true,
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node', action: 'replace' }],
        metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'go_.*', action: 'drop' }],
      },
    ]);
    // the selected Service carries the label, so only it is scraped
    expect(ownMetadata(one(out, 'Service').metadata).labels).toEqual({ 'monitoring.cdk8s-patterns.io/service': 'svc' });
  });

  test('over one Service, an endpoint must name a port of that Service', () => {
    const c = chart();
    new WebService(c, 'api', { selectorLabels: { app: 'api' }, containers: [container], exposeService: false });
    const svc = new BareService(c, 'svc', { selector: { app: 'api' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    new ServiceMonitor(c, 'sm', { selector: MonitorSelector.service(svc.apiObject), endpoints: [{ port: 'metrics' }] });
    expect(() => Testing.synth(c)).toThrow(
      /ServiceMonitor\/sm endpoints\[0\]\.port: "metrics" is not the name of a port of Service\/svc, so Prometheus would find no target .*named ports of the Service: http/,
    );
  });

  test('namespaces and anyNamespace become the namespaceSelector', () => {
    const c = chart();
    new ServiceMonitor(c, 'a', { selector: MonitorSelector.labels({ app: 'x' }), endpoints: [{ port: 'm' }], namespaces: ['one', 'two'] });
    new ServiceMonitor(c, 'b', { selector: MonitorSelector.labels({ app: 'x' }), endpoints: [{ port: 'm' }], anyNamespace: true });
    const out = Testing.synth(c);
    expect(out.map((o) => o.spec.namespaceSelector)).toEqual([{ matchNames: ['one', 'two'] }, { any: true }]);
    expect(out[0].spec.selector).toEqual({ matchLabels: { app: 'x' } });
  });

  test('bad props are errors naming the field', () => {
    const sel = MonitorSelector.labels({ app: 'x' });
    const cases: Array<[any, RegExp]> = [
      [{ selector: sel, endpoints: [] }, /endpoints: needs at least one endpoint/],
      [{ selector: sel, endpoints: [{ port: '' }] }, /endpoints\[0\]\.port: needs the name of a port/],
      [{ selector: sel, endpoints: [{ port: 'm', path: 'metrics' }] }, /endpoints\[0\]\.path: "metrics" must start with "\/"/],
      [
        { selector: sel, endpoints: [{ port: 'm', interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(30) }] },
        /endpoints\[0\]\.scrapeTimeout: 30 seconds is longer than the interval/,
      ],
      [{ selector: sel, endpoints: [{ port: 'm', interval: Duration.seconds(0) }] }, /endpoints\[0\]\.interval: must be longer than zero/],
      [
        { selector: sel, endpoints: [{ port: 'm', relabelings: [{ sourceLabels: ['a'] }] }] },
        /relabelings\[0\]\.targetLabel: the replace action needs a targetLabel/,
      ],
      [
        { selector: sel, endpoints: [{ port: 'm', relabelings: [{ action: RelabelAction.HASHMOD, targetLabel: 't' }] }] },
        /relabelings\[0\]\.modulus: the hashmod action needs a positive integer modulus/,
      ],
      [
        { selector: sel, endpoints: [{ port: 'm', metricRelabelings: [{ sourceLabels: ['bad-label'], action: RelabelAction.DROP }] }] },
        /metricRelabelings\[0\]\.sourceLabels\[0\]: "bad-label" is not a Prometheus label name/,
      ],
      [
        { selector: sel, endpoints: [{ port: 'm' }], namespaces: ['a'], anyNamespace: true },
        /namespaces: cannot be set together with anyNamespace/,
      ],
      [{ selector: sel, endpoints: [{ port: 'm' }], namespaces: ['Not_A_Namespace'] }, /namespaces\[0\]/],
      [{ selector: sel, endpoints: [{ port: 'm' }], name: 'Bad_Name' }, /name:/],
      [{ selector: sel, endpoints: [{ port: 'm' }], labels: { 'bad key!': 'x' } }, /labels/],
    ];
    for (const [props, error] of cases) expect(() => new ServiceMonitor(chart(), 'm', props)).toThrow(error);
  });

  test('a ServiceMonitor does not take pods, a PodMonitor does not take a Service', () => {
    const c = chart();
    const web = new WebService(c, 'web', { containers: [container] });
    expect(() => new ServiceMonitor(c, 'sm', { selector: MonitorSelector.pods(web), endpoints: [{ port: 'metrics' }] })).toThrow(
      /selector: MonitorSelector.pods selects pods, and a ServiceMonitor selects Services/,
    );
    expect(() => new PodMonitor(c, 'pm', { selector: MonitorSelector.service(web.service!), endpoints: [{ port: 'metrics' }] })).toThrow(
      /selector: MonitorSelector.service selects a Service, and a PodMonitor selects pods/,
    );
  });
});

test('a selector that selects everything is refused', () => {
  expect(() => MonitorSelector.labels({})).toThrow(/\[<MonitorSelector.labels>\] matchLabels: must not be empty/);
  const noLabels = { toPodSelectorConfig: () => ({ labelSelector: { _toKube: () => ({}) } }) } as any;
  expect(() => MonitorSelector.pods(noLabels)).toThrow(/workload: selects no labels/);
});

describe('PodMonitor', () => {
  test('selects the pods of our workloads and of cdk8s-plus ones, in their namespace', () => {
    const app = Testing.app();
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const ops = new Chart(app, 'ops', { namespace: 'ops' });
    const web = new WebService(shop, 'web', { containers: [container] });
    const dep = new plus.Deployment(shop, 'legacy', {
      containers: [{ image: 'legacy:1.0', ports: [{ name: 'metrics', number: 9100 }], securityContext: { ensureNonRoot: false } }],
    });
    new PodMonitor(ops, 'web', { selector: MonitorSelector.pods(web), endpoints: [{ port: 'metrics' }] });
    new PodMonitor(shop, 'legacy-monitor', { selector: MonitorSelector.pods(dep), endpoints: [{ port: 'metrics' }] });
    const [webMon] = Testing.synth(ops);
    expect(webMon.kind).toBe('PodMonitor');
    expect(webMon.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      namespaceSelector: { matchNames: ['shop'] },
      podMetricsEndpoints: [{ port: 'metrics' }],
    });
    const legacyMon = one(Testing.synth(shop), 'PodMonitor');
    expect(legacyMon.spec.selector.matchLabels).toEqual(dep.matchLabels);
    expect(legacyMon.spec.namespaceSelector).toBeUndefined();
  });
});

describe('PrometheusRule', () => {
  test('renders groups: records first, then alerts, durations as Prometheus durations', () => {
    const c = chart();
    PatternDefaults.set(c, { monitorLabels: { release: 'prometheus' } });
    new PrometheusRule(c, 'api-rules', {
      groups: [
        {
          name: 'api',
          interval: Duration.minutes(1),
          alerts: [
            {
              alert: 'ApiErrors',
              expr: 'job:http_errors:rate5m > 0.05',
              for: Duration.minutes(10),
              labels: { severity: 'warning' },
              annotations: { summary: 'API error rate above 5%' },
            },
            { alert: 'ApiDown', expr: 'up{job="api"} == 0' },
          ],
          records: [{ record: 'job:http_errors:rate5m', expr: 'sum by (job) (rate(http_errors_total[5m]))' }],
        },
      ],
    });
    const [rule] = Testing.synth(c);
    expect(rule.kind).toBe('PrometheusRule');
    expect(ownMetadata(rule.metadata).labels).toEqual({ release: 'prometheus' });
    expect(rule.spec.groups).toEqual([
      {
        name: 'api',
        interval: '1m',
        rules: [
          { record: 'job:http_errors:rate5m', expr: 'sum by (job) (rate(http_errors_total[5m]))' },
          {
            alert: 'ApiErrors',
            expr: 'job:http_errors:rate5m > 0.05',
            for: '10m',
            labels: { severity: 'warning' },
            annotations: { summary: 'API error rate above 5%' },
          },
          { alert: 'ApiDown', expr: 'up{job="api"} == 0' },
        ],
      },
    ]);
  });

  test('bad rules are errors naming the field', () => {
    const alert = { alert: 'A', expr: 'up == 0' };
    const cases: Array<[any[], RegExp]> = [
      [[], /groups: needs at least one rule group/],
      [[{ name: 'g' }], /groups\[0\]: group "g" has no rules/],
      [[{ name: '', alerts: [alert] }], /groups\[0\]\.name: must not be empty/],
      [
        [
          { name: 'g', alerts: [alert] },
          { name: 'g', alerts: [alert] },
        ],
        /groups\[1\]\.name: duplicate group name "g"/,
      ],
      [
        [{ name: 'g', records: [{ record: 'job-errors', expr: 'x' }] }],
        /records\[0\]\.record: "job-errors" is not a Prometheus metric name/,
      ],
      [[{ name: 'g', alerts: [{ alert: 'A', expr: ' ' }] }], /alerts\[0\]\.expr: must not be empty/],
      [[{ name: 'g', alerts: [{ alert: '', expr: 'x' }] }], /alerts\[0\]\.alert: must not be empty/],
      [
        [{ name: 'g', alerts: [{ ...alert, labels: { __name__: 'x' } }] }],
        /alerts\[0\]\.labels: "__name__" is not a valid rule label name/,
      ],
      [[{ name: 'g', alerts: [{ ...alert, annotations: { 'run-book': 'x' } }] }], /alerts\[0\]\.annotations: "run-book"/],
      [[{ name: 'g', alerts: [{ ...alert, for: Duration.millis(0.5) }] }], /alerts\[0\]\.for: must be a whole number of milliseconds/],
      [[{ name: 'g', interval: Duration.seconds(0), alerts: [alert] }], /groups\[0\]\.interval: must be longer than zero/],
    ];
    for (const [groups, error] of cases) expect(() => new PrometheusRule(chart(), 'r', { groups })).toThrow(error);
  });

  test('for: 0 is written as 0s (fires at once)', () => {
    const c = chart();
    new PrometheusRule(c, 'r', { groups: [{ name: 'g', alerts: [{ alert: 'A', expr: 'up == 0', for: Duration.seconds(0) }] }] });
    expect(Testing.synth(c)[0].spec.groups[0].rules[0].for).toBe('0s');
  });
});

describe('schema: monitoring.coreos.com objects are checked against prometheus-operator v0.93.0', () => {
  function patternsApp() {
    const warnings: string[] = [];
    const a = new PatternsApp({ outdir: '/nonexistent/never-written', logger: { warn: (m: string) => void warnings.push(m) } });
    return { a, chart: new Chart(a, 'c', { namespace: 'shop' }), warnings };
  }

  test('typed monitors and rules synthesize with no unknown-kind warning', () => {
    const { a, chart: c } = patternsApp();
    new WebService(c, 'web', { containers: [container], metrics: { port: 'metrics' } });
    new PodMonitor(c, 'pm', { selector: MonitorSelector.labels({ app: 'x' }), endpoints: [{ port: 'metrics' }] });
    new PrometheusRule(c, 'r', { groups: [{ name: 'g', alerts: [{ alert: 'A', expr: 'up == 0' }] }] });
    a.synthYaml();
    expect(
      Warnings.of(a)
        .map((w) => w.message)
        .filter((m) => m.includes('[unknown-kind]')),
    ).toEqual([]);
  });

  test('a bad field in a typed monitor (through the escape hatch) is a schema error', () => {
    const { a, chart: c } = patternsApp();
    const sm = new ServiceMonitor(c, 'sm', { selector: MonitorSelector.labels({ app: 'x' }), endpoints: [{ port: 'metrics' }] });
    sm.apiObject.addJsonPatch(JsonPatch.add('/spec/endpoints/0/intervall', '30s'), JsonPatch.add('/spec/endpoints/0/scheme', 'ftp'));
    expect(() => a.synthYaml()).toThrow(
      /ServiceMonitor\/sm spec\.endpoints\[0\]\.intervall: unknown field "intervall" \(did you mean "interval"\?\) \[schema\][\s\S]*spec\.endpoints\[0\]\.scheme: must be one of/,
    );
  });

  test('a hand-written ServiceMonitor in an app that uses ours gets the same check, and no warning', () => {
    const { a, chart: c } = patternsApp();
    new PrometheusRule(c, 'r', { groups: [{ name: 'g', alerts: [{ alert: 'A', expr: 'up == 0' }] }] });
    new ApiObject(c, 'raw', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'raw' },
      spec: { selector: { matchLabels: { app: 'x' } }, endpoints: [{ port: 'metrics', interval: '30 seconds' }] },
    } as any);
    expect(() => a.synthYaml()).toThrow(/ServiceMonitor\/raw spec\.endpoints\[0\]\.interval: must match pattern .*\[schema\]/);
  });

  test('a valid hand-written one passes; without a typed construct it stays an unknown kind (a warning)', () => {
    const raw = (c: Chart) =>
      new ApiObject(c, 'raw', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'raw' },
        spec: { selector: { matchLabels: { app: 'x' } }, podMetricsEndpoints: [{ port: 'metrics', interval: '30s' }] },
      } as any);
    const withOurs = patternsApp();
    new PrometheusRule(withOurs.chart, 'r', { groups: [{ name: 'g', alerts: [{ alert: 'A', expr: 'up == 0' }] }] });
    raw(withOurs.chart);
    withOurs.a.synthYaml();
    expect(Warnings.of(withOurs.a)).toEqual([]);

    const alone = patternsApp();
    raw(alone.chart);
    alone.a.synthYaml();
    expect(
      Warnings.of(alone.a)
        .map((w) => w.message)
        .join('\n'),
    ).toMatch(/no CustomResourceDefinition in the app for monitoring\.coreos\.com\/v1\/PodMonitor/);
  });

  test('a CustomResourceDefinition of the kind in the app wins over the bundled schema', () => {
    const { a, chart: c } = patternsApp();
    new PrometheusRule(c, 'r', { groups: [{ name: 'g', alerts: [{ alert: 'A', expr: 'up == 0' }] }] });
    new ApiObject(c, 'crd', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'servicemonitors.monitoring.coreos.com' },
      spec: {
        group: 'monitoring.coreos.com',
        names: { kind: 'ServiceMonitor', plural: 'servicemonitors' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    } as any);
    new ApiObject(c, 'raw', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'raw' },
      spec: { fieldOfANewerOperator: true },
    } as any);
    expect(() => a.synthYaml()).not.toThrow();
  });
});
