import { App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { ClusterVersion } from '../../lib/core/cluster-version';
import { PatternError } from '../../lib/core/errors';
import { OptOut } from '../../lib/core/opt-out';
import { PatternDefaults } from '../../lib/pod/defaults';
import { PodSecurity } from '../../lib/pod/security';
import { BatchJob } from '../../lib/workloads/batch-job';
import { NodeAgent } from '../../lib/workloads/node-agent';
import { SideEffects, ValidatingWebhook, WebhookOperation } from '../../lib/initializers/webhook';
import { WebhookClientConfig } from '../../lib/initializers/webhook-client';
import { StatefulService } from '../../lib/workloads/stateful-service';
import { WebService, WebServiceProps } from '../../lib/workloads/web-service';
import { Access, RbacResource, Verbs, Warnings } from '../../lib';
import { byKind, expectValidManifests, ownMetadata } from '../util';

const webContainers: WebServiceProps['containers'] = [
  { name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }, { number: 9901 }] },
];
const dbContainers: WebServiceProps['containers'] = [
  {
    name: 'db',
    image: 'postgres:16.1',
    ports: [
      { name: 'pg', number: 5432 },
      { name: 'repl', number: 5433 },
    ],
  },
];
const DNS_RULE = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};

function chart(namespace: string | undefined = 'shop', app: App = Testing.app(), id = 'c'): Chart {
  return new Chart(app, id, { namespace });
}

function policyOf(c: Chart, name: string): any {
  const m = Testing.synth(c);
  expectValidManifests(m);
  return byKind(m, 'NetworkPolicy').find((p) => p.metadata.name === name);
}

