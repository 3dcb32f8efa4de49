import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { PersistentVolumeAccessMode, PersistentVolumeMode, PodManagementPolicy, ServiceType } from 'cdk8s-plus-27';
import { fail, Problem, problemAt } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkLabels, checkObjectName, NameRule, nameViolation } from '../core/names';
import { nonEmpty } from '../core/plain';
import { sizeToQuantity } from '../core/quantity';
import { ReplicaSpread, spreadTerm } from '../pod/pod-settings';
import { CompanionOptions } from './companion';
import { ContainerMountSpec, PodTemplate } from '../pod/pod-template';
import { DisruptionBudget } from './disruption-budget';
import { OptOut } from '../core/opt-out';
import { addServiceObject, checkServicePorts, ServicePortSpec } from './service';
import { checkInt, secondsOf } from './fields';
import { MetricsOptions, WorkloadMetrics, workloadServicePorts } from './metrics';
import { Monitor } from '../monitoring/monitor';
import { Workload, WorkloadProps } from './workload';
import {
  containerPolicyPorts,
  NetworkPolicyOptions,
  reachedFromOutside,
  servicePolicyPorts,
  WorkloadNetworkPolicy,
} from './network-policy';

/** A PersistentVolumeClaim template: each pod gets its own claim `<claim>-<statefulset>-<ordinal>`. */
export interface ClaimTemplateSpec {
  /** Claim name (DNS-1123 label); mounts refer to it. */
  readonly name: string;
  /** Requested storage. */
  readonly size: Size;
  /** @default [PersistentVolumeAccessMode.READ_WRITE_ONCE] */
  readonly accessModes?: PersistentVolumeAccessMode[];
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default - Filesystem */
  readonly volumeMode?: PersistentVolumeMode;
  /** Bind only to PersistentVolumes with these labels. @default - any */
  readonly selector?: { [key: string]: string };
  /**
   * Shorthand for mounting the claim: at this path in `mountInto` containers. Containers can also
   * mount it through their own `mounts`, or later with `mountClaim`.
   * @default - not mounted by this shorthand
   */
  readonly mountPath?: string;
  /** Containers the `mountPath` shorthand mounts into. @default - the first app container */
  readonly mountInto?: string[];
}

/** Options of `StatefulUpdateStrategy.rollingUpdate`. */
export interface StatefulRollingUpdateOptions {
  /**
   * Pods with an ordinal below this keep the old template (staged rollouts / canaries); at most the
   * replica count.
   * @default 0 (every pod is updated)
   */
  readonly partition?: number;
}

/** How a StatefulSet replaces pods when the template changes. */
export class StatefulUpdateStrategy {
  /**
   * Replace pods one by one, from the highest ordinal down. Pods with ordinal < `partition` keep
   * the old template (staged rollouts / canaries).
   */
  public static rollingUpdate(options: StatefulRollingUpdateOptions = {}): StatefulUpdateStrategy {
    return new StatefulUpdateStrategy('RollingUpdate', options.partition);
  }

  /** Replace a pod only when it is deleted by hand. */
  public static onDelete(): StatefulUpdateStrategy {
    return new StatefulUpdateStrategy('OnDelete');
  }

  private constructor(
    /** `RollingUpdate` or `OnDelete`. */
    public readonly type: string,
    /** Pods with an ordinal below it keep the old template. */
    public readonly partition?: number,
  ) {}
}

/** What happens to a pod's claims. */
export enum ClaimRetention {
  /** The claims are kept (and reused if the pod comes back). */
  RETAIN = 'Retain',
  /** The claims are deleted. */
  DELETE = 'Delete',
}

/** What happens to the claims when the StatefulSet is deleted or scaled down. */
export interface ClaimRetentionPolicy {
  /** @default ClaimRetention.RETAIN */
  readonly whenDeleted?: ClaimRetention;
  /** @default ClaimRetention.RETAIN */
  readonly whenScaled?: ClaimRetention;
}

/** Options of the client Service that spreads reads over all pods (the `mysql-read` shape). */
export interface ReadServiceOptions {
  /** @default `<serviceName>-read` */
  readonly name?: string;
  /** Labels of the read Service (besides the chart's). @default - none */
  readonly labels?: { [key: string]: string };
  /** Annotations of the read Service. @default - none */
  readonly annotations?: { [key: string]: string };
  /** @default ServiceType.CLUSTER_IP */
  readonly type?: ServiceType;
  /** @default - the headless Service's ports */
  readonly ports?: ServicePortSpec[];
}

