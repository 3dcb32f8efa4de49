import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DeploymentStrategy, HorizontalPodAutoscaler, IScalable, ScalingTarget, ServiceType } from 'cdk8s-plus-27';
import { fail, Problem, problemAt, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkLabels, checkObjectName } from '../core/names';
import { ReplicaSpread, spreadTerm } from '../pod/pod-settings';
import { companion, CompanionOptions } from './companion';
import { PodTemplate } from '../pod/pod-template';
import { addAutoscaler, AutoscalingOptions, minReplicasOf } from './autoscaler';
import { DisruptionBudget } from './disruption-budget';
import { OptOut } from '../core/opt-out';
import { checkInt, secondsOf } from './fields';
import { MetricsOptions, WorkloadMetrics, workloadServicePorts } from './metrics';
import { Monitor } from '../monitoring/monitor';
import { DeploymentUpdateStrategy } from './rolling-update';
import { plusAutoscalerOf, plusContainersOf } from './scalable';
import { addServiceObject, checkServicePorts, ServicePortSpec } from './service';
import { checkSpread, renderSpread, TopologySpreadOptions } from './topology-spread';
import { Workload, WorkloadProps } from './workload';
import {
  containerPolicyPorts,
  NetworkPolicyOptions,
  reachedFromOutside,
  servicePolicyPorts,
  WorkloadNetworkPolicy,
} from './network-policy';

const DEFAULT_STRATEGY = DeploymentUpdateStrategy.rollingUpdate({ maxSurge: '25%', maxUnavailable: '25%' });
/** Options of a WebService's Service. */
export interface WebServiceServiceOptions {
  /** Service name (DNS-1035 label). @default - the WebService's name */
  readonly name?: string;
  /** ClusterIP, NodePort or LoadBalancer. @default ServiceType.CLUSTER_IP */
  readonly type?: ServiceType;
  /** @default - every named port of the app containers (port = container port, target = its name) */
  readonly ports?: ServicePortSpec[];
  /** Annotations (load balancer settings...). @default - none */
  readonly annotations?: { [key: string]: string };
  /** Labels of the Service (besides the chart's). @default - none */
  readonly labels?: { [key: string]: string };
}

/** Props of a `WebService`. */
export interface WebServiceProps extends WorkloadProps {
  /**
   * Number of pods. Must not be set together with `autoscaling`: the autoscaler owns the count then.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * How pods are replaced on a template change; a cdk8s-plus `DeploymentStrategy` is accepted too.
   * @default - RollingUpdate with maxSurge and maxUnavailable 25% (Kubernetes' default, written out)
   */
  readonly strategy?: DeploymentUpdateStrategy | DeploymentStrategy;
  /** How long a new pod must be ready, without crashing, before it counts as available (`minReadySeconds`). @default - 0 */
  readonly minReady?: Duration;
  /** Time a rollout may go without progress before it is reported failed; more than `minReady`. @default - Kubernetes' default (600s) */
  readonly progressDeadline?: Duration;
  /** Old ReplicaSets kept for `kubectl rollout undo`. @default - Kubernetes' default (10) */
  readonly revisionHistoryLimit?: number;
  /** Put a Service in front of the pods (`service`). @default true */
  readonly exposeService?: boolean;
  /** Settings of the Service. @default - a ClusterIP Service named after the WebService, over the named container ports */
  readonly serviceOptions?: WebServiceServiceOptions;
  /**
   * Scale with a HorizontalPodAutoscaler (autoscaling/v2). The Deployment is then written without
   * `spec.replicas`, so re-applying the manifest (kubectl apply, Argo CD, Flux) never resets the
   * count the autoscaler chose; the API server starts a new Deployment at 1 pod and the autoscaler
   * raises it to `minReplicas`. When converting an existing Deployment, the first apply without
   * `replicas` resets it to 1 until the autoscaler acts, unless the field's previous owner is
   * removed first (`kubectl apply view-last-applied`).
   * @default - none: `replicas` pods
   */
  readonly autoscaling?: AutoscalingOptions;
  /** Name, labels and annotations of the HorizontalPodAutoscaler (with `autoscaling`). @default - named after the Deployment */
  readonly autoscalerOptions?: CompanionOptions;
  /**
   * The PodDisruptionBudget (`disruptionBudget`); under an autoscaler `quorum()` resolves against
   * `minReplicas`. `OptOut.because(...)` for none.
   * @default - `maxUnavailable: 1` when two or more pods can run (`replicas`, or the autoscaler's `maxReplicas`), none for one pod
   */
  readonly budget?: DisruptionBudget | OptOut;
  /** Name, labels and annotations of the PodDisruptionBudget. @default - named after the Deployment */
  readonly budgetOptions?: CompanionOptions;
  /**
   * Spread the pods over zones and nodes (topologySpreadConstraints); `false` leaves placement to
   * the scheduler's cluster-wide defaults.
   * @default - when more than one pod can run: prefer (ScheduleAnyway) maxSkew 1 over zones and nodes
   */
  readonly spread?: boolean | TopologySpreadOptions;
  /**
   * Spread the replicas over nodes with pod anti-affinity on the selector labels: `ReplicaSpread.REQUIRED`
   * (never two on one node) or `PREFERRED`; added to `podAntiAffinity`.
   * @default - none (the soft topology `spread` applies)
   */
  readonly spreadReplicas?: ReplicaSpread;
  /**
   * Scrape a named container port with Prometheus (`monitor`): a ServiceMonitor through the Service when
   * it carries the port, else a PodMonitor (see `MetricsOptions.via`).
   * @default - no monitor
   */
  readonly metrics?: MetricsOptions;
  /**
   * The NetworkPolicy (`networkPolicy`, named after the workload, selecting exactly its pods): ingress on
   * the pod ports behind its Services from every pod of the cluster (narrow it with `allowFrom`), egress
   * open unless `restrictEgress`. `OptOut.because('why')` creates none and writes the reason on the Deployment.
   * @default - a NetworkPolicy with open egress
   */
  readonly networkPolicy?: NetworkPolicyOptions | OptOut;
}