describe('NetworkPolicy by default', () => {
  test('WebService: named after it, selects exactly its pods, ingress on the Service target ports from the whole cluster, egress open', () => {
    const c = chart();
    const web = new WebService(c, 'web', {
      containers: webContainers,
      selectorLabels: { app: 'shop', tier: 'front' },
      serviceOptions: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    const np = policyOf(c, 'web');
    expect(web.networkPolicy).toBeDefined();
    expect(np.metadata.namespace).toBe('shop');
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { app: 'shop', tier: 'front' } },
      policyTypes: ['Ingress'],
      // the unnamed 9901 (an admin port no Service exposes) stays closed
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] }],
    });
  });

  test('StatefulService: the target ports of the headless and read Services, once each', () => {
    const c = chart();
    new StatefulService(c, 'db', {
      containers: dbContainers,
      readServiceOptions: { ports: [{ name: 'sql', port: 5432, targetPort: 'pg' }] },
    });
    expect(policyOf(c, 'db').spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: {} }],
        ports: [
          { port: 'pg', protocol: 'TCP' },
          { port: 'repl', protocol: 'TCP' },
        ],
      },
    ]);
  });

  test('StatefulService peers reach each other on declared ports the Service leaves out (a clone port), and only they', () => {
    const c = chart();
    new StatefulService(c, 'db', {
      containers: dbContainers,
      ports: [{ name: 'pg', port: 5432 }],
      networkPolicy: { restrictEgress: true },
    });
    const own = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } };
    const np = policyOf(c, 'db');
    expect(np.spec.ingress).toEqual([
      { from: [{ namespaceSelector: {} }], ports: [{ port: 'pg', protocol: 'TCP' }] },
      { from: [own], ports: [{ port: 'repl', protocol: 'TCP' }] },
    ]);
    expect(np.spec.egress[1]).toEqual({
      to: [own],
      ports: [
        { port: 'pg', protocol: 'TCP' },
        { port: 'repl', protocol: 'TCP' },
      ],
    });
  });

  test('name, labels and annotations of the policy (two workloads of different kinds may share a name)', () => {
    const c = chart();
    new StatefulService(c, 'web', { containers: dbContainers });
    new WebService(c, 'web2', {
      name: 'web',
      containers: webContainers,
      selectorLabels: { app: 'web-deploy' },
      serviceOptions: { name: 'web-http' },
      networkPolicy: { name: 'web-deployment', labels: { team: 'shop' }, annotations: { note: 'x' } },
    });
    const np = policyOf(c, 'web-deployment');
    expect(ownMetadata(np.metadata)).toEqual({
      name: 'web-deployment',
      namespace: 'shop',
      labels: { team: 'shop' },
      annotations: { note: 'x' },
    });
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'web-deploy' } });
    expect(() => new WebService(c, 'bad', { containers: webContainers, networkPolicy: { name: 'Bad_Name' } })).toThrow(
      /networkPolicy.name/,
    );
  });

  test('NodePort and LoadBalancer Services: their ports are open to any source (traffic arrives from node and external addresses)', () => {
    const c = chart();
    new WebService(c, 'web', { containers: webContainers, serviceOptions: { type: plus.ServiceType.LOAD_BALANCER } });
    new StatefulService(c, 'db', {
      containers: dbContainers,
      ports: [{ name: 'pg', port: 5432 }],
      readServiceOptions: { type: plus.ServiceType.NODE_PORT, ports: [{ name: 'sql', port: 5432, targetPort: 'pg' }] },
    });
    expect(policyOf(c, 'web').spec.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
    expect(policyOf(c, 'db').spec.ingress).toEqual([
      { ports: [{ port: 'pg', protocol: 'TCP' }] },
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } }], ports: [{ port: 'repl', protocol: 'TCP' }] },
    ]);
  });

  test('ports come from the containers at synth (added after construction); numbers and UDP kept', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', {
      containers: dbContainers,
      ports: [{ port: 53, targetPort: 5353, protocol: plus.Protocol.UDP }],
    });
    expect(policyOf(c, 'db').spec.ingress[0].ports).toEqual([{ port: 5353, protocol: 'UDP' }]);
    expect(db.networkPolicy).toBeDefined();
  });

  test('a workload without Service ports opens its declared container ports; a NodeAgent without ports lets nothing in', () => {
    const c = chart();
    new WebService(c, 'worker', { containers: webContainers, exposeService: false });
    new NodeAgent(c, 'agent', {
      containers: [{ name: 'a', image: 'example/agent:1.0', ports: [{ name: 'metrics', number: 9100 }] }],
      podSecurity: PodSecurity.restricted(),
    });
    new NodeAgent(c, 'shipper', { containers: [{ name: 's', image: 'example/shipper:1.0' }], podSecurity: PodSecurity.restricted() });
    expect(policyOf(c, 'worker').spec.ingress[0].ports).toEqual([
      { port: 'http', protocol: 'TCP' },
      { port: 9901, protocol: 'TCP' },
    ]);
    expect(policyOf(c, 'agent').spec.ingress[0].ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
    const shipper = policyOf(c, 'shipper');
    expect(shipper.spec.ingress).toBeUndefined();
    expect(shipper.spec.policyTypes).toEqual(['Ingress']);
  });

  test('a NodeAgent on the host network gets none (NetworkPolicy does not apply there), and refuses policy settings', () => {
    const c = chart();
    const props = {
      containers: [{ name: 'a', image: 'example/agent:1.0' }],
      podSecurity: PodSecurity.privileged('reads the node network'),
      hostNetwork: true,
    };
    const agent = new NodeAgent(c, 'agent', props);
    expect(agent.networkPolicy).toBeUndefined();
    expect(byKind(Testing.synth(c), 'NetworkPolicy')).toEqual([]);
    expect(() => new NodeAgent(c, 'agent2', { ...props, networkPolicy: { restrictEgress: true } })).toThrow(
      /networkPolicy: has no effect with hostNetwork/,
    );
  });

  test('BatchJob and BarePod-style workloads get none; allowFrom on them says so', () => {
    const c = chart();
    const job = new BatchJob(c, 'job', { containers: [{ name: 'j', image: 'example/job:1.0' }] });
    expect(byKind(Testing.synth(c), 'NetworkPolicy')).toEqual([]);
    expect(() => job.allowFrom(job)).toThrow(/allowFrom: a BatchJob has no NetworkPolicy/);
  });
});