/** Options of `StatefulService.mountClaim`. */
export interface MountClaimOptions {
  /** Name of the container to mount the claim into. */
  readonly container: string;
  /** Absolute path in the container. */
  readonly path: string;
  /** Mount only this sub-path of the claim. @default - the whole claim */
  readonly subPath?: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/** Props of a `StatefulService`. */
export interface StatefulServiceProps extends WorkloadProps {
  /** @default 1 */
  readonly replicas?: number;
  /**
   * Spread the replicas over nodes: `ReplicaSpread.REQUIRED` (never two on one node, the shape of quorum
   * systems: losing a node loses one member) or `PREFERRED`; pod anti-affinity on the selector labels
   * over `kubernetes.io/hostname`, added to `podAntiAffinity`.
   * @default - no spreading
   */
  readonly spreadReplicas?: ReplicaSpread;
  /** Name of the headless Service that gives pods their DNS names. @default - the StatefulSet's name */
  readonly serviceName?: string;
  /**
   * Labels and annotations of the headless Service (its name is `serviceName`; `name` here is the same
   * setting, so give one of them).
   * @default - none
   */
  readonly serviceOptions?: CompanionOptions;
  /** Ports of the headless Service. @default - every named port of the app containers */
  readonly ports?: ServicePortSpec[];
  /** Claim templates. @default - none */
  readonly claims?: ClaimTemplateSpec[];
  /** Add a client Service for reads over all pods (`readService`); `{}` for the defaults. @default - none */
  readonly readServiceOptions?: ReadServiceOptions;
  /**
   * The PodDisruptionBudget (`disruptionBudget`). One that lets no pod go at `replicas` (such as
   * `quorum()` with 1 or 2 replicas) is an error, since it makes node drains hang. `OptOut.because(...)`
   * for none.
   * @default - `maxUnavailable: 1` for two or more replicas, none for one
   */
  readonly budget?: DisruptionBudget | OptOut;
  /** Name, labels and annotations of the PodDisruptionBudget. @default - named after the StatefulSet */
  readonly budgetOptions?: CompanionOptions;
  /** Written out, so the choice is visible in review. @default PodManagementPolicy.ORDERED_READY */
  readonly podManagementPolicy?: PodManagementPolicy;
  /** Written out, so the choice is visible in review. @default StatefulUpdateStrategy.rollingUpdate() */
  readonly updateStrategy?: StatefulUpdateStrategy;
  /** @default - Retain on delete and scale-down */
  readonly claimRetentionPolicy?: ClaimRetentionPolicy;
  /** How long a new pod must be ready before it counts as available (`minReadySeconds`). @default - 0 */
  readonly minReady?: Duration;
  /** Old revisions kept for rollback. @default - Kubernetes' default (10) */
  readonly revisionHistoryLimit?: number;
  /** Publish pods in DNS before they are ready (peer discovery). @default false */
  readonly publishNotReadyAddresses?: boolean;
  /**
   * Scrape a named container port with Prometheus (`monitor`): a ServiceMonitor through the headless
   * Service when it carries the port, else a PodMonitor (see `MetricsOptions.via`).
   * @default - no monitor
   */
  readonly metrics?: MetricsOptions;
  /**
   * The NetworkPolicy (`networkPolicy`, named after the workload, selecting exactly its pods): ingress on
   * the pod ports behind its Services from every pod of the cluster (narrow it with `allowFrom`), egress
   * open unless `restrictEgress`. `OptOut.because('why')` creates none and writes the reason on the StatefulSet.
   * @default - a NetworkPolicy with open egress
   */
  readonly networkPolicy?: NetworkPolicyOptions | OptOut;
}

/**
 * A stateful service: a StatefulSet with stable identities and storage, the headless Service that
 * gives each pod its DNS name (`<name>-<i>.<service>.<namespace>.svc.cluster.local`), claim
 * templates, and optionally a read Service and a PodDisruptionBudget — all selecting the same pods.
 *
 * Object names come from `name` (default: the construct path below the chart, e.g. `mysql`): the
 * StatefulSet and PDB are `<name>`, the headless Service `<serviceName>`, the read Service
 * `<serviceName>-read`.
 */
export class StatefulService extends Workload {
  /** The headless Service's name (the StatefulSet's `serviceName`). */
  public readonly serviceName: string;
  /** The pod template (add containers, volumes, init containers). */
  public readonly pod: PodTemplate;
  /** The StatefulSet. */
  public readonly apiObject: ApiObject;
  /** The headless Service that gives each pod its DNS name. */
  public readonly service: ApiObject;
  /** The read Service over all pods, if `readServiceOptions` was given. */
  public readonly readService?: ApiObject;
  /** The PodDisruptionBudget, unless the StatefulService runs one pod or opted out. */
  public readonly disruptionBudget?: ApiObject;
  /** The ServiceMonitor or PodMonitor, if `metrics` was given. */
  public readonly monitor?: Monitor;
  /** The container port Prometheus scrapes (`metrics.port`), if `metrics` was given. */
  public readonly metricsPort?: string;
  /** The NetworkPolicy of its pods, unless opted out. */
  public readonly networkPolicy?: ApiObject;

