import { Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import { PodManagementPolicy, Probe } from 'cdk8s-plus-27';
import {
  ClaimRetention,
  DisruptionBudget,
  PatternError,
  PodVolume,
  StatefulService,
  StatefulServiceProps,
  StatefulUpdateStrategy,
} from '../../lib';
import { addMysql } from '../../apps/mysql';
import { addNginxWeb } from '../../apps/nginx-web';
import { byKind, expectValidManifests, synthExample } from '../util';

const base: StatefulServiceProps = {
  replicas: 3,
  containers: [{ name: 'db', image: 'postgres:16', ports: [{ name: 'pg', number: 5432 }] }],
  claims: [{ name: 'data', size: Size.gibibytes(5), mountPath: '/var/lib/postgresql/data' }],
};

function build(props: Partial<StatefulServiceProps> = {}, chartProps: { namespace?: string } = {}) {
  const chart = new Chart(Testing.app(), 'test', chartProps);
  const db = new StatefulService(chart, 'db', { ...base, ...props });
  return { chart, db, manifests: () => Testing.synth(chart) };
}

describe('StatefulService invariants', () => {
  test('serviceName points at a headless Service selecting exactly the pods', () => {
    const { manifests } = build({ readServiceOptions: {}, budget: DisruptionBudget.quorum() });
    const m = manifests();
    const sts = byKind(m, 'StatefulSet')[0];
    const [headless, read] = byKind(m, 'Service');
    expect(sts.spec.serviceName).toBe('db');
    expect(headless.metadata.name).toBe('db');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(sts.spec.template.metadata.labels).toEqual(expect.objectContaining(sts.spec.selector.matchLabels));
    expect(headless.spec.ports).toEqual([{ name: 'pg', port: 5432, targetPort: 'pg' }]);
    expect(read.metadata.name).toBe('db-read');
    expect(read.spec.clusterIP).toBeUndefined();
    expect(read.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expectValidManifests(m);
  });

  test('default selector is app.kubernetes.io/name and names derive from the construct path', () => {
    const chart = new Chart(Testing.app(), 'test');
    const { Construct } = require('constructs');
    const orders = new Construct(chart, 'Orders');
    const db = new StatefulService(orders, 'db', base);
    expect(db.name).toBe('orders-db');
    expect(db.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'orders-db' });
  });

  test('claim templates are rendered and mounted; pod volumes are kept', () => {
    const { manifests } = build({
      volumes: [PodVolume.emptyDir('scratch')],
      claims: [{ ...base.claims![0], storageClassName: 'fast', selector: { tier: 'ssd' } }],
    });
    const sts = byKind(manifests(), 'StatefulSet')[0];
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'fast',
          selector: { matchLabels: { tier: 'ssd' } },
          resources: { requests: { storage: '5Gi' } },
        },
      },
    ]);
    expect(sts.spec.template.spec.containers[0].volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { name: 'rw-db-tmp', mountPath: '/tmp' },
    ]);
    expect(sts.spec.template.spec.volumes).toEqual([
      { name: 'scratch', emptyDir: {} },
      { name: 'rw-db-tmp', emptyDir: {} },
    ]);
  });

  test('mountClaim mounts a claim into further containers after construction', () => {
    const { db, manifests } = build();
    db.pod.addContainer({ name: 'backup', image: 'backup:1.0' });
    db.mountClaim('data', { container: 'backup', path: '/backup', readOnly: true });
    const sts = byKind(manifests(), 'StatefulSet')[0];
    expect(sts.spec.template.spec.containers[1].volumeMounts).toEqual([
      { name: 'data', mountPath: '/backup', readOnly: true },
      { name: 'rw-backup-tmp', mountPath: '/tmp' },
    ]);
  });

  test('PDB: quorum is floor(n/2)+1, selector equals the workload selector', () => {
    for (const [replicas, expected] of [
      [3, 2],
      [5, 3],
      [4, 3],
    ]) {
      const { manifests } = build({ replicas, budget: DisruptionBudget.quorum() });
      const m = manifests();
      const pdb = byKind(m, 'PodDisruptionBudget')[0];
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(pdb.spec.minAvailable).toBe(expected);
      expect(pdb.spec.maxUnavailable).toBeUndefined();
      expect(pdb.spec.selector.matchLabels).toEqual(byKind(m, 'StatefulSet')[0].spec.selector.matchLabels);
    }
    const pdb = byKind(build({ budget: DisruptionBudget.maxUnavailable(1) }).manifests(), 'PodDisruptionBudget')[0];
    expect(pdb.spec).toEqual({ selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } }, maxUnavailable: 1 });
  });

  test('PDB: budgets that leave at least one disruption synthesize as written', () => {
    const budgets: Array<[number, DisruptionBudget, Record<string, unknown>]> = [
      [2, DisruptionBudget.minAvailable('50%'), { minAvailable: '50%' }],
      [2, DisruptionBudget.minAvailable(1), { minAvailable: 1 }],
      [3, DisruptionBudget.maxUnavailable('10%'), { maxUnavailable: '10%' }],
      [1, DisruptionBudget.maxUnavailable(1), { maxUnavailable: 1 }],
      [0, DisruptionBudget.quorum(), { minAvailable: 1 }],
    ];
    for (const [replicas, budget, expected] of budgets) {
      const m = build({ replicas, budget }).manifests();
      expect(byKind(m, 'PodDisruptionBudget')[0].spec).toEqual({
        selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } },
        ...expected,
      });
      expectValidManifests(m);
    }
  });

  test('DNS and claim names', () => {
    const { db } = build({}, { namespace: 'data' });
    expect(db.podDnsName(0)).toBe('db-0.db.data.svc.cluster.local');
    expect(db.claimName('data', 2)).toBe('data-db-2');
    expect(build().db.podDnsName(1)).toBe('db-1.db.default.svc.cluster.local');
  });

  test('update strategy, pod management, retention, minReady', () => {
    const { manifests } = build({
      updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: 2 }),
      podManagementPolicy: PodManagementPolicy.PARALLEL,
      claimRetentionPolicy: { whenScaled: ClaimRetention.DELETE },
      minReady: Duration.seconds(10),
    });
    const spec = byKind(manifests(), 'StatefulSet')[0].spec;
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { partition: 2 } });
    expect(spec.podManagementPolicy).toBe('Parallel');
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(spec.minReadySeconds).toBe(10);
    const onDelete = byKind(build({ updateStrategy: StatefulUpdateStrategy.onDelete() }).manifests(), 'StatefulSet')[0].spec;
    expect(onDelete.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('restricted pod security by default, with requests on every container', () => {
    const spec = byKind(build().manifests(), 'StatefulSet')[0].spec.template.spec;
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
    });
    expect(spec.containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
  });

  test('init containers keep their order and probes come from cdk8s-plus', () => {
    const { manifests } = build({
      initContainers: [
        { name: 'first', image: 'busybox:1.36' },
        { name: 'second', image: 'busybox:1.36' },
      ],
      containers: [{ ...base.containers[0], readiness: Probe.fromTcpSocket() }],
    });
    const spec = byKind(manifests(), 'StatefulSet')[0].spec.template.spec;
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['first', 'second']);
    expect(spec.containers[0].readinessProbe).toEqual({ failureThreshold: 3, tcpSocket: { port: 5432 } });
  });
});

