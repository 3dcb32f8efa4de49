import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsPolicy, HostPathVolumeType } from 'cdk8s-plus-27';
import { fail, Problem, problemAt, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { NameRule, nameViolation } from '../core/names';
import { ContainerMountSpec, PodTemplate } from '../pod/pod-template';
import { PodSecurityLevel } from '../pod/security';
import { PodVolume } from '../pod/volume';
import { RbacClusterRoleBinding } from '../rbac/binding';
import { RbacClusterRole } from '../rbac/cluster-role';
import { checkPolicyRules, PolicyRuleSpec } from '../rbac/policy-rule';
import { ruleResource } from '../rbac/resource';
import { RbacServiceAccount } from '../rbac/service-account';
import { Subject } from '../rbac/subject';
import { Verbs } from '../rbac/verbs';
import { checkInt, secondsOf } from './fields';
import { MetricsOptions, WorkloadMetrics } from './metrics';
import { Monitor } from '../monitoring/monitor';
import { companion, CompanionOptions } from './companion';
import { DaemonUpdateStrategy } from './rolling-update';
import { NodeAgentTolerations, resolveTolerations } from './tolerations';
import { Workload, WorkloadProps } from './workload';
import { containerPolicyPorts, NetworkPolicyOptions, WorkloadNetworkPolicy } from './network-policy';
import { OptOut } from '../core/opt-out';

/** A directory or file of the node, mounted into the agent's containers. */
export interface HostPathMountSpec {
  /** Volume name (DNS-1123 label). */
  readonly name: string;
  /** Absolute path on the node. */
  readonly hostPath: string;
  /** Absolute path in the containers. @default - the same as `hostPath` */
  readonly mountPath?: string;
  /** What must exist at `hostPath` before the pod starts. @default HostPathVolumeType.DEFAULT (no check) */
  readonly type?: HostPathVolumeType;
  /** Mount read-only; a node agent writes to the node only where it says so. @default true */
  readonly readOnly?: boolean;
  /** Containers to mount it into. @default - every app container given in `containers` */
  readonly containers?: string[];
}

/**
 * Props of a `NodeAgent`. `podSecurity` is required here: a node agent usually needs host access,
 * which the "restricted" profile forbids. hostPath volumes, hostNetwork, hostPID, hostPorts and
 * privileged containers all need `PodSecurity.privileged(reason)`; the level and reason are written
 * on the pod template.
 */
export interface NodeAgentProps extends WorkloadProps {
  /**
   * Which node taints the agent tolerates (use this rather than `tolerations`, which a node agent
   * refuses). @default - the DaemonSet controller's defaults, written out
   */
  readonly tolerate?: NodeAgentTolerations;
  /** How agents are replaced on a template change. @default DaemonUpdateStrategy.rollingUpdate({ maxUnavailable: 1 }) (Kubernetes' default, written out) */
  readonly updateStrategy?: DaemonUpdateStrategy;
  /** Node paths to mount (read-only unless they say otherwise). @default - none */
  readonly hostPaths?: HostPathMountSpec[];
  /** Use the node's network namespace. @default false */
  readonly hostNetwork?: boolean;
  /** See the node's processes. @default false */
  readonly hostPID?: boolean;
  /**
   * Kubernetes API access the agent needs, cluster-wide: a ClusterRole with these rules bound to
   * the agent's ServiceAccount (whose token is then mounted). The binding's subject namespace is the
   * ServiceAccount's namespace, else the chart's, else `default`; give the chart a namespace so it
   * matches where the DaemonSet runs.
   * @default - no API access
   */
  readonly rules?: PolicyRuleSpec[];
  /** Name, labels and annotations of the ClusterRole and its ClusterRoleBinding (with `rules`). @default - named after the agent */
  readonly accessOptions?: CompanionOptions;
  /** Name, labels and annotations of the ServiceAccount the agent creates (without `serviceAccount`). @default - named after the agent */
  readonly serviceAccountOptions?: CompanionOptions;
  /** How long a new agent must be ready before it counts as available (`minReadySeconds`). @default - 0 */
  readonly minReady?: Duration;
  /** Old revisions kept for rollback. @default - Kubernetes' default (10) */
  readonly revisionHistoryLimit?: number;
  /**
   * Scrape a named container port with Prometheus (`monitor`): a PodMonitor over the agent's pods (a
   * node agent has no Service).
   * @default - no monitor
   */
  readonly metrics?: MetricsOptions;
  /**
   * The NetworkPolicy (`networkPolicy`, named after the agent, selecting exactly its pods): ingress on the
   * declared container ports (a DaemonSet has no Service of ours) from every pod of the cluster, egress
   * open unless `restrictEgress`. None with `hostNetwork` (a NetworkPolicy does not apply to pods in the
   * node's network namespace). `OptOut.because('why')` creates none and writes the reason on the DaemonSet.
   * @default - a NetworkPolicy with open egress (none with hostNetwork)
   */
  readonly networkPolicy?: NetworkPolicyOptions | OptOut;
}

/**
 * A node agent: a DaemonSet running one pod per node (log shippers, monitoring, CNI and storage
 * agents), with the tolerations it needs written out, node selection, host access at a stated Pod
 * Security level, its own ServiceAccount and, on request, cluster-wide API access.
 *
 * Names: the DaemonSet, ServiceAccount, ClusterRole and ClusterRoleBinding are `<name>`.
 */
export class NodeAgent extends Workload {
  /** The pod template (add containers, volumes, tolerations). */
  public readonly pod: PodTemplate;
  /** The DaemonSet. */
  public readonly apiObject: ApiObject;
  /** The ClusterRole granting `rules` (add more with `clusterRole.allow(...)`), if `rules` were given. */
  public readonly clusterRole?: RbacClusterRole;
  /** The ClusterRoleBinding of `clusterRole` to the agent's ServiceAccount, if `rules` were given. */
  public readonly clusterRoleBinding?: RbacClusterRoleBinding;
  /** The PodMonitor, if `metrics` was given. */
  public readonly monitor?: Monitor;
  /** The container port Prometheus scrapes (`metrics.port`), if `metrics` was given. */
  public readonly metricsPort?: string;
  /** The NetworkPolicy of its pods, unless opted out. */
  public readonly networkPolicy?: ApiObject;

  private readonly props: NodeAgentProps;
  private readonly hostMounts: HostPathMountSpec[];

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id, props, 'apps', 'DaemonSet');
    this.props = props;
    if (!props.podSecurity) {
      fail(
        this,
        'podSecurity',
        'is required: a node agent must state its Pod Security level',
        "PodSecurity.privileged('<why>') for host access, PodSecurity.baseline('<why>') or PodSecurity.restricted() otherwise",
      );
    }
    if (props.podSecurity.level !== PodSecurityLevel.RESTRICTED && !props.podSecurity.reason?.trim()) {
      fail(this, 'podSecurity', `${props.podSecurity.level} needs a reason, written on the pod template for reviewers`);
    }
    if (props.tolerations) {
      fail(this, 'tolerations', 'a node agent takes its tolerations from `tolerate`', 'move them to tolerate.custom');
    }
    secondsOf(this, 'minReady', props.minReady);
    checkInt(this, 'revisionHistoryLimit', props.revisionHistoryLimit);
    const hostNetwork = props.hostNetwork ?? false;
    const tolerations = resolveTolerations(props.tolerate ?? {}, hostNetwork);
    throwIfAny([
      ...tolerations.problems.map((d) => problemAt(this, { ...d, field: `tolerate.${d.field}` })),
      ...(props.updateStrategy?._check() ?? []).map((d) => problemAt(this, { ...d, field: `updateStrategy.${d.field}` })),
      ...checkPolicyRules(props.rules ?? []).map((d) => problemAt(this, { ...d, field: `rules${d.field}` })),
    ]);
    this.hostMounts = [...(props.hostPaths ?? [])];
    this.hostMounts.forEach((h, i) => this.checkHostPath(h, i));

    // the agent always runs under a ServiceAccount of its namespace: the one given, or its own
    if (props.serviceAccount && props.serviceAccountOptions)
      fail(this, 'serviceAccountOptions', 'is set while serviceAccount is given', 'the agent creates no ServiceAccount then');
    if (props.accessOptions && !props.rules?.length)
      fail(this, 'accessOptions', 'is set without rules', 'add rules, or remove accessOptions');
    const saOptions = companion(this, 'serviceAccountOptions', props.serviceAccountOptions, this.name, '', 'ServiceAccount');
    const serviceAccount =
      props.serviceAccount ?? labelled(new RbacServiceAccount(this, 'ServiceAccount', { name: saOptions.name }), saOptions);
    if (RbacServiceAccount.isRbacServiceAccount(serviceAccount) && serviceAccount.namespace !== this.namespace) {
      fail(
        this,
        'serviceAccount',
        `ServiceAccount "${serviceAccount.name}" is in namespace ${serviceAccount.namespace ?? '(none)'}, but the pods run in ${this.namespace ?? '(none)'}; a pod can only use a ServiceAccount of its own namespace`,
      );
    }

    this.pod = PodTemplate._create(
      this,
      { ...props, serviceAccount, tolerations: tolerations.tolerations },
      {
        hostNetwork,
        hostPID: props.hostPID,
        dnsPolicy: hostNetwork ? DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET : undefined, // unless the props set one
        readOnlyHostPaths: true, // hostPaths' readOnly defaults to true here
        extraMounts: () => this.extraMounts(),
      },
    );
    for (const h of this.hostMounts) {
      this.pod.addVolume(PodVolume.hostPath(h.name, h.hostPath, { type: h.type }));
    }

    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: this.name },
      render: () => this.renderSpec(),
    });

    if (props.metrics) {
      const metrics = new WorkloadMetrics(this, props.metrics, {});
      this.monitor = metrics.monitor;
      this.metricsPort = metrics.port;
    }
    if (hostNetwork) {
      if (props.networkPolicy && !OptOut.isOptOut(props.networkPolicy))
        fail(
          this,
          'networkPolicy',
          "has no effect with hostNetwork: a NetworkPolicy does not apply to pods in the node's network namespace",
        );
    } else {
      this.networkPolicy = WorkloadNetworkPolicy.create(this, props.networkPolicy, () =>
        containerPolicyPorts(this.pod.containerSpecs),
      ).apiObject;
    }

    if (props.rules?.length) {
      const account = this.pod._grantApiAccess(serviceAccount);
      const namespace = (RbacServiceAccount.isRbacServiceAccount(account) ? account.namespace : undefined) ?? this.namespace ?? 'default';
      const access = companion(this, 'accessOptions', props.accessOptions, this.name, 'rbac.authorization.k8s.io', 'ClusterRole');
      const role = labelled(new RbacClusterRole(this, 'ClusterRole', { name: access.name }), access);
      for (const r of props.rules) {
        // built-in resources are looked up (so `nodse` and `lsit` are errors with "did you mean", and
        // cluster scope is known); other groups are custom resources, whose verbs `customVerbs` declares
        const resources = (r.apiGroups ?? ['']).flatMap((group) => r.resources.map((resource) => ruleResource(group, resource)));
        const verbs = Verbs.union(Verbs.of(...r.verbs), Verbs.custom(...(r.customVerbs ?? [])));
        role.allow(verbs).on(...resources.map((res) => (r.resourceNames?.length ? res.named(...r.resourceNames) : res)));
      }
      this.clusterRole = role;
      // the subject always carries a namespace: the API server rejects a ServiceAccount subject without one
      this.clusterRoleBinding = labelled(role.bind(Subject.serviceAccount(account.name, namespace)), access);
    }
  }

  private checkHostPath(h: HostPathMountSpec, i: number): void {
    const why = nameViolation(h.name, NameRule.DNS_LABEL);
    if (why) fail(this, `hostPaths[${i}].name`, why);
    if (typeof h.hostPath !== 'string' || !h.hostPath.startsWith('/'))
      fail(this, `hostPaths[${i}].hostPath`, `"${h.hostPath}" must be an absolute path on the node`);
    if (h.mountPath !== undefined && !h.mountPath.startsWith('/'))
      fail(this, `hostPaths[${i}].mountPath`, `mount path "${h.mountPath}" must be absolute`);
  }

  private extraMounts(): ContainerMountSpec[] {
    const all = this.props.containers.map((c) => c.name);
    return this.hostMounts.flatMap((h) =>
      (h.containers ?? all).map((container) => ({
        container,
        mount: { volume: h.name, path: h.mountPath ?? h.hostPath, readOnly: h.readOnly },
      })),
    );
  }

  private renderSpec(): Record<string, unknown> {
    return {
      spec: {
        selector: { matchLabels: this.selectorLabels },
        // the default the agent relies on, written: node by node, one at a time
        updateStrategy: (this.props.updateStrategy ?? DaemonUpdateStrategy.rollingUpdate({ maxUnavailable: 1 }))._toJson(),
        minReadySeconds: this.props.minReady?.toSeconds(),
        revisionHistoryLimit: this.props.revisionHistoryLimit,
        template: this.pod._render(this.selectorLabels),
      },
    };
  }

  /** The host access in the pod template, each as a reason it needs the privileged level. */
  private hostAccess(): string[] {
    const found: string[] = [];
    if (this.props.hostNetwork) found.push('hostNetwork');
    if (this.props.hostPID) found.push('hostPID');
    const hostPaths = this.pod.volumeSpecs.filter((v) => v.type === 'hostPath').map((v) => v.name);
    if (hostPaths.length > 0) found.push(`hostPath volumes (${hostPaths.join(', ')})`);
    for (const c of [...this.pod.initContainerSpecs, ...this.pod.containerSpecs]) {
      if (c.ports?.some((p) => p.hostPort !== undefined)) found.push(`hostPort on container "${c.name}"`);
      if (c.security?.privileged) found.push(`privileged container "${c.name}"`);
    }
    return found;
  }

  protected checkWorkload(): Problem[] {
    const problems = super.checkWorkload();
    const level = this.pod.security.level;
    const access = this.hostAccess();
    if (level !== PodSecurityLevel.PRIVILEGED && access.length > 0) {
      problems.push(
        problemAt(this, {
          field: 'podSecurity',
          rule: `is ${level}, but the Pod Security Standards allow ${access.join(', ')} only at privileged; the pods would be rejected where ${level} is enforced`,
          hint: "PodSecurity.privileged('<why the agent needs the host>')",
        }),
      );
    }
    return problems;
  }
}

/** Adds a companion's labels and annotations to an API object of the RBAC layer; returns it. */
function labelled<T extends ApiObject>(
  obj: T,
  options: { labels?: { [key: string]: string }; annotations?: { [key: string]: string } },
): T {
  for (const [k, v] of Object.entries(options.labels ?? {})) obj.metadata.addLabel(k, v);
  for (const [k, v] of Object.entries(options.annotations ?? {})) obj.metadata.addAnnotation(k, v);
  return obj;
}
