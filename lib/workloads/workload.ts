import { ApiObject, Chart } from 'cdk8s';
import { LabelSelector } from 'cdk8s-plus-27';
import type { INetworkPolicyPeer, IPodSelector, IServiceAccount, NetworkPolicyPeerConfig, PodSelectorConfig } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, Problem, problemAt, recordObjectRef, throwIfAny } from '../core/errors';
import { checkLabels, checkObjectName, defaultName } from '../core/names';
import { PodSpecProps, PodTemplate } from '../pod/pod-template';
import { IPodWorkload } from '../pod/workload';
import { addChecks } from '../synth/pipeline';
import { secondsOf } from './fields';
import { PeerJson, PolicyPort, WorkloadNetworkPolicy } from './network-policy';

/** Props every workload construct shares. */
export interface WorkloadProps extends PodSpecProps {
  /** Name of the main object (and of the companions named after it). @default - from the construct path (see README, "How names are derived") */
  readonly name?: string;
  /** Labels that select the pods (the controller's selector, Services, budgets, spreading). @default { 'app.kubernetes.io/name': name } */
  readonly selectorLabels?: { [key: string]: string };
}

/**
 * What every workload construct shares (`StatefulService`, `WebService`, `NodeAgent`, `BatchJob`,
 * `ScheduledJob`): a checked name, the namespace it lands in, the labels that select its pods, the pod
 * template, the ServiceAccount its pods run as, and its main API object as `apiObject` (companions are
 * role-named members: `service`, `readService`, `disruptionBudget`, `autoscaler`...). Every object is
 * a cdk8s `ApiObject`, so the escape hatch is the same everywhere: `addJsonPatch` on it.
 *
 * A workload is also a cdk8s-plus-27 `IPodSelector` and `INetworkPolicyPeer`: a cdk8s-plus `Service`
 * selects its pods (`service.select(workload)`), a cdk8s-plus `NetworkPolicy` takes it as a peer.
 */
export abstract class Workload extends Construct implements IPodWorkload, IPodSelector, INetworkPolicyPeer {
  /** The name of the main object. */
  public readonly name: string;
  /** The namespace the objects land in (the chart's), if known. */
  public readonly namespace?: string;
  /** The labels selecting the pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The pod template (add containers, init containers, volumes after construction). */
  public abstract readonly pod: PodTemplate;
  /** The main API object (StatefulSet, Deployment, DaemonSet, Job or CronJob). */
  public abstract readonly apiObject: ApiObject;

  /**
   * @param group API group of the main object (`apps`), which decides its naming rule
   * @param kind kind of the main object (`StatefulSet`)
   */
  protected constructor(scope: Construct, id: string, props: WorkloadProps, group: string, kind: string) {
    super(scope, id);
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), group, kind);
    recordObjectRef(this, kind, this.name);
    this.namespace = Chart.of(this).namespace;
    secondsOf(this, 'terminationGracePeriod', props.terminationGracePeriod);
    const labels = props.selectorLabels ?? { 'app.kubernetes.io/name': this.name };
    if (Object.keys(labels).length === 0)
      fail(this, 'selectorLabels', 'must not be empty: an empty selector matches every pod in the namespace');
    this.selectorLabels = { ...checkLabels(this, 'selectorLabels', labels) };
    throwIfAny(PodTemplate._checkProps(this, props));
    addChecks(this, () => this.checkWorkload());
  }

  /** The ServiceAccount the pods run as (given, or created when the workload was granted API access); undefined for the namespace's default. */
  public get serviceAccount(): IServiceAccount | undefined {
    return this.pod.serviceAccount;
  }

  /** The selector of its pods, for cdk8s-plus (`Service.select`, `NetworkPolicy` selectors): the selector labels, in its namespace. */
  public toPodSelectorConfig(): PodSelectorConfig {
    return {
      labelSelector: LabelSelector.of({ labels: { ...this.selectorLabels } }),
      namespaces: this.namespace ? { names: [this.namespace] } : undefined,
    };
  }

  /** Its pods as a cdk8s-plus `NetworkPolicy` peer. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** Itself: a pod selector (cdk8s-plus `INetworkPolicyPeer`). */
  public toPodSelector(): IPodSelector | undefined {
    return this;
  }

  /**
   * Lets only `clients` (and the workload's own pods) reach the ports it exposes, instead of every pod
   * of the cluster. Our workloads and cdk8s-plus peers (`Namespaces.select`, `NetworkPolicyIpBlock`,
   * plus workloads) are accepted; a client in another namespace is selected there by its
   * `kubernetes.io/metadata.name` label. A client of ours that restricts its egress gets the matching
   * egress rule to these pods, so one call writes the selector on both sides. Calls add up.
   */
  public allowFrom(...clients: INetworkPolicyPeer[]): void {
    this.ownNetworkPolicy('allowFrom').allowFrom(clients);
  }

  /** Lets the pods reach `destinations` when their egress is restricted (`networkPolicy: { restrictEgress: true }`). */
  public allowEgressTo(...destinations: INetworkPolicyPeer[]): void {
    this.ownNetworkPolicy('allowEgressTo').allowEgressTo(destinations);
  }

  /**
   * Opens `ports` (container port numbers or names) to `from` (NetworkPolicyPeer JSON) in the
   * workload's NetworkPolicy, besides its Service ports. Returns false when it has no policy.
   * @internal
   */
  public _allowIngress(ports: PolicyPort[], from: PeerJson[]): boolean {
    return WorkloadNetworkPolicy.of(this)?.allowIngress(ports, from) ?? false;
  }

  /**
   * Opens the ports the workload exposes to every source, not only to pods: the API server calls a
   * webhook the workload serves from outside the pod network. Returns false when it has no policy.
   * @internal
   */
  public _allowIngressFromAnySource(): boolean {
    return WorkloadNetworkPolicy.of(this)?.allowAnySource() ?? false;
  }

  private ownNetworkPolicy(field: string): WorkloadNetworkPolicy {
    const policy = WorkloadNetworkPolicy.of(this);
    if (!policy) {
      fail(
        this,
        field,
        `a ${this.constructor.name} has no NetworkPolicy (only StatefulService, WebService and NodeAgent without hostNetwork have one)`,
        'select these pods from a cdk8s-plus NetworkPolicy instead',
      );
    }
    return policy;
  }

  /** The problems of the workload at synth, when its state is final. */
  protected checkWorkload(): Problem[] {
    const problems = this.pod._check();
    const policy = WorkloadNetworkPolicy.of(this);
    if (policy) {
      problems.push(...policy.check());
      // a peer of ours without a namespace beside one with a namespace: the policy cannot tell whether they share one
      for (const { peer, field } of policy.peers()) {
        if (peer instanceof Workload && (peer.namespace === undefined) !== (this.namespace === undefined)) {
          problems.push(
            problemAt(this, {
              field,
              rule: `"${peer.name}" is in namespace ${peer.namespace ?? '(none)'} and this workload in ${this.namespace ?? '(none)'}; the NetworkPolicy cannot tell whether they share one`,
              hint: 'give both charts a namespace',
            }),
          );
        }
      }
    }
    return problems;
  }
}
