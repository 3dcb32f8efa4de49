import { Duration } from 'cdk8s';
import { DeploymentStrategy, ServiceType, Topology } from 'cdk8s-plus-27';
import fc from 'fast-check';
import { DeploymentUpdateStrategy, DisruptionBudget, WebService } from '../../lib';
import { cases, checkConstruct, drainableBudget, expectBothOutcomes, Gen, materializePod, RUNS } from './properties';

const props = (g: Gen) =>
  fc
    .record({
      pod: g.pod(),
      name: g.optional(g.name),
      replicas: g.optional(g.count),
      selectorLabels: g.optional(g.valid ? g.labels.filter((l) => Object.keys(l).length > 0) : g.labels),
      strategy: g.optional(
        fc.oneof(
          fc.constant(DeploymentUpdateStrategy.recreate()),
          fc
            .record(
              {
                maxSurge: g.pick<number | string>([1, '25%'], [0, -1, '120%']),
                maxUnavailable: g.pick<number | string>([0, '25%'], [-2, 'x']),
              },
              { requiredKeys: [] },
            )
            .filter((o) => !g.valid || !(o.maxSurge === 0 && o.maxUnavailable === 0))
            .map((o) => DeploymentUpdateStrategy.rollingUpdate(o)),
          fc.constant(DeploymentStrategy.recreate()),
        ),
      ),
      minReady: g.optional(g.pick([0, 5], [2.5])),
      progressDeadline: g.optional(g.pick([600], [1, 1.5])),
      revisionHistoryLimit: g.optional(g.count),
      service: fc.oneof(
        fc.boolean(),
        fc.record(
          {
            name: g.name,
            type: fc.constantFrom(ServiceType.CLUSTER_IP, ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER),
            ports: fc
              .uniqueArray(
                fc.record({
                  port: g.pick([80, 443], [0]),
                  name: g.pick(['http', 'https'], ['Bad']),
                  targetPort: g.pick<number | string>([8080], ['http', 'nope']),
                }),
                { minLength: 1, maxLength: 2, selector: (p) => (g.valid ? `${p.port}` : Math.random()) },
              )
              .filter((ps) => !g.valid || new Set(ps.map((p) => p.name)).size === ps.length),
            annotations: fc.dictionary(g.pick(['example.com/lb'], ['bad key']), fc.constant('x'), { maxKeys: 1 }),
          },
          { requiredKeys: [] },
        ),
      ),
      autoscaling: g.optional(
        fc.record(
          {
            minReplicas: g.pick([1, 2], [0, -1]),
            maxReplicas: g.pick([3, 10], [0, 1.5]),
            cpuUtilization: g.pick([70], [0, 150]),
            memoryUtilization: g.pick([80]),
          },
          { requiredKeys: ['maxReplicas'] },
        ),
      ),
      budget: g.optional(
        fc.oneof(
          fc.constant(DisruptionBudget.quorum()),
          g.pick<number | string>(['50%'], [5, -1, 'x']).map((v) => DisruptionBudget.minAvailable(v)),
          g.pick<number | string>([1, '25%'], [0]).map((v) => DisruptionBudget.maxUnavailable(v)),
        ),
      ),
      spread: g.optional(
        fc.oneof(
          fc.boolean(),
          fc.record(
            {
              topologies: fc.subarray([Topology.ZONE, Topology.HOSTNAME], { minLength: g.valid ? 1 : 0 }),
              maxSkew: g.pick([1, 2], [0, -1]),
              required: fc.boolean(),
            },
            { requiredKeys: [] },
          ),
        ),
      ),
    })
    .map((p) => {
      if (!g.valid) return p;
      // the autoscaler owns the count; the budget must leave a disruption for the pods there are
      const replicas = p.autoscaling ? undefined : p.replicas;
      const pods = p.autoscaling ? (p.autoscaling.minReplicas ?? 1) : (p.replicas ?? 2);
      return { ...p, replicas, budget: drainableBudget(p.budget, pods) };
    });

test(`WebService: ${RUNS.webService} generated prop sets raise PatternError or synthesize valid output`, () => {
  const outcomes = checkConstruct(
    cases(props),
    (chart, p) => {
      new WebService(chart, 'web', {
        ...materializePod(chart, p.pod),
        name: p.name,
        replicas: p.replicas,
        selectorLabels: p.selectorLabels,
        strategy: p.strategy,
        minReady: p.minReady !== undefined ? Duration.millis(p.minReady * 1000) : undefined,
        progressDeadline: p.progressDeadline !== undefined ? Duration.millis(p.progressDeadline * 1000) : undefined,
        revisionHistoryLimit: p.revisionHistoryLimit,
        exposeService: p.service === false ? false : undefined,
        serviceOptions: typeof p.service === 'object' ? p.service : undefined,
        autoscaling: p.autoscaling,
        budget: p.budget,
        spread: p.spread,
      });
    },
    RUNS.webService,
  );
  expectBothOutcomes(outcomes);
});