  private readonly props: StatefulServiceProps;
  private readonly metrics?: WorkloadMetrics;
  private readonly claims: ClaimTemplateSpec[];
  private readonly claimMounts: ContainerMountSpec[] = [];

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, props, 'apps', 'StatefulSet');
    this.props = props;
    if (props.serviceName !== undefined && props.serviceOptions?.name !== undefined)
      fail(this, 'serviceOptions.name', 'is the same setting as serviceName', 'give one of them');
    this.serviceName = checkObjectName(
      this,
      props.serviceOptions?.name !== undefined ? 'serviceOptions.name' : 'serviceName',
      props.serviceName ?? props.serviceOptions?.name ?? this.name,
      '',
      'Service',
    );
    checkInt(this, 'replicas', props.replicas);
    secondsOf(this, 'minReady', props.minReady);
    checkInt(this, 'revisionHistoryLimit', props.revisionHistoryLimit);
    checkInt(this, 'updateStrategy.partition', props.updateStrategy?.partition);
    this.claims = [...(props.claims ?? [])];
    this.claims.forEach((c, i) => this.checkClaim(c, i));

    this.pod = PodTemplate._create(this, props, {
      antiAffinity: () => (props.spreadReplicas ? [spreadTerm(props.spreadReplicas, this.selectorLabels)] : []),
      externalVolumes: () => this.claims.map((c) => c.name),
      extraMounts: () => this.claimMounts,
    });
    for (const c of this.claims) {
      if (c.mountPath) {
        for (const container of c.mountInto ?? [props.containers[0]?.name]) {
          this.mountClaim(c.name, { container, path: c.mountPath });
        }
      }
    }

