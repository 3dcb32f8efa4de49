// Pod Security admission per namespace: the "payments" namespace enforces the "restricted" profile
// (labels pod-security.kubernetes.io/enforce, warn and audit, policy version v1.27), and its cache runs
// an unprivileged image that meets it. Synth checks every pod template of the namespace against the
// enforced level, so a workload that admission would reject fails here instead of at apply time.
import { App, Chart, Size } from 'cdk8s';
import { Probe } from 'cdk8s-plus-27';
import { StatefulService, SecureNamespace } from '../lib';

export function addNamespaceSecurity(app: App): SecureNamespace {
  const chart = new Chart(app, 'namespace-security', { namespace: 'payments' });
  const namespace = new SecureNamespace(chart, 'payments');
  new StatefulService(chart, 'cache', {
    replicas: 2,
    containers: [
      {
        name: 'redis',
        image: 'bitnami/redis:7.2',
        env: { ALLOW_EMPTY_PASSWORD: 'yes' },
        ports: [{ name: 'redis', number: 6379 }],
        readiness: Probe.fromTcpSocket(),
        security: { runAsUser: 1001 },
        // the read-only root filesystem: the Bitnami image writes its config and pid file here
        writablePaths: ['/opt/bitnami/redis/etc', '/opt/bitnami/redis/tmp'],
      },
    ],
    claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/bitnami/redis/data' }],
  });
  return namespace;
}
