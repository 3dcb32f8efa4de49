import { Duration, Size } from 'cdk8s';
import { PersistentVolumeAccessMode, PodManagementPolicy, ServiceType } from 'cdk8s-plus-27';
import fc from 'fast-check';
import { ClaimRetention, DisruptionBudget, StatefulService, StatefulUpdateStrategy } from '../../lib';
import { cases, checkConstruct, drainableBudget, expectBothOutcomes, Gen, materializePod, RUNS } from './properties';

const props = (g: Gen) =>
  fc
    .record({
      pod: g.pod(),
      name: g.optional(g.name),
      replicas: g.optional(g.count),
      serviceName: g.optional(g.name),
      selectorLabels: g.optional(g.valid ? g.labels.filter((l) => Object.keys(l).length > 0) : g.labels),
      claims: fc
        .uniqueArray(
          fc.record(
            {
              name: g.pick(['data', 'logs'], ['Data', 'scratch']),
              size: g.pick([1024, 10240], [0.5, 0]),
              accessModes: fc.subarray([PersistentVolumeAccessMode.READ_WRITE_ONCE, PersistentVolumeAccessMode.READ_ONLY_MANY], {
                minLength: 1,
              }),
              storageClassName: g.pick(['fast'], ['Fast Disk']),
              selector: g.labels,
              mountPath: g.pick(['/data'], ['relative']),
              mountInto: fc.subarray(g.valid ? ['app'] : ['app', 'sidecar', 'nobody'], { minLength: 1 }),
            },
            { requiredKeys: ['name', 'size', 'mountPath'] },
          ),
          { maxLength: 2, selector: (c) => (g.valid ? c.name : Math.random()) },
        )
        // valid: one mountPath per claim (the API server rejects two mounts on one path)
        .map((cs) => (g.valid ? cs.map((c) => ({ ...c, mountPath: `${c.mountPath}/${c.name}` })) : cs)),
      readService: fc.oneof(
        fc.boolean(),
        fc.record({ name: g.name, type: fc.constantFrom(ServiceType.CLUSTER_IP, ServiceType.NODE_PORT) }, { requiredKeys: [] }),
      ),
      // valid users state the Service ports (the read Service needs some) with numeric target ports
      ports: (g.valid ? <T>(a: fc.Arbitrary<T>) => a : g.optional.bind(g))(
        fc
          .uniqueArray(
            fc.record({
              port: g.pick([80, 5432], [0]),
              name: g.pick(['http', 'db'], ['Bad']),
              targetPort: g.pick<number | string>([8080], ['http']),
            }),
            { minLength: 1, maxLength: 2, selector: (p) => (g.valid ? p.name : Math.random()) },
          )
          .filter((ps) => !g.valid || new Set(ps.map((p) => p.port)).size === ps.length),
      ),
      budget: g.optional(
        fc.oneof(
          fc.constant(DisruptionBudget.quorum()),
          g.pick<number | string>([1, '50%'], [5, -1, 1.5, '150%', 'x']).map((v) => DisruptionBudget.minAvailable(v)),
          g.pick<number | string>([1, '25%'], [0]).map((v) => DisruptionBudget.maxUnavailable(v)),
        ),
      ),
      podManagementPolicy: g.optional(fc.constantFrom(PodManagementPolicy.ORDERED_READY, PodManagementPolicy.PARALLEL)),
      updateStrategy: g.optional(
        fc.oneof(
          fc.constant(StatefulUpdateStrategy.onDelete()),
          g.pick([0, 1], [-1, 9, 1.5]).map((partition) => StatefulUpdateStrategy.rollingUpdate({ partition })),
        ),
      ),
      claimRetentionPolicy: g.optional(
        fc.record(
          {
            whenDeleted: fc.constantFrom(ClaimRetention.RETAIN, ClaimRetention.DELETE),
            whenScaled: fc.constantFrom(ClaimRetention.RETAIN, ClaimRetention.DELETE),
          },
          { requiredKeys: [] },
        ),
      ),
      minReady: g.optional(g.seconds),
      revisionHistoryLimit: g.optional(g.count),
      publishNotReadyAddresses: g.optional(fc.boolean()),
      mountClaimLater: fc.boolean(),
    })
    .map((p) => (g.valid ? { ...p, budget: drainableBudget(p.budget, p.replicas ?? 1) } : p));

test(`StatefulService: ${RUNS.statefulService} generated prop sets raise PatternError or synthesize valid output`, () => {
  const outcomes = checkConstruct(
    cases(props),
    (chart, p) => {
      const replicas = p.replicas ?? 1;
      const sts = new StatefulService(chart, 'db', {
        ...materializePod(
          chart,
          p.pod,
          p.claims.map((c) => c.name),
        ),
        name: p.name,
        replicas: p.replicas,
        serviceName: p.serviceName,
        selectorLabels: p.selectorLabels,
        claims: p.claims.map((c) => ({ ...c, size: Size.mebibytes(c.size) })),
        readServiceOptions: p.readService === true ? {} : p.readService === false ? undefined : p.readService,
        ports: p.ports,
        budget: p.budget,
        podManagementPolicy: p.podManagementPolicy,
        updateStrategy: p.updateStrategy,
        claimRetentionPolicy: p.claimRetentionPolicy,
        minReady: p.minReady !== undefined ? Duration.millis(p.minReady * 1000) : undefined,
        revisionHistoryLimit: p.revisionHistoryLimit,
        publishNotReadyAddresses: p.publishNotReadyAddresses,
      });
      void replicas;
      if (p.mountClaimLater && p.claims.length > 0)
        sts.mountClaim(p.claims[0].name, { container: p.pod.containers[0]?.name ?? 'app', path: '/mnt/later' });
    },
    RUNS.statefulService,
  );
  expectBothOutcomes(outcomes);
});