    this.service = addServiceObject(this, 'HeadlessService', {
      name: this.serviceName,
      headless: true,
      selector: this.selectorLabels,
      ports: () => this.ports(),
      publishNotReadyAddresses: props.publishNotReadyAddresses,
      labels: props.serviceOptions?.labels && checkLabels(this, 'serviceOptions.labels', props.serviceOptions.labels),
      annotations: props.serviceOptions?.annotations,
    });
    if (props.metrics) {
      this.metrics = new WorkloadMetrics(this, props.metrics, { service: this.service, ports: props.ports });
      this.monitor = this.metrics.monitor;
      this.metricsPort = this.metrics.port;
    }
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: this.name },
      render: () => this.renderSpec(),
    });
    const read = props.readServiceOptions;
    if (read) {
      const readName = checkObjectName(this, 'readServiceOptions.name', read.name ?? `${this.serviceName}-read`, '', 'Service');
      this.readService = addServiceObject(this, 'ReadService', {
        name: readName,
        type: read.type,
        selector: this.selectorLabels,
        ports: () => read.ports ?? this.ports(),
        labels: read.labels && checkLabels(this, 'readServiceOptions.labels', read.labels),
        annotations: read.annotations,
      });
    }
    // ingress on the target ports of the headless and read Services (when neither has ports, on the
    // declared container ports); peers also reach each other on every declared port: they address each
    // other through the headless DNS names, on ports no Service needs to list (MySQL's clone port)
    this.networkPolicy = WorkloadNetworkPolicy.create(
      this,
      props.networkPolicy,
      () => {
        const ports = [
          ...servicePolicyPorts(this.ports()),
          ...(read ? servicePolicyPorts(read.ports ?? this.ports(), reachedFromOutside(read.type)) : []),
        ];
        return ports.length > 0 ? ports : containerPolicyPorts(this.pod.containerSpecs);
      },
      () => containerPolicyPorts(this.pod.containerSpecs),
    ).apiObject;
    this.disruptionBudget = this._addBudget(props.budget, props.budgetOptions, { max: this.replicas, replicas: () => this.replicas });
  }

  /** Number of pods. */
  public get replicas(): number {
    return this.props.replicas ?? 1;
  }

  /** Adds a claim template after construction. */
  public addClaim(claim: ClaimTemplateSpec): void {
    this.checkClaim(claim, this.claims.length);
    this.claims.push(claim);
  }

  /** Mounts claim `claim` into container `options.container` at `options.path`. */
  public mountClaim(claim: string, options: MountClaimOptions): void {
    this.claimMounts.push({
      container: options.container,
      mount: { volume: claim, path: options.path, subPath: options.subPath, readOnly: options.readOnly },
    });
  }

  /** Stable DNS name of pod `ordinal`: `<name>-<ordinal>.<serviceName>.<namespace>.svc.cluster.local`. */
  public podDnsName(ordinal: number): string {
    this.checkOrdinal(ordinal);
    return `${this.name}-${ordinal}.${this.serviceName}.${this.namespace ?? 'default'}.svc.cluster.local`;
  }

  /** Name of the PVC pod `ordinal` gets from claim template `claim`: `<claim>-<name>-<ordinal>`. */
  public claimName(claim: string, ordinal: number): string {
    this.checkOrdinal(ordinal);
    if (!this.claims.some((c) => c.name === claim)) {
      fail(this, 'claimName', `no claim template named "${claim}"`, `known: ${this.claims.map((c) => c.name).join(', ') || 'none'}`);
    }
    return `${claim}-${this.name}-${ordinal}`;
  }

  private checkOrdinal(ordinal: number): void {
    checkInt(this, 'ordinal', ordinal);
  }

  private checkClaim(c: ClaimTemplateSpec, i: number): void {
    const why = nameViolation(c.name, NameRule.DNS_LABEL);
    if (why) fail(this, `claims[${i}].name`, why);
    if (this.claims.some((o, j) => j !== i && o.name === c.name)) fail(this, `claims[${i}].name`, `duplicate claim template "${c.name}"`);
    if (!c.size || sizeToQuantity(c.size) === undefined)
      fail(this, `claims[${i}].size`, 'must be a positive whole number of KiB (e.g. Size.gibibytes(10))');
  }

  private ports(): ServicePortSpec[] {
    return workloadServicePorts(this.props.ports, this.pod.containerSpecs, this.metrics);
  }

  private renderSpec(): Record<string, unknown> {
    const template = this.pod._render(this.selectorLabels);
    const strategy = this.props.updateStrategy;
    const retention = this.props.claimRetentionPolicy;
    return {
      spec: {
        replicas: this.replicas,
        serviceName: this.serviceName,
        selector: { matchLabels: this.selectorLabels },
        podManagementPolicy: this.props.podManagementPolicy ?? PodManagementPolicy.ORDERED_READY,
        updateStrategy: strategy
          ? { type: strategy.type, rollingUpdate: strategy.partition !== undefined ? { partition: strategy.partition } : undefined }
          : { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: retention
          ? { whenDeleted: retention.whenDeleted ?? ClaimRetention.RETAIN, whenScaled: retention.whenScaled ?? ClaimRetention.RETAIN }
          : undefined,
        minReadySeconds: this.props.minReady?.toSeconds(),
        revisionHistoryLimit: this.props.revisionHistoryLimit,
        template,
        volumeClaimTemplates: nonEmpty(this.claims.map(renderClaim)),
      },
    };
  }

  protected checkWorkload(): Problem[] {
    const problems = super.checkWorkload();
    const at = (field: string, rule: string, hint?: string) => problems.push(problemAt(this, { field, rule, hint }));
    const all = [...this.pod.initContainerSpecs, ...this.pod.containerSpecs];
    const containers = this.pod.containerSpecs;
    // the headless Service may have no ports (it only gives DNS names); the read Service needs some
    const ports = this.ports();
    const portProblems = ports.length > 0 ? checkServicePorts(ports, containers, undefined, 'ports') : [];
    const read = this.props.readServiceOptions;
    if (read)
      portProblems.push(
        ...checkServicePorts(read.ports ?? ports, containers, read.type, read.ports ? 'readServiceOptions.ports' : 'ports'),
      );
    problems.push(...portProblems.map((d) => problemAt(this, d)));
    const mounted = new Set(all.flatMap((c) => (c.mounts ?? []).map((m) => m.volume)));
    this.claims.forEach((c, i) => {
      if (!mounted.has(c.name)) {
        at(
          `claims[${i}]`,
          `claim template "${c.name}" is not mounted by any container, so every pod would get a volume nobody uses`,
          `set mountPath, or mount it with a container's mounts or mountClaim("${c.name}", ...)`,
        );
      }
    });
    const partition = this.props.updateStrategy?.partition;
    if (partition !== undefined && partition > this.replicas) {
      at('updateStrategy.partition', `partition ${partition} is above the ${this.replicas} replicas, so no pod would ever be updated`);
    }
    return problems;
  }
}

function renderClaim(c: ClaimTemplateSpec) {
  return {
    metadata: { name: c.name },
    spec: {
      accessModes: c.accessModes ?? [PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storageClassName: c.storageClassName,
      volumeMode: c.volumeMode,
      selector: c.selector ? { matchLabels: c.selector } : undefined,
      resources: { requests: { storage: sizeToQuantity(c.size) } },
    },
  };
}