describe('StatefulService bad input', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'empty image',
      () => build({ containers: [{ name: 'db', image: '' }] }).manifests(),
      /test\/db.*containers\[0\]\.image: must be a non-empty image/,
    ],
    [
      'latest tag',
      () => build({ containers: [{ name: 'db', image: 'postgres' }] }).manifests(),
      /containers\[0\]\.image: "postgres" has no tag/,
    ],
    ['negative replicas', () => build({ replicas: -1 }), /test\/db.*replicas: must be a non-negative integer \(got -1\)/],
    ['fractional replicas', () => build({ replicas: 1.5 }), /replicas: must be a non-negative integer \(got 1\.5\)/],
    ['invalid name', () => build({ name: 'My_DB' }), /test\/db.*name: "My_DB" is not a valid DNS-1123 label/],
    ['name over 52', () => build({ name: 'a'.repeat(53) }), /name: "a{53}" is 53 characters, more than 52.*controller-revision-hash/],
    [
      'claim not mounted',
      () => build({ claims: [{ name: 'data', size: Size.gibibytes(1) }] }).manifests(),
      /claims\[0\]: claim template "data" is not mounted/,
    ],
    [
      'mount of an unknown claim',
      () => build({ containers: [{ ...base.containers[0], mounts: [{ volume: 'logs', path: '/logs' }] }] }).manifests(),
      /containers\[0\]\.mounts\[0\]\.volume: mounts "logs", which is neither/,
    ],
    [
      'minAvailable > replicas',
      () => build({ replicas: 2, budget: DisruptionBudget.minAvailable(3) }).manifests(),
      /budget\.minAvailable: minAvailable 3 is not below the 2 replicas/,
    ],
    [
      'minAvailable = replicas',
      () => build({ replicas: 2, budget: DisruptionBudget.minAvailable(2) }).manifests(),
      /test\/db.*budget\.minAvailable: minAvailable 2 is not below the 2 replicas, so no pod can ever be evicted \(0 disruptions allowed\) and node drains hang/,
    ],
    [
      'quorum of 1 replica',
      () => build({ replicas: 1, budget: DisruptionBudget.quorum() }).manifests(),
      /test\/db.*budget\.minAvailable: the quorum of 1 replica is 1, all of them, so no pod can ever be evicted.*hint: .*run at least 3 replicas/,
    ],
    [
      'quorum of 2 replicas',
      () => build({ replicas: 2, budget: DisruptionBudget.quorum() }).manifests(),
      /budget\.minAvailable: the quorum of 2 replicas is 2, all of them.*DisruptionBudget\.maxUnavailable\(1\)/,
    ],
    [
      'quorum with the default single replica',
      () => build({ replicas: undefined, budget: DisruptionBudget.quorum() }).manifests(),
      /budget\.minAvailable: the quorum of 1 replica is 1/,
    ],
    [
      'minAvailable 100%',
      () => build({ budget: DisruptionBudget.minAvailable('100%') }).manifests(),
      /budget\.minAvailable: minAvailable "100%" keeps every pod, so no pod can ever be evicted/,
    ],
    [
      'minAvailable 50% of 1 replica rounds up to 1',
      () => build({ replicas: 1, budget: DisruptionBudget.minAvailable('50%') }).manifests(),
      /budget\.minAvailable: minAvailable "50%" \(1 pods, rounded up\) is not below the 1 replicas/,
    ],
    [
      'maxUnavailable 0%',
      () => build({ budget: DisruptionBudget.maxUnavailable('0%') }).manifests(),
      /budget\.maxUnavailable: maxUnavailable "0%" lets no pod be unavailable, so no pod can ever be evicted/,
    ],
    [
      'maxUnavailable 0',
      () => build({ budget: DisruptionBudget.maxUnavailable(0) }).manifests(),
      /budget\.maxUnavailable: maxUnavailable 0 lets no pod be unavailable/,
    ],
    [
      'fractional minReady',
      () => build({ minReady: Duration.millis(1500) }),
      /test\/db.*minReady: must be a whole number of seconds \(got 1 second 500 millis\)/,
    ],
    [
      'negative revisionHistoryLimit',
      () => build({ revisionHistoryLimit: -1 }),
      /test\/db.*revisionHistoryLimit: must be a non-negative integer \(got -1\)/,
    ],
    [
      'fractional revisionHistoryLimit',
      () => build({ revisionHistoryLimit: 2.5 }),
      /revisionHistoryLimit: must be a non-negative integer \(got 2\.5\)/,
    ],
    [
      'fractional partition',
      () => build({ updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: 0.5 }) }),
      /updateStrategy\.partition: must be a non-negative integer \(got 0\.5\)/,
    ],
    ['negative ordinal', () => build().db.podDnsName(-1), /test\/db.*ordinal: must be a non-negative integer \(got -1\)/],
    [
      'duplicate container names',
      () => build({ initContainers: [{ name: 'db', image: 'busybox:1.36' }] }).manifests(),
      /containers\[0\]\.name: container name "db" is already used by initContainers\[0\]/,
    ],
    [
      'duplicate port names',
      () =>
        build({
          containers: [
            {
              name: 'db',
              image: 'postgres:16',
              ports: [
                { name: 'pg', number: 5432 },
                { name: 'pg', number: 5433 },
              ],
            },
          ],
        }).manifests(),
      /ports\[1\]\.name: duplicate port name "pg"/,
    ],
    [
      'invalid size',
      () => build({ claims: [{ name: 'data', size: Size.kibibytes(0.5), mountPath: '/d' }] }),
      /claims\[0\]\.size: must be a positive whole number of KiB/,
    ],
    [
      'probe on init container',
      () => build({ initContainers: [{ name: 'init', image: 'busybox:1.36', readiness: Probe.fromTcpSocket({ port: 1 }) }] }).manifests(),
      /initContainers\[0\]\.readiness: init containers run to completion/,
    ],
    [
      'partition above replicas',
      () => build({ replicas: 2, updateStrategy: StatefulUpdateStrategy.rollingUpdate({ partition: 3 }) }).manifests(),
      /partition 3 is above the 2 replicas/,
    ],
    ['invalid service name', () => build({ serviceName: '1db' }), /serviceName: "1db" is not a valid DNS-1035 label/],
    ['fractional grace period', () => build({ terminationGracePeriod: Duration.millis(1500) }), /test\/db.*terminationGracePeriod/],
    [
      'relative mount path',
      () => build({ claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: 'data' }] }).manifests(),
      /mount path "data" must be absolute/,
    ],
  ];
  test.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(PatternError);
    expect(fn).toThrow(message);
  });

  test('every problem of a construct is reported at once', () => {
    const fn = () => build({ containers: [{ name: 'db', image: '', ports: [{ name: 'x', number: 0 }] }] }).manifests();
    expect(fn).toThrow(/containers\[0\]\.image[\s\S]*containers\[0\]\.ports\[0\]\.number/);
  });
});

