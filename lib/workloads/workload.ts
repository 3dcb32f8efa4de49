import { ApiObject, Chart } from 'cdk8s';
import { LabelSelector } from 'cdk8s-plus-27';
import type { INetworkPolicyPeer, IPodSelector, IServiceAccount, NetworkPolicyPeerConfig, PodSelectorConfig } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail, Problem, problemAt, recordObjectRef, throwIfAny } from '../core/errors';
import { checkLabels, checkObjectName, defaultName } from '../core/names';
import { ClusterVersion } from '../core/cluster-version';
import { addOptOutSite, OptOut, optOutAnnotationsOf } from '../core/opt-out';
import { setAddedMetadata } from '../core/recommended-labels';
import { PatternDefaults, PatternDefaultsProps } from '../pod/defaults';
import { podBearingKind } from '../pod/pod-bearing';
import { PodSpecProps, PodTemplate } from '../pod/pod-template';
import { IPodWorkload } from '../pod/workload';
import { addChecks } from '../synth/pipeline';
import { AppLabels, appLabelsOf, checkAppLabels } from './app-labels';
import { companion, CompanionOptions } from './companion';
import { addDisruptionBudget, budgetFor, DisruptionBudget } from './disruption-budget';
import { reportLateOptOut, secondsOf } from './fields';
import { WorkloadNetworkPolicy } from './network-policy';

/** Props every workload construct shares. */
export interface WorkloadProps extends PodSpecProps {
  /** Name of the main object (and of the companions named after it). @default - from the construct path (see README, "How names are derived") */
  readonly name?: string;
  /** Labels that select the pods (the controller's selector, Services, budgets, spreading). @default { 'app.kubernetes.io/name': name } */
  readonly selectorLabels?: { [key: string]: string };
  /**
   * The recommended `app.kubernetes.io/*` labels on every object of the workload and on its pods (never
   * in selectors); `OptOut.because(...)` leaves them off.
   * @default - name from the selector's `app.kubernetes.io/name`, instance from the workload's name, version from the first container's image tag, part-of from `PatternDefaults.partOf` or the chart's id
   */
  readonly appLabels?: AppLabels | OptOut;
  /**
   * Turns off the config rollout hashes for this workload, for this reason (e.g. 'reloads its config
   * itself'): changing a ConfigMap or Secret it uses then leaves the running pods alone.
   * @default - on (see `ConfigRollout`, `PatternDefaults.configRollouts`): a Deployment, StatefulSet or DaemonSet rolls when a ConfigMap or Secret of the app it uses changes
   */
  readonly configRollout?: OptOut;
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

  private labelsMemo?: { readonly key: string; readonly labels: { [key: string]: string } };

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
    const appLabels = props.appLabels;
    if (!OptOut.isOptOut(appLabels) && appLabels) checkAppLabels(this, appLabels, this.selectorLabels);
    this._addOptOut('recommended-labels', 'appLabels', appLabels, (d) => d.recommendedLabels);
    const rolls = podBearingKind(group, kind)?.rollsOnChange;
    if (props.configRollout && !rolls) {
      fail(this, 'configRollout', `has no effect: a ${kind}'s pods are not rolled when a ConfigMap or Secret changes`, 'remove it');
    }
    this._addOptOut('config-rollout', 'configRollout', props.configRollout, (d) => (rolls ? d.configRollouts : undefined));
    setAddedMetadata(this, (obj) => ({
      labels: this.recommendedLabels(appLabels),
      annotations: obj === this.apiObject ? optOutAnnotationsOf(this) : undefined,
    }));
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
   * @internal
   * Records that the default `name` can be turned off by `given` (the prop `field`, checked here) or
   * app-wide by `fromDefaults`; the reason in force at synth is written on the main object as
   * `opt-out.cdk8s-patterns.io/<name>`.
   */
  protected _addOptOut(name: string, field: string, given: unknown, fromDefaults: (d: PatternDefaultsProps) => OptOut | undefined): void {
    const own = OptOut.isOptOut(given) ? given : undefined;
    own?._check(this, field);
    addOptOutSite(this, name, () => (own ?? fromDefaults(PatternDefaults.of(this)))?.reason.trim());
  }

  /**
   * @internal
   * Adds the PodDisruptionBudget (`budget`, else `maxUnavailable: 1` when `maxPods` is two or more,
   * unless opted out here or app-wide; see `budgetFor`), named and labelled by `budgetOptions`. The
   * default one lets pods that are not ready always go (`unhealthyPodEvictionPolicy: AlwaysAllow`), so
   * it never blocks a drain.
   */
  protected _addBudget(
    given: DisruptionBudget | OptOut | undefined,
    options: CompanionOptions | undefined,
    pods: { max: number; replicas: () => number | undefined; minReplicas?: () => number | undefined },
  ): ApiObject | undefined {
    const byDefault = !(given instanceof DisruptionBudget);
    // policy/v1 came in Kubernetes 1.21: a chart declared for an older cluster (1.13) gets no default budget
    const max = ClusterVersion.minorOf(this) >= 21 ? pods.max : 0;
    this._addOptOut('disruption-budget', 'budget', given, (d) => (byDefault && max >= 2 ? d.disruptionBudgets : undefined));
    const budget = budgetFor(given, max, PatternDefaults.of(this).disruptionBudgets);
    if (!budget) {
      if (options) fail(this, 'budgetOptions', 'is set but the workload gets no budget', 'remove budgetOptions, or give a budget');
      return undefined;
    }
    if (byDefault) {
      reportLateOptOut(this, () => PatternDefaults.of(this).disruptionBudgets, {
        field: 'budget',
        rule: 'PatternDefaults.disruptionBudgets was opted out after this workload was created, so its default budget stays',
        hint: 'call PatternDefaults.set on the App or Chart before creating workloads',
      });
    }
    return addDisruptionBudget(this, 'DisruptionBudget', {
      ...companion(this, 'budgetOptions', options, this.name, 'policy', 'PodDisruptionBudget'),
      selector: this.selectorLabels,
      budget,
      evictUnhealthy: byDefault,
      replicas: pods.replicas,
      minReplicas: pods.minReplicas,
    });
  }

  private recommendedLabels(given: AppLabels | OptOut | undefined): { [key: string]: string } | undefined {
    const base = PatternDefaults.recommendedLabelsOf(this);
    if (!base || OptOut.isOptOut(given)) return undefined;
    // asked for every object of the workload and its pods: computed again only when an input changed
    const image = this.pod._firstImage;
    const key = `${base['app.kubernetes.io/part-of']}|${image}`;
    if (this.labelsMemo?.key !== key) this.labelsMemo = { key, labels: this.deriveLabels(base, given, image) };
    return this.labelsMemo.labels;
  }

  private deriveLabels(
    base: { [key: string]: string },
    given: AppLabels | undefined,
    image: string | undefined,
  ): { [key: string]: string } {
    return appLabelsOf(base, given ?? {}, {
      // only the selector's: a name label derived otherwise could match another workload's default selector
      name: this.selectorLabels['app.kubernetes.io/name'],
      instance: this.name,
      image,
    });
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
