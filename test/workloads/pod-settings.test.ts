import { Chart, Duration, Size, Testing } from 'cdk8s';
import { DnsPolicy, FsGroupChangePolicy, NodeLabelQuery } from 'cdk8s-plus-27';
import { BatchJob, NodeAgent, PodSecurity, ReplicaSpread, ScheduledJob, StatefulService, WebService } from '../../lib';
import { byKind, expectValidManifests } from '../util';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'apps' });
const containers = [{ name: 'app', image: 'example/app:1.0' }];
const templateOf = (m: any[], kind: string) => {
  const o = byKind(m, kind)[0];
  return kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
};

describe('shared pod props (PodSpecProps) on every pod-bearing construct', () => {
  const shared = {
    dnsPolicy: DnsPolicy.NONE,
    dnsConfig: { nameservers: ['10.0.0.10'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }],
    priorityClassName: 'high',
    terminationGracePeriod: Duration.seconds(60),
    runtimeClassName: 'gvisor',
    schedulerName: 'my-scheduler',
    securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, fsGroupChangePolicy: FsGroupChangePolicy.ON_ROOT_MISMATCH },
    nodeAffinity: { required: [[NodeLabelQuery.in('kubernetes.io/os', ['linux'])]] },
    podAffinity: [{ matchLabels: { app: 'cache' }, weight: 50 }],
  };
  const expected = {
    dnsPolicy: 'None',
    dnsConfig: { nameservers: ['10.0.0.10'], searches: ['svc.cluster.local'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }],
    priorityClassName: 'high',
    terminationGracePeriodSeconds: 60,
    runtimeClassName: 'gvisor',
    schedulerName: 'my-scheduler',
    securityContext: {
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      runAsUser: 1000,
      runAsGroup: 3000,
      fsGroup: 2000,
      fsGroupChangePolicy: 'OnRootMismatch',
    },
  };
  const builders: Array<[string, string, (c: Chart) => unknown]> = [
    ['StatefulService', 'StatefulSet', (c) => new StatefulService(c, 'x', { containers, ...shared })],
    ['WebService', 'Deployment', (c) => new WebService(c, 'x', { containers, exposeService: false, spread: false, ...shared })],
    ['NodeAgent', 'DaemonSet', (c) => new NodeAgent(c, 'x', { containers, podSecurity: PodSecurity.restricted(), ...shared })],
    ['BatchJob', 'Job', (c) => new BatchJob(c, 'x', { containers, ...shared })],
    ['ScheduledJob', 'CronJob', (c) => new ScheduledJob(c, 'x', { containers, schedule: '@daily', ...shared })],
  ];
  test.each(builders)('%s renders them', (_name, kind, build) => {
    const c = chart();
    build(c);
    const m = Testing.synth(c);
    const spec = templateOf(m, kind).spec;
    expect(spec).toMatchObject(expected);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toHaveLength(1);
    expect(spec.affinity.podAffinity).toEqual({
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' } },
      ],
    });
    expectValidManifests(m);
  });

  test('bad values fail at construction, naming the field', () => {
    expect(() => new WebService(chart(), 'x', { containers, dnsPolicy: DnsPolicy.NONE })).toThrow(
      /\[test\/x\] Deployment\/x dnsConfig\.nameservers: dnsPolicy None needs a dnsConfig with at least one nameserver/,
    );
    expect(() => new WebService(chart(), 'x', { containers, podAntiAffinity: [{ matchLabels: { a: 'b' }, weight: 0 }] })).toThrow(
      /podAntiAffinity\[0\]\.weight: must be an integer from 1 to 100 \(got 0\)/,
    );
    expect(() => new WebService(chart(), 'x', { containers, securityContext: { runAsUser: -1 } })).toThrow(
      /securityContext\.runAsUser: must be an integer from 0 to 2147483647/,
    );
    expect(() => new WebService(chart(), 'x', { containers, hostAliases: [{ ip: 'nope', hostnames: [] }] })).toThrow(
      /hostAliases\[0\]\.ip: "nope" is not an IP address[\s\S]*hostAliases\[0\]\.hostnames: needs at least one host name/,
    );
    expect(() => new WebService(chart(), 'x', { containers, tokenMountReason: ' ' })).toThrow(/tokenMountReason: must say why/);
  });

  test('a restricted pod with runAsUser 0 is a synth error (Pod Security)', () => {
    const c = chart();
    new WebService(c, 'x', { containers, securityContext: { runAsUser: 0 } });
    expect(() => Testing.synth(c)).toThrow(/securityContext\.runAsUser: Pod Security "restricted": runAsUser 0 \(root\) is not allowed/);
  });
});

describe('spreadReplicas: the one word for quorum systems', () => {
  test('REQUIRED: never two replicas on one node (anti-affinity on the selector labels over kubernetes.io/hostname)', () => {
    const c = chart();
    new StatefulService(c, 'zk', {
      replicas: 3,
      spreadReplicas: ReplicaSpread.REQUIRED,
      securityContext: { runAsUser: 1000, fsGroup: 1000 },
      containers: [{ name: 'zk', image: 'zookeeper:3.9', ports: [{ name: 'client', number: 2181 }] }],
      claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    });
    const m = Testing.synth(c);
    const spec = templateOf(m, 'StatefulSet').spec;
    expect(spec.affinity).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'zk' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    });
    expect(spec.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
    expectValidManifests(m);
  });

  test('PREFERRED on a WebService: weight 100, next to given anti-affinity terms', () => {
    const c = chart();
    new WebService(c, 'web', {
      containers,
      exposeService: false,
      spreadReplicas: ReplicaSpread.PREFERRED,
      podAntiAffinity: [{ matchLabels: { app: 'batch' }, topologyKey: 'topology.kubernetes.io/zone' }],
    });
    const anti = templateOf(Testing.synth(c), 'Deployment').spec.affinity.podAntiAffinity;
    expect(anti).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: 'batch' } }, topologyKey: 'topology.kubernetes.io/zone' },
      ],
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: { labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        },
      ],
    });
  });
});

describe('tokenMountReason: the token without a grant, with a reason', () => {
  test('mounts the token, writes the reason, and the token-automount rule accepts it', () => {
    const c = chart();
    new WebService(c, 'web', { containers, exposeService: false, tokenMountReason: 'reads its namespace from the token mount' });
    const t = templateOf(Testing.synth(c), 'Deployment');
    expect(t.spec.automountServiceAccountToken).toBe(true);
    expect(t.metadata.annotations).toEqual({ 'cdk8s-patterns.io/token-mount-reason': 'reads its namespace from the token mount' });
  });
});
