import { Chart, Testing } from 'cdk8s';
import { buildApps } from '../../apps/main';
import { addNetworkPolicies } from '../../apps/network-policies';
import { Endpoint, ExternalClient, NetworkReachability, PodGroup } from '../../lib/review/network-reachability';
import { synthExample } from '../util';

const podWithLabels = (name: string, namespace: string, labels: Record<string, string>, ports: any[] = [], extra: any = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'x:1', ports }], ...extra },
});
const policy = (name: string, namespace: string, spec: any) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

describe('NetworkReachability: Kubernetes NetworkPolicy semantics', () => {
  const web = podWithLabels('web', 'a', { app: 'web' }, [{ name: 'http', containerPort: 8080 }, { containerPort: 9000 }]);
  const db = podWithLabels('db', 'b', { app: 'db' }, [
    { name: 'pg', containerPort: 5432 },
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
  ]);
  const other = podWithLabels('other', 'a', { app: 'other' });
  const find = (r: NetworkReachability, name: string) => r.pods.find((p) => p.name === name)!;

  test('a pod selected by no policy is open in both directions', () => {
    const r = new NetworkReachability([web, db]);
    expect(r.allowed(find(r, 'web'), find(r, 'db'), 5432)).toBe(true);
    expect(r.allowed({ namespace: 'z' }, find(r, 'web'), 9000)).toBe(true);
  });

  test('selected pods allow the union of rules; ports by number or by name resolved on the destination', () => {
    const r = new NetworkReachability([
      web,
      db,
      other,
      policy('p1', 'b', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'pg' }] }],
      }),
      policy('p2', 'b', {
        podSelector: {},
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } }, podSelector: { matchLabels: { app: 'web' } } },
            ],
            ports: [{ port: 53, protocol: 'UDP' }],
          },
        ],
      }),
    ]);
    expect(r.allowed(find(r, 'web'), find(r, 'db'), 5432)).toBe(true);
    expect(r.allowed(find(r, 'other'), find(r, 'db'), 5432)).toBe(true);
    expect(r.allowed(find(r, 'web'), find(r, 'db'), 53, 'UDP')).toBe(true);
    expect(r.allowed(find(r, 'other'), find(r, 'db'), 53, 'UDP')).toBe(false); // podSelector and namespaceSelector both apply
    expect(r.allowed(find(r, 'web'), find(r, 'db'), 53, 'TCP')).toBe(false); // protocol defaults to TCP
    expect(r.allowed(find(r, 'web'), find(r, 'db'), 5433)).toBe(false);
    expect(r.policiesSelecting(find(r, 'db'), 'Ingress')).toEqual(['b/p1', 'b/p2']);
  });

  test('podSelector alone means the policy namespace; namespaceSelector alone every pod there; empty lists mean all; endPort ranges', () => {
    const r = new NetworkReachability([
      web,
      db,
      other,
      policy('same-ns', 'a', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 9000, endPort: 9010 }] }],
      }),
    ]);
    expect(r.allowed(find(r, 'other'), find(r, 'web'), 9000)).toBe(true);
    expect(r.allowed(find(r, 'db'), find(r, 'web'), 9000)).toBe(false);
    expect(r.allowed(find(r, 'other'), find(r, 'web'), 8080)).toBe(false);
    const open = new NetworkReachability([web, db, policy('all', 'a', { podSelector: {}, ingress: [{}] })]);
    expect(open.allowed(find(open, 'db'), find(open, 'web'), 1234)).toBe(true);
    const none = new NetworkReachability([web, db, policy('deny', 'a', { podSelector: {}, policyTypes: ['Ingress'] })]);
    expect(none.allowed(find(none, 'db'), find(none, 'web'), 8080)).toBe(false);
  });

  test('egress needs to be allowed too; a named egress port resolves on the destination pod; policyTypes default from the rules', () => {
    const r = new NetworkReachability([
      web,
      db,
      policy('eg', 'a', {
        podSelector: { matchLabels: { app: 'web' } },
        egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 'pg' }] }],
      }),
    ]);
    expect(r.policiesSelecting(find(r, 'web'), 'Egress')).toEqual(['a/eg']);
    expect(r.allowed(find(r, 'web'), find(r, 'db'), 5432)).toBe(true);
    expect(r.allowed(find(r, 'web'), find(r, 'db'), 53, 'UDP')).toBe(false);
  });

  test('ipBlock matches addresses in the CIDR outside except, not pods; host-network pods are outside policy', () => {
    const host = podWithLabels('host', 'a', { app: 'host' }, [{ containerPort: 10250 }], { hostNetwork: true });
    const r = new NetworkReachability([
      web,
      host,
      policy('ip', 'a', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] }),
    ]);
    expect(r.allowed({ ip: '10.2.3.4' }, find(r, 'web'), 8080)).toBe(true);
    expect(r.allowed({ ip: '10.1.3.4' }, find(r, 'web'), 8080)).toBe(false);
    expect(r.allowed({ ip: '192.168.0.1' }, find(r, 'web'), 8080)).toBe(false);
    expect(r.allowed({ namespace: 'a', labels: {} }, find(r, 'web'), 8080)).toBe(false);
    expect(r.allowed({ namespace: 'z', labels: {} }, find(r, 'host'), 10250)).toBe(true);
  });

  test('namespaces carry their name label and the labels of Namespace objects', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mon', labels: { team: 'obs' } } };
    const r = new NetworkReachability([
      ns,
      web,
      policy('p', 'a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'obs' } } }] }] }),
    ]);
    expect(r.labelsOfNamespace('mon')).toEqual({ team: 'obs', 'kubernetes.io/metadata.name': 'mon' });
    expect(r.allowed({ namespace: 'mon', labels: {} }, find(r, 'web'), 8080)).toBe(true);
    expect(r.allowed({ namespace: 'a', labels: {} }, find(r, 'web'), 8080)).toBe(false);
  });
});

