import { ApiObject, Chart, Cron, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Validation, ValidationRule } from '../../lib';
import { Manifest } from '../../lib/core/manifest';
import { expectValidManifests, ownMetadata } from '../util';

/** A chart of cdk8s-plus objects with their defaults, in an app with validation on. */
function plusChart() {
  const app = Testing.app();
  Validation.enable(app);
  Validation.suppress(app, ValidationRule.POD_SECURITY, 'cdk8s-plus pod defaults are not restricted; not under test here');
  const chart = new Chart(app, 'plus');
  const deployment = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.25', portNumber: 80 }] });
  deployment.exposeViaService({ name: 'web' });
  new kplus.StatefulSet(chart, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] });
  new kplus.DaemonSet(chart, 'agent', { containers: [{ image: 'agent:1.0' }] });
  new kplus.CronJob(chart, 'nightly', { containers: [{ image: 'job:1.0' }], schedule: Cron.daily() });
  new kplus.ConfigMap(chart, 'config', { data: { a: 'b' } });
  new kplus.ConfigMap(chart, 'frozen', { data: { a: 'b' }, immutable: true });
  new kplus.Secret(chart, 'empty');
  const sa = new kplus.ServiceAccount(chart, 'bot');
  const role = new kplus.ClusterRole(chart, 'reader');
  role.allowRead(kplus.ApiResource.PODS);
  new kplus.ClusterRole(chart, 'nothing');
  new kplus.RoleBinding(chart, 'unbound', { role: new kplus.Role(chart, 'r') });
  const policy = new kplus.NetworkPolicy(chart, 'egress', { selector: deployment });
  policy.addEgressRule(kplus.NetworkPolicyIpBlock.anyIpv4(chart, 'any'));
  policy.addIngressRule(kplus.Pods.all(chart, 'all'), [kplus.NetworkPolicyPort.tcp(80)]);
  new kplus.Namespace(chart, 'ns');
  new kplus.PersistentVolumeClaim(chart, 'claim', {
    storage: Size.gibibytes(1),
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
  });
  void sa;
  return { app, chart };
}

const byKind = (m: any[], kind: string) => m.filter((o) => o.kind === kind);

describe('cdk8s-plus noise filter', () => {
  test('drops meaningless empty and default values from cdk8s-plus objects', () => {
    const m = Testing.synth(plusChart().chart);
    const json = JSON.stringify(m);
    for (const noise of [
      '"externalIPs":[]',
      '"resourceNames":[]',
      '"immutable":false',
      '"minReadySeconds":0',
      '"hostNetwork":false',
      '"setHostnameAsFQDN":false',
      '"subjects":[]',
      '"suspend":false',
      '"stringData":{}',
      '"ports":[]',
      '"rules":[]',
      '"spec":{}',
      '"selector":{}',
    ]) {
      expect(json).not.toContain(noise);
    }
    expectValidManifests(m);
  });

  test('keeps values that carry meaning', () => {
    const m = Testing.synth(plusChart().chart);
    expect(byKind(m, 'Deployment')[0].spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(byKind(m, 'Deployment')[0].spec.template.spec.containers[0].securityContext.privileged).toBe(false);
    expect(byKind(m, 'ConfigMap').map((c) => c.immutable)).toEqual([undefined, true]);
    expect(
      byKind(m, 'NetworkPolicy')
        .flatMap((p) => p.spec.ingress ?? [])
        .map((r: any) => r.from),
    ).toEqual([[{ podSelector: {} }]]);
    expect(byKind(m, 'ServiceAccount')[0].automountServiceAccountToken).toBe(false);
    expect(byKind(m, 'ClusterRole')[0].rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
  });

  test('leaves raw ApiObjects and our Manifests exactly as written', () => {
    const { app, chart } = plusChart();
    const raw = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' }, immutable: false, data: {} };
    new ApiObject(chart, 'raw', raw);
    new Manifest(chart, 'ours', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ours' }, render: () => ({ immutable: false }) });
    void app;
    const m = Testing.synth(chart);
    expect(m.find((o) => o.metadata.name === 'raw')).toEqual(raw);
    const ours = m.find((o) => o.metadata.name === 'ours');
    expect({ ...ours, metadata: ownMetadata(ours.metadata) }).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ours' },
      immutable: false,
    });
  });
});
