import { Duration } from 'cdk8s';
import { DnsPolicy, NodeLabelQuery, TaintEffect } from 'cdk8s-plus-27';
import fc from 'fast-check';
import { DaemonUpdateStrategy, NodeAgent, TolerationOperator, TolerationSpec } from '../../lib';
import { cases, checkConstruct, expectBothOutcomes, Gen, materializePod, podSecurityOf, RUNS } from './properties';

const props = (g: Gen) =>
  fc
    .record({
      pod: g.pod(),
      name: g.optional(g.name),
      selectorLabels: g.optional(g.valid ? g.labels.filter((l) => Object.keys(l).length > 0) : g.labels),
      podSecurity: g.pick(['restricted', 'baseline', 'privileged'], ['baseline-no-reason']),
      tolerate: g.optional(
        fc.record(
          {
            daemonDefaults: fc.boolean(),
            controlPlane: fc.boolean(),
            tolerateEverything: fc.boolean(),
            custom: fc.array(
              g.pick<TolerationSpec>(
                [{ key: 'dedicated', operator: TolerationOperator.EQUAL, value: 'logging', effect: TaintEffect.NO_SCHEDULE }],
                [{ key: 'x', effect: TaintEffect.NO_SCHEDULE, evictAfter: Duration.seconds(5) }],
              ),
              { maxLength: 1 },
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      nodeAffinity: g.optional(
        fc.record(
          {
            required: fc.array(
              fc.array(
                g.pick(['linux'], ['']).map((os) => NodeLabelQuery.is('kubernetes.io/os', os)),
                { minLength: 1, maxLength: 1 },
              ),
              { minLength: g.valid ? 1 : 0, maxLength: 1 },
            ),
            preferred: fc.array(
              fc.record({
                weight: g.pick([1, 50, 100], [0, 101]),
                match: fc.constant([NodeLabelQuery.in('topology.kubernetes.io/zone', ['a', 'b'])]),
              }),
              { maxLength: 1 },
            ),
          },
          { requiredKeys: [] },
        ),
      ),
      updateStrategy: g.optional(
        fc.oneof(
          fc.constant(DaemonUpdateStrategy.onDelete()),
          fc
            .record(
              { maxUnavailable: g.pick<number | string>([1, '10%'], [0, -1]), maxSurge: g.pick<number | string>([0], [1, '25%']) },
              { requiredKeys: [] },
            )
            .map((o) => DaemonUpdateStrategy.rollingUpdate(o)),
        ),
      ),
      hostPaths: fc
        .uniqueArray(
          fc.record(
            {
              name: g.pick(['varlog', 'proc'], ['Var_Log']),
              hostPath: g.pick(['/var/log', '/proc'], ['var/log']),
              mountPath: g.pick(['/host/var/log', '/host/proc'], ['relative']),
              readOnly: fc.boolean(),
              containers: fc.constant(['app']),
            },
            { requiredKeys: ['name', 'hostPath'] },
          ),
          { maxLength: 2, selector: (h) => (g.valid ? h.name : Math.random()) },
        )
        // valid: one mountPath per host path (the API server rejects two mounts on one path)
        .map((hs) => (g.valid ? hs.map((h) => (h.mountPath ? { ...h, mountPath: `${h.mountPath}-${h.name}` } : h)) : hs)),
      hostNetwork: fc.boolean(),
      hostPID: fc.boolean(),
      dnsPolicy: g.optional(fc.constantFrom(DnsPolicy.CLUSTER_FIRST, DnsPolicy.DEFAULT)),
      rules: g.optional(
        fc.array(
          fc.record(
            {
              apiGroups: fc.constantFrom(['']), // pods and nodes are core resources (not of 'apps', which grants nothing)
              resources: g.pick([['pods'], ['nodes', 'pods']], [[]]),
              verbs: g.pick([['get', 'list', 'watch']], [['*'], []]),
            },
            { requiredKeys: ['resources', 'verbs'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
      ),
      minReady: g.optional(g.seconds),
      revisionHistoryLimit: g.optional(g.count),
    })
    .map((p) => {
      // a careful user states privileged whenever the agent reaches into the host
      const host =
        p.hostPaths.length > 0 ||
        p.hostNetwork ||
        p.hostPID ||
        p.pod.containers.some((c) => c.security?.privileged || c.ports?.some((x) => x.hostPort));
      return g.valid && host ? { ...p, podSecurity: 'privileged' } : p;
    });

test(`NodeAgent: ${RUNS.nodeAgent} generated prop sets raise PatternError or synthesize valid output`, () => {
  const outcomes = checkConstruct(
    cases(props),
    (chart, p) => {
      const { tolerations: _ignored, ...pod } = materializePod(
        chart,
        p.pod,
        p.hostPaths.map((h) => h.name),
      );
      new NodeAgent(chart, 'agent', {
        ...pod,
        name: p.name,
        selectorLabels: p.selectorLabels,
        podSecurity: podSecurityOf(p.podSecurity)!,
        tolerate: p.tolerate,
        nodeAffinity: p.nodeAffinity,
        updateStrategy: p.updateStrategy,
        hostPaths: p.hostPaths,
        hostNetwork: p.hostNetwork,
        hostPID: p.hostPID,
        dnsPolicy: p.dnsPolicy,
        rules: p.rules,
        minReady: p.minReady !== undefined ? Duration.millis(p.minReady * 1000) : undefined,
        revisionHistoryLimit: p.revisionHistoryLimit,
      });
    },
    RUNS.nodeAgent,
  );
  expectBothOutcomes(outcomes);
});
