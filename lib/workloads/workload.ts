import { ApiObject, Chart } from 'cdk8s';
import { LabelSelector } from 'cdk8s-plus-27';
import type { INetworkPolicyPeer, IPodSelector, IServiceAccount, NetworkPolicyPeerConfig, PodSelectorConfig } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, Problem, recordObjectRef, throwIfAny } from '../core/errors';
import { checkLabels, checkObjectName, defaultName } from '../core/names';
import { PodSpecProps, PodTemplate } from '../pod/pod-template';
import { IPodWorkload } from '../pod/workload';
import { addChecks } from '../synth/pipeline';
import { secondsOf } from './fields';

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

  /** The problems of the workload at synth, when its state is final. */
  protected checkWorkload(): Problem[] {
    return this.pod._check();
  }
}
