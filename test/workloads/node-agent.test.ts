import { Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { DnsPolicy, HostPathVolumeType, NodeLabelQuery, NodeTaintQuery, TaintEffect } from 'cdk8s-plus-27';
import { PatternError } from '../../lib/core/errors';
import { PodSecurity } from '../../lib/pod/security';
import { PodVolume } from '../../lib/pod/volume';
import { PolicyRuleSpec, TolerationOperator } from '../../lib';
import { checkPolicyRules } from '../../lib/rbac/policy-rule';
import { RbacServiceAccount } from '../../lib/rbac/service-account';
import { NodeAgent, NodeAgentProps } from '../../lib/workloads/node-agent';
import { DaemonUpdateStrategy } from '../../lib/workloads/rolling-update';
import { addFluentd } from '../../apps/fluentd';
import { byKind, expectValidManifests, synthExample, ownMetadata } from '../util';

const base: NodeAgentProps = {
  podSecurity: PodSecurity.privileged('reads node logs'),
  containers: [{ name: 'agent', image: 'agent:1.0' }],
};

function build(props: Partial<NodeAgentProps> = {}, chartProps: { namespace?: string } = { namespace: 'monitoring' }) {
  const chart = new Chart(Testing.app(), 'test', chartProps);
  const agent = new NodeAgent(chart, 'agent', { ...base, ...props });
  const manifests = () => Testing.synth(chart);
  const daemonSet = () => byKind(manifests(), 'DaemonSet')[0];
  const podSpec = () => daemonSet().spec.template.spec;
  return { chart, agent, manifests, daemonSet, podSpec };
}

const exists = (key: string, effect: string) => ({ key, operator: 'Exists', effect });
const DAEMON_DEFAULTS = [
  exists('node.kubernetes.io/not-ready', 'NoExecute'),
  exists('node.kubernetes.io/unreachable', 'NoExecute'),
  exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
  exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
];
const CONTROL_PLANE = [
  exists('node-role.kubernetes.io/control-plane', 'NoSchedule'),
  exists('node-role.kubernetes.io/master', 'NoSchedule'),
];

describe('NodeAgent tolerations', () => {
  test('daemon defaults: exactly what the DaemonSet controller adds, written out', () => {
    const { podSpec, manifests } = build();
    expect(podSpec().tolerations).toEqual(DAEMON_DEFAULTS);
    expectValidManifests(manifests());
  });

  test('hostNetwork adds network-unavailable, and keeps cluster DNS', () => {
    const spec = build({ hostNetwork: true }).podSpec();
    expect(spec.tolerations).toEqual([...DAEMON_DEFAULTS, exists('node.kubernetes.io/network-unavailable', 'NoSchedule')]);
    expect(spec.hostNetwork).toBe(true);
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(build({ hostNetwork: true, dnsPolicy: DnsPolicy.DEFAULT }).podSpec().dnsPolicy).toBe('Default');
  });

  test('controlPlane tolerates the control-plane and legacy master taints; daemonDefaults can be left to the controller', () => {
    expect(build({ tolerate: { controlPlane: true } }).podSpec().tolerations).toEqual([...DAEMON_DEFAULTS, ...CONTROL_PLANE]);
    expect(build({ tolerate: { daemonDefaults: false, controlPlane: true } }).podSpec().tolerations).toEqual(CONTROL_PLANE);
    expect(build({ tolerate: { daemonDefaults: false } }).podSpec().tolerations).toBeUndefined();
  });

  test('tolerateEverything is one wildcard toleration', () => {
    expect(build({ tolerate: { tolerateEverything: true, controlPlane: true } }).podSpec().tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('custom tolerations (specs and cdk8s-plus NodeTaintQuery), evictAfter with NoExecute, no duplicates', () => {
    const { podSpec, manifests } = build({
      tolerate: {
        controlPlane: true,
        custom: [
          { key: 'dedicated', value: 'logging', effect: TaintEffect.NO_SCHEDULE },
          NodeTaintQuery.exists('example.com/maintenance', { effect: TaintEffect.NO_EXECUTE, evictAfter: Duration.minutes(5) }),
          { key: 'node.kubernetes.io/unschedulable', operator: TolerationOperator.EXISTS, effect: TaintEffect.NO_SCHEDULE },
          { key: 'node-role.kubernetes.io/control-plane', effect: TaintEffect.NO_SCHEDULE },
          { key: 'dedicated', value: 'logging', effect: TaintEffect.NO_SCHEDULE },
        ],
      },
    });
    expect(podSpec().tolerations).toEqual([
      ...DAEMON_DEFAULTS,
      ...CONTROL_PLANE,
      { key: 'dedicated', operator: 'Equal', value: 'logging', effect: 'NoSchedule' },
      { key: 'example.com/maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expectValidManifests(manifests());
  });
});

describe('NodeAgent scheduling and updates', () => {
  test('nodeSelector, required and preferred node affinity', () => {
    const spec = build({
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      nodeAffinity: {
        required: [[NodeLabelQuery.in('kubernetes.io/arch', ['amd64', 'arm64'])], [NodeLabelQuery.exists('example.com/logging')]],
        preferred: [{ weight: 50, match: [NodeLabelQuery.notIn('node.kubernetes.io/instance-type', ['t3.micro'])] }],
      },
    }).podSpec();
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] },
            { matchExpressions: [{ key: 'example.com/logging', operator: 'Exists' }] },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 50,
            preference: { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'NotIn', values: ['t3.micro'] }] },
          },
        ],
      },
    });
  });

  test('RollingUpdate: a surge is written with maxUnavailable 0 (the server default 1 would make both non-zero)', () => {
    const { daemonSet, manifests } = build({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: 1 }) });
    expect(daemonSet().spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expectValidManifests(manifests());
    expect(
      build({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxUnavailable: '10%' }) }).daemonSet().spec.updateStrategy,
    ).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } });
    expect(build({ updateStrategy: DaemonUpdateStrategy.onDelete() }).daemonSet().spec.updateStrategy).toEqual({ type: 'OnDelete' });
    // Kubernetes' default, written out
    expect(build().daemonSet().spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
  });

  test('a JSON patch of maxUnavailable survives (cdk8s-plus drops it unless it is an IntOrString)', () => {
    const { agent, daemonSet } = build({ updateStrategy: DaemonUpdateStrategy.rollingUpdate() });
    agent.apiObject.addJsonPatch(JsonPatch.add('/spec/updateStrategy/rollingUpdate', { maxUnavailable: 3 }));
    expect(daemonSet().spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 3 } });
  });

  test('minReady, revisionHistoryLimit, priorityClassName', () => {
    const { daemonSet } = build({ minReady: Duration.seconds(5), revisionHistoryLimit: 4, priorityClassName: 'system-node-critical' });
    expect(daemonSet().spec).toEqual(expect.objectContaining({ minReadySeconds: 5, revisionHistoryLimit: 4 }));
    expect(daemonSet().spec.template.spec.priorityClassName).toBe('system-node-critical');
  });
});

