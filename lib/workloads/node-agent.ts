import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DnsPolicy, HostPathVolumeType } from 'cdk8s-plus-27';
import { addChecks } from '../core/checks';
import { fail, Problem, problemAt, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkObjectName, defaultName, NameRule, nameViolation } from '../core/names';
import { ContainerMountSpec, PodSpecProps, PodTemplate } from '../pod/pod-template';
import { PodSecurity, PodSecurityLevel } from '../pod/security';
import { PodVolume } from '../pod/volume';
import { ClusterRoleBinding } from '../rbac/binding';
import { ClusterRole } from '../rbac/cluster-role';
import { checkPolicyRules, PolicyRuleSpec } from '../rbac/policy-rule';
import { Resource } from '../rbac/resource';
import { ServiceAccount } from '../rbac/service-account';
import { Subject } from '../rbac/subject';
import { checkNodeAffinity, NodeAffinitySpec, renderNodeAffinity } from './affinity';
import { checkInt, checkPodSpecProps } from './fields';
import { DaemonUpdateStrategy } from './rolling-update';
import { NodeAgentTolerations, resolveTolerations } from './tolerations';
import { selectorFor } from './workload';

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

/** Props of a `NodeAgent`. */
export interface NodeAgentProps extends Omit<PodSpecProps, 'tolerations' | 'podSecurity'> {
  /** DaemonSet name (DNS-1123 subdomain); also names its ServiceAccount, ClusterRole and binding. @default - from the construct path */
  readonly name?: string;
  /** Labels that select the pods. @default { 'app.kubernetes.io/name': name } */
  readonly selectorLabels?: Record<string, string>;
  /**
   * The Pod Security level, stated explicitly: a node agent usually needs host access, which the
   * "restricted" profile forbids. hostPath volumes, hostNetwork, hostPID, hostPorts and privileged
   * containers all need `PodSecurity.privileged(reason)`; the level and reason are written on the
   * pod template.
   */
  readonly podSecurity: PodSecurity;
  /** Which node taints the agent tolerates. @default - the DaemonSet controller's defaults, written out */
  readonly tolerations?: NodeAgentTolerations;
  /** Node affinity (required / preferred terms of cdk8s-plus `NodeLabelQuery`s). @default - every node */
  readonly nodeAffinity?: NodeAffinitySpec;
  /** How agents are replaced on a template change. @default - Kubernetes' default: RollingUpdate, maxUnavailable 1 */
  readonly updateStrategy?: DaemonUpdateStrategy;
  /** Node paths to mount (read-only unless they say otherwise). @default - none */
  readonly hostPaths?: HostPathMountSpec[];
  /** Use the node's network namespace. @default false */
  readonly hostNetwork?: boolean;
  /** See the node's processes. @default false */
  readonly hostPID?: boolean;
  /** @default DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET with hostNetwork (cluster DNS still resolves), else Kubernetes' default */
  readonly dnsPolicy?: DnsPolicy;
  /**
   * Kubernetes API access the agent needs, cluster-wide: a ClusterRole with these rules bound to
   * the agent's ServiceAccount (whose token is then mounted). The binding's subject namespace is the
   * ServiceAccount's namespace, else the chart's, else `default`; give the chart a namespace so it
   * matches where the DaemonSet runs.
   * @default - no API access
   */
  readonly rules?: PolicyRuleSpec[];
  /** Seconds a new agent must be ready before it counts as available. @default 0 */
  readonly minReadySeconds?: number;
  /** Old revisions kept for rollback. @default - Kubernetes' default (10) */
  readonly revisionHistoryLimit?: number;
}

/**
 * A node agent: a DaemonSet running one pod per node (log shippers, monitoring, CNI and storage
 * agents), with the tolerations it needs written out, node selection, host access at a stated Pod
 * Security level, its own ServiceAccount and, on request, cluster-wide API access.
 *
 * Names: the DaemonSet, ServiceAccount, ClusterRole and ClusterRoleBinding are `<name>`.
 */
export class NodeAgent extends Construct {
  /** The DaemonSet's name. */
  public readonly name: string;
  /** The labels selecting the pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The pod template (add containers, volumes, tolerations). */
  public readonly pod: PodTemplate;
  /** The DaemonSet object. */
  public readonly daemonSet: Manifest;
  /** The agent's own ServiceAccount, unless `serviceAccount` was given. */
  public readonly serviceAccount?: ServiceAccount;
  /** The ClusterRole granting `rules` (add more with `clusterRole.allow(...)`), if `rules` were given. */
  public readonly clusterRole?: ClusterRole;
  /** The ClusterRoleBinding of `clusterRole` to the agent's ServiceAccount, if `rules` were given. */
  public readonly clusterRoleBinding?: ClusterRoleBinding;