/** A finding of the reachability proof, as one line. */
function describeApp(manifests: any[]): { unreachable: string[]; alsoReachable: string[]; exceptions: string[]; unprotected: string[] } {
  const r = new NetworkReachability(manifests);
  const namespaces = [...new Set([...r.pods.map((p) => p.namespace), ...r.services.map((s) => s.namespace)])];
  // some in-cluster client: every pod of the app, a label-less pod in each of its namespaces, one in a
  // namespace of its own, and one in the monitoring namespace (the only documented exception)
  const clients: Endpoint[] = [
    ...r.pods,
    ...namespaces.map((namespace): ExternalClient => ({ namespace, labels: {} })),
    { namespace: 'elsewhere', labels: {} },
    { namespace: 'monitoring', labels: {} },
  ];
  const name = (p: PodGroup) => `${p.namespace}/${p.kind}/${p.name}`;
  const isPod = (c: Endpoint): c is PodGroup => 'kind' in c;
  const unreachable: string[] = [];
  const alsoReachable: string[] = [];
  const exceptions: string[] = [];
  const unprotected = new Set<string>();
  const servicePorts = new Map<PodGroup, Set<string>>();
  // Services reached from outside the pod network: NodePort/LoadBalancer, and those admission webhooks call
  const webhookServices = new Set(
    manifests
      .filter((o) => o.kind === 'MutatingWebhookConfiguration' || o.kind === 'ValidatingWebhookConfiguration')
      .flatMap((o) => (o.webhooks ?? []).map((w: any) => w.clientConfig?.service))
      .filter((s: any) => s)
      .map((s: any) => `${s.namespace}/${s.name}`),
  );
  const outside: ExternalClient = { ip: '192.0.2.10' };
  for (const s of r.services) {
    const fromOutside = s.type === 'NodePort' || s.type === 'LoadBalancer' || webhookServices.has(`${s.namespace}/${s.name}`);
    for (const target of r.podsOf(s)) {
      const ports = servicePorts.get(target) ?? new Set<string>();
      servicePorts.set(target, ports);
      for (const sp of s.ports) {
        const resolved = typeof sp.targetPort === 'number' ? { number: sp.targetPort } : r.resolvePort(target, sp.targetPort, sp.protocol);
        if (!resolved) continue; // routes nowhere: the Service check reports that
        ports.add(`${resolved.number}/${sp.protocol}`);
        if (!clients.some((c) => r.allowed(c, target, resolved.number, sp.protocol))) {
          unreachable.push(`Service ${s.namespace}/${s.name} port ${sp.port} -> ${name(target)}:${sp.targetPort}`);
        }
        if (fromOutside && !r.allowed(outside, target, resolved.number, sp.protocol)) {
          unreachable.push(
            `Service ${s.namespace}/${s.name} port ${sp.port} -> ${name(target)}:${sp.targetPort} from outside the pod network`,
          );
        }
      }
    }
  }
  for (const target of r.pods) {
    if (target.ports.length === 0) continue; // serves nothing (jobs, most agents)
    let ports = servicePorts.get(target);
    if (!ports) {
      // no Service in front: the declared container ports are what the workload exposes (NodeAgent,
      // WebService without a Service); each must be reachable, so there is no "other" port to keep closed
      ports = new Set(target.ports.map((cp) => `${cp.number}/${cp.protocol}`));
      for (const cp of target.ports) {
        if (!clients.some((c) => r.allowed(c, target, cp.number, cp.protocol))) {
          unreachable.push(`${name(target)}:${cp.name ?? cp.number} (no Service)`);
        }
      }
    }
    if (r.policiesSelecting(target, 'Ingress').length === 0) {
      unprotected.add(name(target));
      continue;
    }
    for (const cp of target.ports) {
      if (ports.has(`${cp.number}/${cp.protocol}`)) continue;
      const from = clients.filter((c) => r.allowed(c, target, cp.number, cp.protocol));
      const label = `${name(target)}:${cp.name ?? cp.number}`;
      // peers of one workload reach each other on their declared ports (StatefulService replication)
      const others = from.filter((c) => !(isPod(c) && c === target));
      if (others.length === 0) {
        if (from.length > 0) exceptions.push(`${label} from its own pods`);
      } else if (others.every((c) => !isPod(c) && c.namespace === 'monitoring')) {
        exceptions.push(`${label} from namespace monitoring`);
      } else {
        alsoReachable.push(`${label} from ${others.map((c) => (isPod(c) ? name(c) : `a pod in ${c.namespace}`)).join(', ')}`);
      }
    }
  }
  return { unreachable, alsoReachable, exceptions, unprotected: [...unprotected].sort() };
}

