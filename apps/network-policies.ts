// A storefront in two namespaces, showing the NetworkPolicy every StatefulService, WebService and
// NodeAgent gets. `orders-db` (namespace storefront-data) lets in only the storefront: one
// `db.allowFrom(web, migrate)` restricts its ingress to those pods (selected in their namespace by its
// kubernetes.io/metadata.name label) and, since `web` restricts its egress, adds the matching egress
// rule to web's policy. `web` may reach DNS (always, when egress is restricted), the database, and the
// payment provider's addresses; every pod of the cluster may reach web's own port (the default). The
// migration Job has no policy of its own (a Job serves nothing); it is only a client. `cache` keeps the
// default policy, `legacy-reports` opts out with its reason on the Deployment.
import { App, Chart, Size } from 'cdk8s';
import { NetworkPolicyIpBlock } from 'cdk8s-plus-27';
import { BatchJob, ContainerProbe, OptOut, StatefulService, WebService } from '../lib';

export interface NetworkPoliciesExample {
  readonly db: StatefulService;
  readonly web: WebService;
  readonly migrate: BatchJob;
  readonly cache: WebService;
  readonly legacy: WebService;
}

export function addNetworkPolicies(app: App): NetworkPoliciesExample {
  const data = new Chart(app, 'network-policies-data', { namespace: 'storefront-data' });
  const front = new Chart(app, 'network-policies-front', { namespace: 'storefront' });

  const db = new StatefulService(data, 'orders-db', {
    replicas: 2,
    containers: [
      {
        name: 'postgres',
        image: 'bitnami/postgresql:16.1.0',
        ports: [{ name: 'postgresql', number: 5432 }],
        readiness: ContainerProbe.tcpSocket(),
      },
    ],
    // no default PodDisruptionBudget: the reason lands on the Deployment (opt-out.cdk8s-patterns.io/disruption-budget)
    budget: OptOut.because('a cache: a drain may take both pods, clients fall back to orders-db'),
    claims: [{ name: 'data', size: Size.gibibytes(10), mountPath: '/bitnami/postgresql' }],
  });

  const cache = new WebService(front, 'cache', {
    containers: [
      {
        name: 'memcached',
        image: 'bitnami/memcached:1.6.22',
        ports: [{ name: 'memcache', number: 11211 }],
        readiness: ContainerProbe.tcpSocket(),
      },
    ],
  });

  const payments = NetworkPolicyIpBlock.ipv4(front, 'payment-provider', '203.0.113.0/24');
  const web = new WebService(front, 'web', {
    containers: [
      {
        name: 'web',
        image: 'example/storefront:2.4.1',
        ports: [{ name: 'http', number: 8080 }],
        readiness: ContainerProbe.httpGet('/healthz'),
      },
    ],
    networkPolicy: { restrictEgress: true, egressTo: [cache, payments] },
  });

  const migrate = new BatchJob(front, 'migrate', {
    containers: [{ name: 'migrate', image: 'example/storefront-migrations:2.4.1' }],
  });

  db.allowFrom(web, migrate);

  const legacy = new WebService(front, 'legacy-reports', {
    containers: [
      { name: 'reports', image: 'example/reports:0.9.3', ports: [{ name: 'http', number: 8080 }], readiness: ContainerProbe.httpGet('/') },
    ],
    networkPolicy: OptOut.because('reached through the node network by an agent we do not control; ticket OPS-412'),
  });

  return { db, web, migrate, cache, legacy };
}