  private readonly props: NodeAgentProps;
  private readonly hostMounts: HostPathMountSpec[];

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id);
    this.props = props;
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), 'apps', 'DaemonSet');
    if (!props.podSecurity) {
      fail(this, 'podSecurity', 'is required: a node agent must state its Pod Security level',
        "PodSecurity.privileged('<why>') for host access, PodSecurity.baseline('<why>') or PodSecurity.restricted() otherwise");
    }
    if (props.podSecurity.level !== PodSecurityLevel.RESTRICTED && !props.podSecurity.reason?.trim()) {
      fail(this, 'podSecurity', `${props.podSecurity.level} needs a reason, written on the pod template for reviewers`);
    }
    checkPodSpecProps(this, props);
    checkInt(this, 'minReadySeconds', props.minReadySeconds);
    checkInt(this, 'revisionHistoryLimit', props.revisionHistoryLimit);
    const hostNetwork = props.hostNetwork ?? false;
    const tolerations = resolveTolerations(props.tolerations ?? {}, hostNetwork);
    throwIfAny([
      ...tolerations.problems.map((d) => problemAt(this, { ...d, field: `tolerations.${d.field}` })),
      ...checkNodeAffinity(props.nodeAffinity ?? {}).map((d) => problemAt(this, { ...d, field: `nodeAffinity.${d.field}` })),
      ...(props.updateStrategy?.check() ?? []).map((d) => problemAt(this, { ...d, field: `updateStrategy.${d.field}` })),
      ...checkPolicyRules(props.rules ?? []).map((d) => problemAt(this, { ...d, field: `rules${d.field}` })),
    ]);
    this.hostMounts = [...(props.hostPaths ?? [])];
    this.hostMounts.forEach((h, i) => this.checkHostPath(h, i));
    this.selectorLabels = selectorFor(this, props.selectorLabels, this.name);

    const chartNamespace = Chart.of(this).namespace;
    let serviceAccount = props.serviceAccount;
    if (serviceAccount === undefined) {
      this.serviceAccount = new ServiceAccount(this, 'ServiceAccount', { name: this.name });
      serviceAccount = this.serviceAccount;
    } else if (serviceAccount instanceof ServiceAccount && serviceAccount.namespace !== chartNamespace) {
      fail(this, 'serviceAccount', `ServiceAccount "${serviceAccount.name}" is in namespace ${serviceAccount.namespace ?? '(none)'}, but the pods run in ${chartNamespace ?? '(none)'}; a pod can only use a ServiceAccount of its own namespace`);
    }

    this.pod = new PodTemplate(this, { ...props, serviceAccount, tolerations: tolerations.tolerations }, {
      hostNetwork,
      hostPID: props.hostPID,
      dnsPolicy: props.dnsPolicy ?? (hostNetwork ? DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET : undefined),
      affinity: () => renderNodeAffinity(props.nodeAffinity),
      readOnlyHostPaths: true, // hostPaths' readOnly defaults to true here
      extraMounts: () => this.extraMounts(),
    });
    for (const h of this.hostMounts) {
      this.pod.addVolume(PodVolume.hostPath(h.name, h.hostPath, { type: h.type }));
    }

    this.daemonSet = new Manifest(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: this.name },
      render: () => this.renderSpec(),
    });

    if (props.rules?.length) {
      const accountName = this.pod.grantApiAccess(this.name);
      const namespace = (serviceAccount instanceof ServiceAccount ? serviceAccount.namespace : undefined) ?? chartNamespace ?? 'default';
      const role = new ClusterRole(this, 'ClusterRole', { name: this.name });
      for (const r of props.rules) {
        const resources = (r.apiGroups ?? ['']).flatMap((group) => r.resources.map((resource) => Resource.custom({ group, resource })));
        role.allow(...r.verbs).on(...resources.map((res) => (r.resourceNames?.length ? res.named(...r.resourceNames) : res)));
      }
      this.clusterRole = role;
      // the subject always carries a namespace: the API server rejects a ServiceAccount subject without one
      this.clusterRoleBinding = role.bind(Subject.serviceAccount(accountName, namespace));
    }
    addChecks(this, () => this.check());
  }

  private checkHostPath(h: HostPathMountSpec, i: number): void {
    const why = nameViolation(h.name, NameRule.DNS_LABEL);
    if (why) fail(this, `hostPaths[${i}].name`, why);
    if (typeof h.hostPath !== 'string' || !h.hostPath.startsWith('/')) fail(this, `hostPaths[${i}].hostPath`, `"${h.hostPath}" must be an absolute path on the node`);
    if (h.mountPath !== undefined && !h.mountPath.startsWith('/')) fail(this, `hostPaths[${i}].mountPath`, `mount path "${h.mountPath}" must be absolute`);
  }

  private extraMounts(): ContainerMountSpec[] {
    const all = this.props.containers.map((c) => c.name);
    return this.hostMounts.flatMap((h) => (h.containers ?? all).map((container) => ({
      container,
      mount: { volume: h.name, path: h.mountPath ?? h.hostPath, readOnly: h.readOnly },
    })));
  }

  private renderSpec(): Record<string, unknown> {
    return {
      spec: {
        selector: { matchLabels: this.selectorLabels },
        updateStrategy: this.props.updateStrategy?.toJson(),
        minReadySeconds: this.props.minReadySeconds,
        revisionHistoryLimit: this.props.revisionHistoryLimit,
        template: this.pod.render(this.selectorLabels),
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

  private check(): Problem[] {
    const problems = this.pod.check();
    const level = this.props.podSecurity.level;
    const access = this.hostAccess();
    if (level !== PodSecurityLevel.PRIVILEGED && access.length > 0) {
      problems.push(problemAt(this, {
        field: 'podSecurity',
        rule: `is ${level}, but the Pod Security Standards allow ${access.join(', ')} only at privileged; the pods would be rejected where ${level} is enforced`,
        hint: "PodSecurity.privileged('<why the agent needs the host>')",
      }));
    }
    return problems;
  }
}