/**
 * A stateless service: a Deployment, the Service in front of it and, on request, a
 * HorizontalPodAutoscaler and a PodDisruptionBudget, all selecting the same pods.
 *
 * Object names come from `name` (default: the construct path below the chart): the Deployment,
 * HPA and PDB are `<name>`, the Service `service.name` (default `<name>`).
 */
export class WebService extends Workload implements IScalable {
  /** The pod template (add containers, volumes, init containers). */
  public readonly pod: PodTemplate;
  /** The Deployment. */
  public readonly apiObject: ApiObject;
  /** The Service's name, if there is a Service. */
  public readonly serviceName?: string;
  /** The Service, unless `exposeService: false`. */
  public readonly service?: ApiObject;
  /** The HorizontalPodAutoscaler, if `autoscaling` is set. */
  public readonly autoscaler?: ApiObject;
  /** The PodDisruptionBudget, unless the WebService runs one pod or opted out. */
  public readonly disruptionBudget?: ApiObject;
  /** The NetworkPolicy of its pods, unless opted out. */
  public readonly networkPolicy?: ApiObject;
  /**
   * True when a cdk8s-plus `HorizontalPodAutoscaler` targets this WebService (`IScalable`): the
   * Deployment is then written without `spec.replicas`, as with `autoscaling`.
   */
  public hasAutoscaler = false;
  /** The ServiceMonitor or PodMonitor, if `metrics` was given. */
  public readonly monitor?: Monitor;
  /** The container port Prometheus scrapes (`metrics.port`), if `metrics` was given. */
  public readonly metricsPort?: string;

