// Metrics (issue 15): workloads scraped by Prometheus through the prometheus-operator kinds.
// - `metrics: { port }` on a WebService and a StatefulService: a ServiceMonitor through their Service
//   (which carries every named container port); on a NodeAgent (no Service): a PodMonitor.
// - a standalone ServiceMonitor over a BareService, and a standalone PodMonitor with relabelings.
// - a PrometheusRule with a recording rule and alerts.
// Every monitor and rule carries `release: prometheus` (PatternDefaults monitorLabels), the label
// kube-prometheus-stack's Prometheus selects by default for a Helm release named "prometheus".
import { App, Chart, Duration, Size } from 'cdk8s';
import {
  BareService,
  ContainerProbe,
  MonitorScheme,
  MonitorSelector,
  NodeAgent,
  PatternDefaults,
  PodMonitor,
  PodSecurity,
  PrometheusRule,
  RelabelAction,
  ServiceMonitor,
  StatefulService,
  WebService,
} from '../lib';

export function addMetrics(app: App): Chart {
  const chart = new Chart(app, 'metrics', { namespace: 'telemetry-demo' });
  PatternDefaults.set(chart, { monitorLabels: { release: 'prometheus' } });

  // ServiceMonitor "checkout" through the Service "checkout", every 15s
  new WebService(chart, 'checkout', {
    containers: [
      {
        name: 'checkout',
        image: 'registry.example.com/checkout:2.4.1',
        ports: [
          { name: 'http', number: 8080 },
          { name: 'metrics', number: 9090 },
        ],
        readiness: ContainerProbe.httpGet('/ready', { port: 8080 }),
      },
    ],
    metrics: { port: 'metrics', interval: Duration.seconds(15) },
  });

  // ServiceMonitor "orders-db" through the headless Service, scraping the exporter sidecar
  new StatefulService(chart, 'orders-db', {
    containers: [
      {
        name: 'postgres',
        image: 'postgres:16.3',
        ports: [{ name: 'sql', number: 5432 }],
        readiness: ContainerProbe.tcpSocket({ port: 5432 }),
      },
      {
        name: 'exporter',
        image: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0',
        ports: [{ name: 'metrics', number: 9187 }],
        readiness: ContainerProbe.httpGet('/metrics'),
      },
    ],
    claims: [{ name: 'data', size: Size.gibibytes(10), mountPath: '/var/lib/postgresql/data' }],
    metrics: { port: 'metrics' },
  });

  // PodMonitor "node-exporter": a node agent has no Service
  new NodeAgent(chart, 'node-exporter', {
    podSecurity: PodSecurity.restricted(),
    containers: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.1', ports: [{ name: 'metrics', number: 9100 }] }],
    metrics: { port: 'metrics', interval: Duration.seconds(30), scrapeTimeout: Duration.seconds(10) },
  });

  // standalone ServiceMonitor over a Service written by hand, scraped over HTTPS
  const payments = new WebService(chart, 'payments', {
    exposeService: false,
    containers: [
      {
        name: 'payments',
        image: 'registry.example.com/payments:1.9.0',
        ports: [{ name: 'https', number: 8443 }],
        readiness: ContainerProbe.tcpSocket(),
      },
    ],
  });
  const gateway = new BareService(chart, 'payments-gateway', {
    selector: payments.selectorLabels,
    ports: [{ name: 'https', port: 443, targetPort: 'https' }],
  });
  new ServiceMonitor(chart, 'payments-monitor', {
    selector: MonitorSelector.service(gateway.apiObject),
    endpoints: [{ port: 'https', path: '/internal/metrics', scheme: MonitorScheme.HTTPS }],
  });

  // standalone PodMonitor with relabelings: keep only the queue metrics, label each series with its node
  const worker = new WebService(chart, 'worker', {
    exposeService: false,
    containers: [{ name: 'worker', image: 'registry.example.com/worker:3.0.2', ports: [{ name: 'metrics', number: 9100 }] }],
  });
  new PodMonitor(chart, 'worker-monitor', {
    selector: MonitorSelector.pods(worker),
    endpoints: [
      {
        port: 'metrics',
        relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' }],
        metricRelabelings: [{ sourceLabels: ['__name__'], regex: 'queue_.*', action: RelabelAction.KEEP }],
      },
    ],
  });

  new PrometheusRule(chart, 'shop-alerts', {
    groups: [
      {
        name: 'checkout',
        records: [
          {
            record: 'job:http_requests_errors:ratio_rate5m',
            expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
          },
        ],
        alerts: [
          {
            alert: 'CheckoutHighErrorRate',
            expr: 'job:http_requests_errors:ratio_rate5m{job="checkout"} > 0.05',
            for: Duration.minutes(10),
            labels: { severity: 'warning' },
            annotations: { summary: 'More than 5% of checkout requests fail', runbook_url: 'https://runbooks.example.com/checkout/errors' },
          },
        ],
      },
      {
        name: 'orders-db',
        alerts: [
          {
            alert: 'OrdersDbDown',
            expr: 'pg_up{job="orders-db"} == 0',
            for: Duration.minutes(2),
            labels: { severity: 'critical' },
            annotations: { summary: 'The orders database does not answer its exporter' },
          },
        ],
      },
    ],
  });
  return chart;
}