describe('allowFrom', () => {
  test('writes the selector on both sides: db lets web in, web (egress restricted) may reach db on its ports', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', { containers: dbContainers });
    const web = new WebService(c, 'web', { containers: webContainers, networkPolicy: { restrictEgress: true } });
    db.allowFrom(web);
    const dbPolicy = policyOf(c, 'db');
    expect(dbPolicy.spec.ingress).toEqual([
      {
        // its own pods first (replication between peers), then the client
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
        ],
        ports: [
          { port: 'pg', protocol: 'TCP' },
          { port: 'repl', protocol: 'TCP' },
        ],
      },
    ]);
    const webPolicy = policyOf(c, 'web');
    expect(webPolicy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(webPolicy.spec.egress).toEqual([
      DNS_RULE,
      { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } } }],
        ports: [
          { port: 'pg', protocol: 'TCP' },
          { port: 'repl', protocol: 'TCP' },
        ],
      },
    ]);
  });

  test('a client with open egress gets no egress rules; calls add up; clients added later count', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', { containers: dbContainers });
    const web = new WebService(c, 'web', { containers: webContainers });
    const admin = new WebService(c, 'admin', { containers: webContainers });
    db.allowFrom(web);
    db.allowFrom(admin, web);
    expect(policyOf(c, 'web').spec.egress).toBeUndefined();
    expect(policyOf(c, 'web').spec.policyTypes).toEqual(['Ingress']);
    expect(policyOf(c, 'db').spec.ingress[0].from.map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual([
      'db',
      'web',
      'admin',
    ]);
  });

  test('a client in another namespace is selected there by kubernetes.io/metadata.name, on both sides', () => {
    const app = Testing.app();
    const data = chart('data', app, 'data');
    const front = chart('front', app, 'front');
    const db = new StatefulService(data, 'db', { containers: dbContainers });
    const web = new WebService(front, 'web', { containers: webContainers, networkPolicy: { restrictEgress: true } });
    db.allowFrom(web);
    expect(policyOf(data, 'db').spec.ingress[0].from[1]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'front' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
    });
    expect(policyOf(front, 'web').spec.egress[2].to).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
      },
    ]);
  });

  test('takes cdk8s-plus peers and workloads without a policy (ingress side only)', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', { containers: dbContainers });
    const job = new BatchJob(c, 'migrate', { containers: [{ name: 'm', image: 'example/migrate:1.0' }] });
    const ops = plus.Namespaces.select(c, 'ops', { names: ['ops'] });
    const office = plus.NetworkPolicyIpBlock.ipv4(c, 'office', '10.20.0.0/16');
    db.allowFrom(job, ops, office);
    expect(policyOf(c, 'db').spec.ingress[0].from.slice(1)).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'migrate' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }, podSelector: {} },
      { ipBlock: { cidr: '10.20.0.0/16' } },
    ]);
  });

  test('refuses itself, an opted-out workload, and a namespace it cannot compare', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', { containers: dbContainers });
    expect(() => db.allowFrom(db)).toThrow(/allowFrom: names the workload itself/);
    const legacy = new WebService(c, 'legacy', { containers: webContainers, networkPolicy: OptOut.because('clients found by a scanner') });
    expect(() => legacy.allowFrom(db)).toThrow(PatternError);
    expect(() => legacy.allowFrom(db)).toThrow(/allowFrom: the workload's NetworkPolicy is opted out \("clients found by a scanner"\)/);
    const app = Testing.app();
    const noNs = new WebService(new Chart(app, 'a'), 'web', { containers: webContainers });
    const data = chart('data', app, 'b');
    const inNs = new StatefulService(data, 'db', { containers: dbContainers });
    inNs.allowFrom(noNs);
    expect(() => Testing.synth(data)).toThrow(/allowFrom: "web" is in namespace \(none\) and this workload in data/);
  });
});

