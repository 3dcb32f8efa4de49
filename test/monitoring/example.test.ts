import { addMetrics } from '../../apps/metrics';
import { byKind, expectValidManifests, synthExample, ownMetadata } from '../util';

test('the metrics example: monitors for the workloads, standalone monitors and a rule, all labelled for Prometheus', () => {
  const out = synthExample(addMetrics);
  expect(byKind(out, 'ServiceMonitor').map((m) => m.metadata.name)).toEqual(['checkout', 'orders-db', 'payments-monitor']);
  expect(byKind(out, 'PodMonitor').map((m) => m.metadata.name)).toEqual(['node-exporter', 'worker-monitor']);
  expect(byKind(out, 'PrometheusRule').map((m) => m.metadata.name)).toEqual(['shop-alerts']);
  for (const m of out.filter((o) => o.apiVersion === 'monitoring.coreos.com/v1'))
    expect(ownMetadata(m.metadata).labels).toEqual({ release: 'prometheus' });
  const alert = byKind(out, 'PrometheusRule')[0].spec.groups[0].rules[1];
  expect(alert).toMatchObject({ alert: 'CheckoutHighErrorRate', for: '10m', labels: { severity: 'warning' } });
  expectValidManifests(out);
});