describe('NodeAgent host access and identity', () => {
  test('hostPath mounts are read-only unless they say otherwise, with a typed type', () => {
    const { podSpec, manifests } = build({
      hostPaths: [
        { name: 'varlog', hostPath: '/var/log', type: HostPathVolumeType.DIRECTORY },
        { name: 'state', hostPath: '/var/lib/agent', mountPath: '/state', type: HostPathVolumeType.DIRECTORY_OR_CREATE, readOnly: false },
      ],
    });
    const spec = podSpec();
    expect(spec.volumes).toEqual([
      { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
      { name: 'state', hostPath: { path: '/var/lib/agent', type: 'DirectoryOrCreate' } },
      { name: 'rw-agent-tmp', emptyDir: {} },
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'varlog', mountPath: '/var/log', readOnly: true },
      { name: 'state', mountPath: '/state' },
      { name: 'rw-agent-tmp', mountPath: '/tmp' },
    ]);
    expectValidManifests(manifests());
  });

  test("a container's own mount of a hostPath volume is read-only by default too", () => {
    const spec = build({
      volumes: [PodVolume.hostPath('proc', '/proc'), PodVolume.emptyDir('scratch')],
      containers: [
        {
          name: 'agent',
          image: 'agent:1.0',
          mounts: [
            { volume: 'proc', path: '/host/proc' },
            { volume: 'scratch', path: '/tmp' },
          ],
        },
      ],
    }).podSpec();
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'proc', mountPath: '/host/proc', readOnly: true },
      { name: 'scratch', mountPath: '/tmp' },
    ]);
  });

  test('hostPID; the Pod Security level and reason are written on the pod template', () => {
    const { daemonSet } = build({ hostPID: true });
    const ds = daemonSet();
    expect(ds.spec.template.spec.hostPID).toBe(true);
    expect(ds.spec.template.metadata.annotations).toEqual({
      'cdk8s-patterns.io/pod-security': 'privileged',
      'cdk8s-patterns.io/pod-security-reason': 'reads node logs',
    });
    expect(ds.spec.template.spec.securityContext).toBeUndefined();
  });

  test('an agent without host access may state baseline', () => {
    const { daemonSet, manifests } = build({ podSecurity: PodSecurity.baseline('image runs as root') });
    expect(daemonSet().spec.template.metadata.annotations['cdk8s-patterns.io/pod-security']).toBe('baseline');
    expectValidManifests(manifests());
  });

  test('its own ServiceAccount, token not mounted without API access', () => {
    const { manifests, agent } = build();
    const m = manifests();
    expect(byKind(m, 'ServiceAccount').map((s) => ownMetadata(s.metadata))).toEqual([{ name: 'agent', namespace: 'monitoring' }]);
    expect(byKind(m, 'DaemonSet')[0].spec.template.spec).toEqual(
      expect.objectContaining({ serviceAccountName: 'agent', automountServiceAccountToken: false }),
    );
    expect(agent.clusterRole).toBeUndefined();
    expect(agent.serviceAccount?.name).toBe('agent');
  });

  test('rules: a ClusterRole and a binding whose ServiceAccount subject carries the namespace', () => {
    const rules = [
      { resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'], resourceNames: ['agent'] },
    ];
    const { manifests } = build({ rules });
    const m = manifests();
    const [role] = byKind(m, 'ClusterRole');
    const [binding] = byKind(m, 'ClusterRoleBinding');
    expect(ownMetadata(role.metadata)).toEqual({ name: 'agent' });
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces', 'pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['get'], resourceNames: ['agent'] },
    ]);
    expect(ownMetadata(binding.metadata)).toEqual({ name: 'agent' });
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agent' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent', namespace: 'monitoring' }]);
    expect(byKind(m, 'DaemonSet')[0].spec.template.spec.automountServiceAccountToken).toBe(true);
    expectValidManifests(m);
  });

  test('without a chart namespace the subject namespace is "default"; a given ServiceAccount is used', () => {
    const rules = [{ resources: ['pods'], verbs: ['list'] }];
    const noNs = build({ rules }, {}).manifests();
    expect(byKind(noNs, 'ClusterRoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent', namespace: 'default' }]);
    const chart = new Chart(Testing.app(), 'test', { namespace: 'ops' });
    const sa = new RbacServiceAccount(chart, 'sa', { name: 'shared-agent' });
    new NodeAgent(chart, 'agent', { ...base, serviceAccount: sa, rules });
    const m = Testing.synth(chart);
    expect(byKind(m, 'ServiceAccount')).toHaveLength(1);
    expect(byKind(m, 'DaemonSet')[0].spec.template.spec.serviceAccountName).toBe('shared-agent');
    expect(byKind(m, 'ClusterRoleBinding')[0].subjects).toEqual([{ kind: 'ServiceAccount', name: 'shared-agent', namespace: 'ops' }]);
  });
});