describe('examples', () => {
  test('nginx web (seed 001)', () => {
    const m = synthExample(addNginxWeb);
    const sts = byKind(m, 'StatefulSet')[0];
    expect(sts.metadata.name).toBe('web');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.serviceName).toBe('nginx');
    expect(byKind(m, 'Service')[0].metadata.name).toBe('nginx');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
    expectValidManifests(m);
  });

  test('replicated MySQL (seed 001)', () => {
    const m = synthExample(addMysql);
    const sts = byKind(m, 'StatefulSet')[0];
    const spec = sts.spec.template.spec;
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['init-mysql', 'clone-mysql']);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['mysql', 'xtrabackup']);
    expect(spec.volumes.map((v: any) => v.name)).toEqual([
      'conf',
      'config-map',
      'rw-init-mysql-tmp',
      'rw-clone-mysql-tmp',
      'rw-mysql-tmp',
      'rw-mysql-var-run-mysqld',
      'rw-xtrabackup-tmp',
    ]);
    expect(spec.volumes[1].configMap.name).toBe('mysql');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(byKind(m, 'Service').map((s) => [s.metadata.name, s.spec.clusterIP ?? 'ClusterIP'])).toEqual([
      ['mysql', 'None'],
      ['mysql-read', 'ClusterIP'],
    ]);
    expect(byKind(m, 'PodDisruptionBudget')[0].spec.minAvailable).toBe(2);
    expectValidManifests(m);
  });
});

describe('the escape hatch, as the README documents it', () => {
  test('a JSON patch on apiObject or a companion applies last and is validated', () => {
    const chart = Testing.chart();
    const db = new StatefulService(chart, 'db', {
      containers: [{ name: 'db', image: 'postgres:16', ports: [{ name: 'pg', number: 5432 }] }],
    });
    db.apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'critical'));
    db.service.addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'ClientIP'));
    const m = Testing.synth(chart);
    expect(byKind(m, 'StatefulSet')[0].spec.template.spec.priorityClassName).toBe('critical');
    expect(byKind(m, 'Service')[0].spec.sessionAffinity).toBe('ClientIP');
    db.service.addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 42));
    expect(() => Testing.synth(chart)).toThrow(/Service\/db spec\.sessionAffinity: .*\[schema\]/);
  });
});