describe('every example: each Service port reachable under its policies, no other container port', () => {
  const apps = buildApps('/nonexistent-outdir');
  const manifests = apps.map((app) => app.node.children.filter((c): c is Chart => c instanceof Chart).flatMap((c) => Testing.synth(c)));

  test('dist/k8s-1.13/ holds admission configurations only: no pod to reach, so the proof below has nothing to check there', () => {
    expect(new NetworkReachability(manifests[1]).pods).toEqual([]);
  });

  test.each(['dist/', 'dist/k8s-1.13/'].map((d, i) => [d, i]))('%s', (_dir, i) => {
    const found = describeApp(manifests[i as number]);
    expect(found.unreachable).toEqual([]);
    expect(found.alsoReachable).toEqual([]);
    expect(found.exceptions).toEqual(
      i === 0
        ? [
            // the xtrabackup sidecar serves clones to the next replica (mysql-N.mysql:3307); only peers reach it
            'default/StatefulSet/mysql:xtrabackup from its own pods',
          ]
        : [],
    );
    // pods serving ports that no policy selects: cdk8s-plus Deployments (the library adds no objects
    // for them) and the workload that opted out with a reason; every other pod with ports is selected
    expect(found.unprotected).toEqual(
      i === 0
        ? [
            'shop-hardened/Deployment/mixed-plus-hardened-legacy-c876614d',
            'shop/Deployment/mixed-plus-legacy-c8c8f4b3',
            'shop/Deployment/worker',
            'storefront/Deployment/legacy-reports',
          ]
        : [],
    );
  });

  test('the storefront example: allowFrom keeps everyone but web and migrate out of the database, web reaches only what it was allowed', () => {
    const r = new NetworkReachability(synthExample(addNetworkPolicies));
    const p = (name: string) => r.pods.find((x) => x.name === name)!;
    expect(r.allowed(p('web'), p('orders-db'), 5432)).toBe(true);
    expect(r.allowed(p('migrate'), p('orders-db'), 5432)).toBe(true);
    expect(r.allowed(p('orders-db'), p('orders-db'), 5432)).toBe(true); // replication between peers
    expect(r.allowed(p('cache'), p('orders-db'), 5432)).toBe(false);
    expect(r.allowed({ namespace: 'storefront-data', labels: {} }, p('orders-db'), 5432)).toBe(false);
    expect(r.allowed(p('web'), p('cache'), 11211)).toBe(true); // egressTo
    expect(r.allowed(p('web'), p('legacy-reports'), 8080)).toBe(false); // restricted egress: not listed
    expect(r.allowed(p('cache'), p('legacy-reports'), 8080)).toBe(true); // opted out: open
    expect(r.allowed({ namespace: 'anywhere', labels: {} }, p('web'), 8080)).toBe(true);
  });
});