  private readonly props: WebServiceProps;
  private readonly metrics?: WorkloadMetrics;
  private readonly strategy?: DeploymentUpdateStrategy;
  private readonly serviceOptions?: WebServiceServiceOptions;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id, props, 'apps', 'Deployment');
    this.props = props;
    checkInt(this, 'replicas', props.replicas);
    if (props.autoscaling && props.replicas !== undefined) {
      fail(
        this,
        'replicas',
        'cannot be set together with autoscaling: the HorizontalPodAutoscaler owns the replica count',
        'set autoscaling.minReplicas instead',
      );
    }
    const minReady = secondsOf(this, 'minReady', props.minReady) ?? 0;
    checkInt(this, 'revisionHistoryLimit', props.revisionHistoryLimit);
    const deadline = secondsOf(this, 'progressDeadline', props.progressDeadline, 1);
    if (deadline !== undefined && deadline <= minReady) {
      fail(this, 'progressDeadline', `${deadline}s must be more than minReady (${minReady}s), or every rollout would be reported failed`);
    }
    this.strategy = props.strategy instanceof DeploymentStrategy ? DeploymentUpdateStrategy.fromPlus(props.strategy) : props.strategy;
    throwIfAny((this.strategy?._check() ?? []).map((d) => problemAt(this, { ...d, field: `strategy.${d.field}` })));
    const spread = props.spread === true ? {} : props.spread || undefined;
    throwIfAny((spread ? checkSpread(spread) : []).map((d) => problemAt(this, { ...d, field: `spread.${d.field}` })));

    this.pod = PodTemplate._create(this, props, {
      antiAffinity: () => (props.spreadReplicas ? [spreadTerm(props.spreadReplicas, this.selectorLabels)] : []),
      topologySpread: () => this.spreadConstraints(),
    });

    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.name },
      render: () => this.renderSpec(),
    });

    if (props.exposeService ?? true) {
      this.serviceOptions = props.serviceOptions ?? {};
      if (this.serviceOptions.type === ServiceType.EXTERNAL_NAME) {
        fail(
          this,
          'serviceOptions.type',
          'ExternalName Services point at a DNS name, not at pods',
          'use ClusterIP, NodePort or LoadBalancer',
        );
      }
      this.serviceName = checkObjectName(
        this,
        'serviceOptions.name',
        this.serviceOptions.name ?? this.name,
        '',
        'Service',
        this.serviceOptions.name ? undefined : 'the Service is named after the WebService; set serviceOptions.name',
      );
      this.service = addServiceObject(this, 'Service', {
        name: this.serviceName,
        type: this.serviceOptions.type,
        selector: this.selectorLabels,
        ports: () => this.servicePorts(),
        annotations: this.serviceOptions.annotations,
        labels: this.serviceOptions.labels && checkLabels(this, 'serviceOptions.labels', this.serviceOptions.labels),
      });
    } else if (props.serviceOptions) {
      fail(this, 'serviceOptions', 'is set while exposeService is false', 'remove one of them');
    }

    if (props.metrics) {
      this.metrics = new WorkloadMetrics(this, props.metrics, {
        service: this.service,
        ports: this.serviceOptions?.ports,
        type: this.serviceOptions?.type,
      });
      this.monitor = this.metrics.monitor;
      this.metricsPort = this.metrics.port;
    }
    // ingress on the Service's target ports; without a Service, on the declared container ports
    this.networkPolicy = WorkloadNetworkPolicy.create(this, props.networkPolicy, () =>
      this.service
        ? servicePolicyPorts(this.servicePorts(), reachedFromOutside(this.serviceOptions?.type))
        : containerPolicyPorts(this.pod.containerSpecs),
    ).apiObject;

    if (props.autoscaling) {
      this.autoscaler = addAutoscaler(this, 'Autoscaler', {
        ...companion(this, 'autoscalerOptions', props.autoscalerOptions, this.name, 'autoscaling', 'HorizontalPodAutoscaler'),
        target: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        options: props.autoscaling,
        pod: this.pod,
      });
    }

    if (props.autoscalerOptions && !props.autoscaling) {
      fail(this, 'autoscalerOptions', 'is set without autoscaling', 'add autoscaling: { maxReplicas }, or remove autoscalerOptions');
    }
    this.disruptionBudget = this._addBudget(props.budget, props.budgetOptions, {
      max: props.autoscaling?.maxReplicas ?? props.replicas ?? 2,
      replicas: () => this.replicas,
      minReplicas: () => (props.autoscaling ? minReplicasOf(props.autoscaling) : this.plusAutoscaler()?.minReplicas),
    });
  }

  /** The fixed number of pods, or undefined when an autoscaler owns it. */
  public get replicas(): number | undefined {
    return this.props.autoscaling || this.hasAutoscaler ? undefined : (this.props.replicas ?? 2);
  }

  /**
   * Called by a cdk8s-plus `HorizontalPodAutoscaler` that targets this WebService (`IScalable`). A
   * WebService with `autoscaling` or a fixed `replicas` refuses a second owner of its replica count.
   */
  public markHasAutoscaler(): void {
    if (this.props.autoscaling) {
      fail(this, 'autoscaling', 'is set and a cdk8s-plus HorizontalPodAutoscaler also targets this WebService', 'keep one autoscaler');
    }
    if (this.props.replicas !== undefined) {
      fail(
        this,
        'replicas',
        'is set and a cdk8s-plus HorizontalPodAutoscaler targets this WebService, which owns the replica count then',
        "remove replicas; set the autoscaler's minReplicas instead",
      );
    }
    this.hasAutoscaler = true;
  }

  /** What a cdk8s-plus `HorizontalPodAutoscaler` scales (`IScalable`): the Deployment and its containers. */
  public toScalingTarget(): ScalingTarget {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: this.name,
      containers: plusContainersOf(this.pod._render({}).spec),
      replicas: this.replicas,
    };
  }

  private plusAutoscaler(): HorizontalPodAutoscaler | undefined {
    return this.hasAutoscaler ? plusAutoscalerOf(this) : undefined;
  }

  /** The most pods that can run at once (outside rollouts). */
  private get maxPods(): number {
    if (this.props.autoscaling) return this.props.autoscaling.maxReplicas;
    return this.replicas ?? this.plusAutoscaler()?.maxReplicas ?? 0;
  }

  private servicePorts(): ServicePortSpec[] {
    return workloadServicePorts(this.serviceOptions?.ports, this.pod.containerSpecs, this.metrics);
  }

  private spreadConstraints(): Array<Record<string, unknown>> | undefined {
    const spread = this.props.spread ?? this.maxPods > 1;
    if (spread === false) return undefined;
    return renderSpread(spread === true ? {} : spread, this.selectorLabels, ['pod-template-hash']);
  }

  private renderSpec(): Record<string, unknown> {
    return {
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: this.selectorLabels },
        // the default is written out, so the rollout behaviour is visible in review
        strategy: (this.strategy ?? DEFAULT_STRATEGY)._toJson(),
        minReadySeconds: this.props.minReady?.toSeconds(),
        progressDeadlineSeconds: this.props.progressDeadline?.toSeconds(),
        revisionHistoryLimit: this.props.revisionHistoryLimit,
        template: this.pod._render(this.selectorLabels),
      },
    };
  }

  protected checkWorkload(): Problem[] {
    const problems = super.checkWorkload();
    if (this.serviceOptions) {
      for (const d of checkServicePorts(this.servicePorts(), this.pod.containerSpecs, this.serviceOptions.type, 'serviceOptions.ports')) {
        problems.push(problemAt(this, d));
      }
    }
    return problems;
  }
}
