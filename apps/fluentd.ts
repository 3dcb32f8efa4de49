// Seed 001: the fluentd-elasticsearch log agent, one pod per node in kube-system, corrected (the
// seed's apiVersoin / DeamonSet / matadata / `host:` typos). It reads container logs from the node
// through hostPath mounts, runs on control-plane nodes too, and reads pod and namespace metadata
// from the API to tag the logs.
import { App, Chart, Duration, Size } from 'cdk8s';
import { HostPathVolumeType } from 'cdk8s-plus-27';
import { NodeAgent, PodSecurity } from '../lib';

export function addFluentd(app: App): NodeAgent {
  const chart = new Chart(app, 'fluentd', { namespace: 'kube-system', labels: { 'k8s-app': 'fluentd-logging' } });
  return new NodeAgent(chart, 'fluentd-elasticsearch', {
    selectorLabels: { name: 'fluentd-elasticsearch' },
    podSecurity: PodSecurity.privileged("reads the node's log files through hostPath mounts"),
    tolerate: { controlPlane: true },
    priorityClassName: 'system-node-critical',
    terminationGracePeriod: Duration.seconds(30),
    containers: [
      {
        name: 'fluentd-elasticsearch',
        // k8s.gcr.io is frozen; the same image is served from registry.k8s.io
        image: 'registry.k8s.io/fluentd-elasticsearch:1.20',
        resources: {
          cpu: { request: '100m' },
          memory: { request: Size.mebibytes(200), limit: Size.mebibytes(200) },
        },
      },
    ],
    hostPaths: [
      // fluentd keeps its read positions next to the logs, so /var/log is writable
      { name: 'varlog', hostPath: '/var/log', type: HostPathVolumeType.DIRECTORY, readOnly: false },
      // Docker writes /var/lib/docker/containers/<id>/<id>-json.log
      { name: 'varlibdockercontainers', hostPath: '/var/lib/docker/containers' },
    ],
    rules: [{ resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] }],
  });
}