describe('NodeAgent bad input', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'hostPath at restricted',
      () => build({ podSecurity: PodSecurity.restricted(), hostPaths: [{ name: 'varlog', hostPath: '/var/log' }] }).manifests(),
      /test\/agent.*podSecurity: is restricted, but the Pod Security Standards allow hostPath volumes \(varlog\) only at privileged/,
    ],
    [
      'hostNetwork and hostPID at baseline',
      () => build({ podSecurity: PodSecurity.baseline('root'), hostNetwork: true, hostPID: true }).manifests(),
      /podSecurity: is baseline, but .*allow hostNetwork, hostPID only at privileged.*hint: PodSecurity\.privileged/,
    ],
    [
      'hostPath volume added later at baseline',
      () => {
        const { agent, manifests } = build({ podSecurity: PodSecurity.baseline('root') });
        agent.pod.addVolume(PodVolume.hostPath('sys', '/sys'));
        return manifests();
      },
      /podSecurity: is baseline, but .*hostPath volumes \(sys\)/,
    ],
    ['privileged without a reason', () => build({ podSecurity: PodSecurity.privileged('') }), /podSecurity: privileged needs a reason/],
    [
      'evictAfter without NoExecute',
      () => build({ tolerate: { custom: [{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE, evictAfter: Duration.seconds(60) }] } }),
      /test\/agent.*tolerate\.custom\[0\]\.evictAfter: is only valid with effect NoExecute \(got NoSchedule\)/,
    ],
    [
      'evictAfter the controller would overwrite',
      () =>
        build({
          tolerate: {
            custom: [
              {
                key: 'node.kubernetes.io/not-ready',
                operator: TolerationOperator.EXISTS,
                effect: TaintEffect.NO_EXECUTE,
                evictAfter: Duration.seconds(300),
              },
            ],
          },
        }),
      /tolerate\.custom\[0\]\.evictAfter: the DaemonSet controller replaces this node\.kubernetes\.io\/not-ready toleration/,
    ],
    [
      'tolerateEverything with custom tolerations',
      () => build({ tolerate: { tolerateEverything: true, custom: [{ key: 'a', effect: TaintEffect.NO_SCHEDULE }] } }),
      /tolerate\.custom: tolerateEverything already tolerates every taint/,
    ],
    [
      'conflicting custom tolerations',
      () =>
        build({
          tolerate: {
            custom: [
              { key: 'a', effect: TaintEffect.NO_EXECUTE, evictAfter: Duration.seconds(1) },
              { key: 'a', effect: TaintEffect.NO_EXECUTE, evictAfter: Duration.seconds(2) },
            ],
          },
        }),
      /tolerate\.custom\[1\]\.evictAfter: conflicts with another toleration/,
    ],
    [
      'tolerations instead of tolerate',
      () => build({ tolerations: [{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE }] }),
      /test\/agent.*tolerations: a node agent takes its tolerations from `tolerate`.*hint: move them to tolerate\.custom/,
    ],
    [
      'maxSurge and maxUnavailable both non-zero',
      () => build({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: 1, maxUnavailable: 1 }) }),
      /updateStrategy\.rollingUpdate: maxUnavailable \(1\) and maxSurge \(1\) are both non-zero; Kubernetes requires exactly one/,
    ],
    [
      'maxSurge and maxUnavailable both zero',
      () => build({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxUnavailable: '0%' }) }),
      /updateStrategy\.rollingUpdate: maxUnavailable and maxSurge are both 0/,
    ],
    [
      'maxSurge over 100%',
      () => build({ updateStrategy: DaemonUpdateStrategy.rollingUpdate({ maxSurge: '101%' }) }),
      /updateStrategy\.maxSurge: must not be more than 100%/,
    ],
    [
      'rule without verbs',
      () => build({ rules: [{ resources: ['pods'], verbs: [] }] }),
      /test\/agent.*rules\[0\]\.verbs: must name at least one verb/,
    ],
    [
      'preferred weight 0',
      () => build({ nodeAffinity: { preferred: [{ weight: 0, match: [NodeLabelQuery.exists('a')] }] } }),
      /nodeAffinity\.preferred\[0\]\.weight: must be an integer from 1 to 100/,
    ],
    [
      'In without values',
      () => build({ nodeAffinity: { required: [[NodeLabelQuery.in('zone', [])]] } }),
      /nodeAffinity\.required\[0\]\[0\]: In on "zone" needs at least one value/,
    ],
    [
      'relative hostPath',
      () => build({ hostPaths: [{ name: 'logs', hostPath: 'var/log' }] }),
      /hostPaths\[0\]\.hostPath: "var\/log" must be an absolute path/,
    ],
    [
      'ServiceAccount of another namespace',
      () => {
        const chart = new Chart(Testing.app(), 'test', { namespace: 'ops' });
        return new NodeAgent(chart, 'agent', { ...base, serviceAccount: new RbacServiceAccount(chart, 'sa', { namespace: 'other' }) });
      },
      /serviceAccount: ServiceAccount "sa" is in namespace other, but the pods run in ops/,
    ],
    [
      'mount of an unknown volume',
      () => build({ containers: [{ name: 'agent', image: 'agent:1.0', mounts: [{ volume: 'logs', path: '/logs' }] }] }).manifests(),
      /containers\[0\]\.mounts\[0\]\.volume: mounts "logs"/,
    ],
  ];
  test.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(PatternError);
    expect(fn).toThrow(message);
  });
});