describe('old clusters', () => {
  test('a namespace name selector on a cluster before 1.21 is an error (Namespaces carry no such label there)', () => {
    const app = Testing.app();
    ClusterVersion.declare(app, '1.13');
    const c = chart('shop', app);
    new WebService(c, 'web', { containers: webContainers, networkPolicy: { restrictEgress: true } });
    expect(() => Testing.synth(c)).toThrow(
      /networkPolicy: selects namespaces by kubernetes.io\/metadata.name, which Namespaces carry from Kubernetes 1.21; the cluster is 1.13/,
    );
    const app2 = Testing.app();
    ClusterVersion.declare(app2, '1.13');
    const plain = chart('shop', app2);
    new WebService(plain, 'web', { containers: webContainers });
    expect(byKind(Testing.synth(plain), 'NetworkPolicy')).toHaveLength(1);
  });
});

describe('restricted egress', () => {
  test('DNS always, its own pods, and egressTo: our workloads on their ports, plus peers on every port', () => {
    const c = chart();
    const cache = new WebService(c, 'cache', { containers: dbContainers });
    const web = new WebService(c, 'web', {
      containers: webContainers,
      networkPolicy: { restrictEgress: true, egressTo: [cache] },
    });
    web.allowEgressTo(plus.NetworkPolicyIpBlock.ipv4(c, 'api', '203.0.113.0/24'));
    const np = policyOf(c, 'web');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.egress[0]).toEqual(DNS_RULE);
    expect(np.spec.egress.slice(2)).toEqual([
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cache' } } }],
        ports: [
          { port: 'pg', protocol: 'TCP' },
          { port: 'repl', protocol: 'TCP' },
        ],
      },
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }] },
    ]);
  });

  test('a workload that exposes no port still gets DNS and no empty-port rule (which would open every port)', () => {
    const c = chart();
    new NodeAgent(c, 'shipper', {
      containers: [{ name: 's', image: 'example/shipper:1.0' }],
      podSecurity: PodSecurity.restricted(),
      networkPolicy: { restrictEgress: true },
    });
    expect(policyOf(c, 'shipper').spec.egress).toEqual([DNS_RULE]);
  });

  test('egressTo and allowEgressTo need restricted egress', () => {
    const c = chart();
    const cache = new WebService(c, 'cache', { containers: dbContainers });
    expect(() => new WebService(c, 'web', { containers: webContainers, networkPolicy: { egressTo: [cache] } })).toThrow(
      /networkPolicy.egressTo: is set while egress is open/,
    );
    const open = new WebService(c, 'open', { containers: webContainers });
    expect(() => open.allowEgressTo(cache)).toThrow(/allowEgressTo: egress is open/);
  });
});

describe('opting out', () => {
  test('per workload: no NetworkPolicy, the reason on the Deployment', () => {
    const c = chart();
    const web = new WebService(c, 'web', { containers: webContainers, networkPolicy: OptOut.because('the mesh enforces L7 policy') });
    const m = Testing.synth(c);
    expect(web.networkPolicy).toBeUndefined();
    expect(byKind(m, 'NetworkPolicy')).toEqual([]);
    expect(byKind(m, 'Deployment')[0].metadata.annotations).toEqual({
      'opt-out.cdk8s-patterns.io/network-policy': 'the mesh enforces L7 policy',
    });
  });

  test('app-wide in PatternDefaults: none for any workload, the reason on each main object', () => {
    const app = Testing.app();
    PatternDefaults.set(app, { networkPolicies: OptOut.because('Cilium cluster policies cover these namespaces') });
    const c = chart('shop', app);
    new WebService(c, 'web', { containers: webContainers });
    new StatefulService(c, 'db', { containers: dbContainers });
    const m = Testing.synth(c);
    expect(byKind(m, 'NetworkPolicy')).toEqual([]);
    for (const kind of ['Deployment', 'StatefulSet']) {
      expect(byKind(m, kind)[0].metadata.annotations['opt-out.cdk8s-patterns.io/network-policy']).toBe(
        'Cilium cluster policies cover these namespaces',
      );
    }
  });

  test('a workload that gives policy options keeps its policy under an app-wide opt-out, set before or after it', () => {
    const app = Testing.app();
    PatternDefaults.set(app, { networkPolicies: OptOut.because('app-wide') });
    const c = chart('shop', app);
    const web = new WebService(c, 'web', { containers: webContainers, networkPolicy: { restrictEgress: true } });
    expect(web.networkPolicy).toBeDefined();
    expect(policyOf(c, 'web').spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(byKind(Testing.synth(c), 'Deployment')[0].metadata.annotations).toBeUndefined();
    const app2 = Testing.app();
    const c2 = chart('shop', app2);
    new WebService(c2, 'web', { containers: webContainers, networkPolicy: {} });
    PatternDefaults.set(app2, { networkPolicies: OptOut.because('later') });
    expect(policyOf(c2, 'web')).toBeDefined();
  });

  test('a per-workload reason wins over the app-wide one; a reason is required', () => {
    const app = Testing.app();
    PatternDefaults.set(app, { networkPolicies: OptOut.because('app-wide') });
    const c = chart('shop', app);
    new WebService(c, 'web', { containers: webContainers, networkPolicy: OptOut.because('own reason') });
    expect(byKind(Testing.synth(c), 'Deployment')[0].metadata.annotations['opt-out.cdk8s-patterns.io/network-policy']).toBe('own reason');
    expect(() => new WebService(c, 'x', { containers: webContainers, networkPolicy: OptOut.because(' ') })).toThrow(
      /networkPolicy: an opt-out needs a reason on one line/,
    );
  });

  test('PatternDefaults set after the workloads is an error at synth, not a silent policy', () => {
    const app = Testing.app();
    const c = chart('shop', app);
    new WebService(c, 'web', { containers: webContainers });
    PatternDefaults.set(app, { networkPolicies: OptOut.because('too late') });
    expect(() => Testing.synth(c)).toThrow(/PatternDefaults.networkPolicies: was set after this workload was created/);
  });
});

describe('webhook servers', () => {
  test('a workload whose Service a webhook calls is open to any source on its ports (the API server is not a pod), even under allowFrom', () => {
    const c = chart();
    const server = new WebService(c, 'hooks', {
      containers: [{ name: 'h', image: 'example/hooks:1.0', ports: [{ name: 'https', number: 8443 }] }],
      serviceOptions: { ports: [{ name: 'https', port: 443, targetPort: 'https' }] },
    });
    const web = new WebService(c, 'web', { containers: webContainers });
    server.allowFrom(web);
    new ValidatingWebhook(c, 'vw', {
      webhooks: [
        {
          name: 'check.example.com',
          clientConfig: WebhookClientConfig.service(server),
          rules: [{ operations: [WebhookOperation.CREATE], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
          sideEffects: SideEffects.NONE,
        },
      ],
    });
    expect(policyOf(c, 'hooks').spec.ingress).toEqual([{ ports: [{ port: 'https', protocol: 'TCP' }] }]);
  });
});

describe('metrics', () => {
  test('the metrics port is open to the monitoring namespace (PatternDefaults.monitoringNamespace), even under allowFrom', () => {
    const c = chart();
    PatternDefaults.set(c, { monitoringNamespace: 'observability' });
    const container = {
      name: 'web',
      image: 'example/web:1.0',
      ports: [
        { name: 'http', number: 8080 },
        { name: 'metrics', number: 9090 },
      ],
    };
    const web = new WebService(c, 'web', {
      containers: [container],
      serviceOptions: { ports: [{ name: 'http', port: 80 }] },
      metrics: { port: 'metrics' },
    });
    const client = new WebService(c, 'client', { containers: webContainers });
    web.allowFrom(client);
    expect(policyOf(c, 'web').spec.ingress).toEqual([
      {
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'client' } } },
        ],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
        ports: [{ port: 'metrics', protocol: 'TCP' }],
      },
    ]);
    // without metrics, the port stays closed
    new WebService(c, 'plain', { containers: [container], serviceOptions: { ports: [{ name: 'http', port: 80 }] } });
    expect(policyOf(c, 'plain').spec.ingress).toEqual([{ from: [{ namespaceSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });
});

describe('review fixes', () => {
  test('the metrics port is only for Prometheus, even when the Service carries it (every named port by default)', () => {
    const c = chart();
    new WebService(c, 'api', {
      containers: [
        {
          name: 'api',
          image: 'example/api:1.0',
          ports: [
            { name: 'http', number: 8080 },
            { name: 'metrics', number: 9090 },
          ],
        },
      ],
      metrics: { port: 'metrics' },
    });
    const m = Testing.synth(c);
    expect(byKind(m, 'Service')[0].spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
    expect(policyOf(c, 'api').spec.ingress).toEqual([
      { from: [{ namespaceSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 'metrics', protocol: 'TCP' }],
      },
    ]);
  });

  test('a hostPort is open to any source: its traffic arrives from node addresses', () => {
    const c = chart();
    new NodeAgent(c, 'agent', {
      podSecurity: PodSecurity.privileged('binds a host port'),
      containers: [
        {
          name: 'a',
          image: 'example/agent:1.0',
          ports: [
            { name: 'stats', number: 8125, hostPort: 8125 },
            { name: 'health', number: 8080 },
          ],
        },
      ],
    });
    expect(policyOf(c, 'agent').spec.ingress).toEqual([
      { from: [{ namespaceSelector: {} }], ports: [{ port: 'health', protocol: 'TCP' }] },
      { ports: [{ port: 'stats', protocol: 'TCP' }] },
    ]);
  });

  test('allowFrom twice writes the client egress rule once', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', { containers: dbContainers });
    const web = new WebService(c, 'web', { containers: webContainers, networkPolicy: { restrictEgress: true } });
    db.allowFrom(web);
    db.allowFrom(web);
    const egress = policyOf(c, 'web').spec.egress;
    expect(egress.filter((r: any) => JSON.stringify(r.to).includes('"db"'))).toHaveLength(1);
  });

  test('restricted egress on a workload with API access warns: the API server is no pod', () => {
    const c = chart();
    const op = new WebService(c, 'op', { containers: webContainers, networkPolicy: { restrictEgress: true } });
    Access.forWorkload(op).to(Verbs.READ).on(RbacResource.CONFIG_MAPS);
    Testing.synth(c);
    expect(
      Warnings.of(c)
        .map((w) => w.message)
        .filter((m) => m.startsWith('[network-policy]')),
    ).toEqual([expect.stringMatching(/op was granted Kubernetes API access, but its restricted egress/)]);
    const ok = chart();
    const op2 = new WebService(ok, 'op', { containers: webContainers, networkPolicy: { restrictEgress: true } });
    op2.allowEgressTo(plus.NetworkPolicyIpBlock.ipv4(ok, 'apiserver', '10.0.0.1/32'));
    Access.forWorkload(op2).to(Verbs.READ).on(RbacResource.CONFIG_MAPS);
    Testing.synth(ok);
    expect(Warnings.of(ok).filter((w) => w.message.includes('API access'))).toEqual([]);
  });

  test('PatternDefaults.networkPolicies takes only an OptOut (a `false` from JavaScript would drop the reason)', () => {
    expect(() => PatternDefaults.set(chart(), { networkPolicies: true as any })).toThrow(/networkPolicies: must be an OptOut/);
    expect(() => PatternDefaults.set(chart(), { disruptionBudgets: false as any })).toThrow(/disruptionBudgets: must be an OptOut/);
  });
});