describe('NodeAgent API access rules', () => {
  test('PolicyRuleSpec and its check come from the RBAC toolkit', () => {
    const rules: PolicyRuleSpec[] = [
      { resources: ['pods'], verbs: ['get'] },
      { apiGroups: [], resources: [], verbs: ['list'] },
    ];
    expect(checkPolicyRules(rules)).toEqual([
      { field: '[1].resources', rule: 'must name at least one resource' },
      { field: '[1].apiGroups', rule: 'an empty list matches no API group', hint: "use [''] for the core group" },
    ]);
    expect(() => build({ rules })).toThrow(PatternError);
    expect(() => build({ rules })).toThrow(/\[test\/agent\][\s\S]*rules\[1\]\.resources: must name at least one resource/);
  });
});

describe('NodeAgent example', () => {
  test('fluentd-elasticsearch (seed 001), corrected', () => {
    const m = synthExample(addFluentd);
    expect(m.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual([
      'v1/ServiceAccount',
      'apps/v1/DaemonSet',
      'networking.k8s.io/v1/NetworkPolicy',
      'rbac.authorization.k8s.io/v1/ClusterRole',
      'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
    ]);
    const ds = byKind(m, 'DaemonSet')[0];
    expect(ownMetadata(ds.metadata)).toEqual({
      name: 'fluentd-elasticsearch',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'fluentd-logging' },
    });
    const spec = ds.spec.template.spec;
    expect(ds.spec.selector.matchLabels).toEqual({ name: 'fluentd-elasticsearch' });
    expect(spec.terminationGracePeriodSeconds).toBe(30);
    expect(spec.tolerations).toEqual(
      expect.arrayContaining([{ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }]),
    );
    expect(spec.containers[0].resources).toEqual({ limits: { memory: '200Mi' }, requests: { cpu: '100m', memory: '200Mi' } });
    expect(spec.volumes.map((v: any) => [v.name, v.hostPath?.path ?? 'emptyDir'])).toEqual([
      ['varlog', '/var/log'],
      ['varlibdockercontainers', '/var/lib/docker/containers'],
      ['rw-fluentd-elasticsearch-tmp', 'emptyDir'],
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'varlog', mountPath: '/var/log' },
      { name: 'varlibdockercontainers', mountPath: '/var/lib/docker/containers', readOnly: true },
      { name: 'rw-fluentd-elasticsearch-tmp', mountPath: '/tmp' },
    ]);
    expect(byKind(m, 'ClusterRoleBinding')[0].subjects[0].namespace).toBe('kube-system');
    expectValidManifests(m);
  });
});
