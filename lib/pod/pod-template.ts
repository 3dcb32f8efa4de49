import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { IServiceAccount } from 'cdk8s-plus-27';
import { Problem, problemAt } from '../core/errors';
import { PatternDefaults } from './defaults';
import { nameViolation, NameRule } from '../core/names';
import { nonEmpty } from '../core/plain';
import { checkContainer, ContainerResourcesSpec, ContainerSpec, renderContainer, VolumeMountSpec } from './container';
import { EffectiveResources, effectiveResourcesOf } from './effective-resources';
import { PodSecurity } from './security';
import { checkToleration, renderToleration, TolerationSpec } from './toleration';
import { PodVolume } from './volume';

/** Pod-level settings shared by every workload construct. */
export interface PodSpecProps {
  /** App containers (at least one). */
  readonly containers: ContainerSpec[];
  /** Init containers, run in this order, each to completion, before the app containers. @default - none */
  readonly initContainers?: ContainerSpec[];
  /** Volumes (ConfigMaps, Secrets, emptyDirs...). @default - none */
  readonly volumes?: PodVolume[];
  /** Pod Security level. @default - `PatternDefaults.podSecurity`, else `PodSecurity.restricted()` */
  readonly podSecurity?: PodSecurity;
  /**
   * Run under this ServiceAccount: a cdk8s-plus `ServiceAccount`, an `RbacServiceAccount`, or one that
   * exists outside the app (`ServiceAccount.fromServiceAccountName` of cdk8s-plus).
   * @default - the namespace's default, without its token
   */
  readonly serviceAccount?: IServiceAccount;
  /** Extra labels on the pods (the selector labels are always set). @default - none */
  readonly podLabels?: { [key: string]: string };
  /** Annotations on the pods. @default - none */
  readonly podAnnotations?: { [key: string]: string };
  /** Time between SIGTERM and SIGKILL. @default - Kubernetes' default (30s) */
  readonly terminationGracePeriod?: Duration;
  /** Only nodes with these labels. @default - any node */
  readonly nodeSelector?: { [key: string]: string };
  /** @default - none */
  readonly tolerations?: TolerationSpec[];
  /** @default - none */
  readonly priorityClassName?: string;
}

/** A mount the workload adds to one of the pod's containers (StatefulSet claims, node agent host paths). */
export interface ContainerMountSpec {
  /** Name of the container to mount into. */
  readonly container: string;
  /** The mount. */
  readonly mount: VolumeMountSpec;
}

/** Fields a workload construct sets on the pod besides `PodSpecProps` (read at synth). */
export interface PodTemplateWiring {
  /** Restart policy (Jobs: Never/OnFailure). @default - Kubernetes' default (Always) */
  readonly restartPolicy?: string;
  /** Use the node's network namespace (needs `PodSecurity.privileged`). @default false */
  readonly hostNetwork?: boolean;
  /** Share the node's process namespace (needs `PodSecurity.privileged`). @default false */
  readonly hostPID?: boolean;
  /** Raw `affinity` JSON. @default - none */
  readonly affinity?: () => Record<string, unknown> | undefined;
  /** Raw `topologySpreadConstraints` JSON. @default - none */
  readonly topologySpread?: () => Array<Record<string, unknown>> | undefined;
  /** Volume names the pod gets from elsewhere (StatefulSet claim templates). @default - none */
  readonly externalVolumes?: () => string[];
  /** Mounts added to named containers by the workload (StatefulSet claim mounts). @default - none */
  readonly extraMounts?: () => ContainerMountSpec[];
  /** dnsPolicy (ClusterFirstWithHostNet for hostNetwork pods). @default - Kubernetes' default */
  readonly dnsPolicy?: string;
  /** Mounts of hostPath volumes that do not set `readOnly` are read-only (node agents). @default false */
  readonly readOnlyHostPaths?: boolean;
}

/**
 * The pod template of a workload: containers, init containers, volumes, identity, scheduling and
 * security, kept as state and rendered at synth. Every workload construct owns one (`.pod`), so
 * containers and volumes can be added after construction and RBAC grants can switch on the
 * ServiceAccount token.
 */
export class PodTemplate {
  private readonly containers: ContainerSpec[];
  private readonly initContainers: ContainerSpec[];
  private readonly volumes: PodVolume[];
  private readonly tolerations: TolerationSpec[];
  private account?: IServiceAccount;
  private serviceAccountName?: string;
  private apiAccess = false;

  /**
   * The pod template of the workload `owner`; `wiring` is how the workload adds to it.
   * @internal
   */
  public static _create(owner: Construct, props: PodSpecProps, wiring: PodTemplateWiring = {}): PodTemplate {
    return new PodTemplate(owner, props, wiring);
  }

  private constructor(
    private readonly owner: Construct,
    private readonly props: PodSpecProps,
    private readonly options: PodTemplateWiring,
  ) {
    this.containers = [...(props.containers ?? [])];
    this.initContainers = [...(props.initContainers ?? [])];
    this.volumes = [...(props.volumes ?? [])];
    this.tolerations = [...(props.tolerations ?? [])];
    this.account = props.serviceAccount;
    this.serviceAccountName = props.serviceAccount?.name;
  }

  /** Adds an app container. */
  public addContainer(container: ContainerSpec): void {
    this.containers.push(container);
  }

  /** Adds an init container, run after those already added. */
  public addInitContainer(container: ContainerSpec): void {
    this.initContainers.push(container);
  }

  /** Adds a volume to the pod. */
  public addVolume(volume: PodVolume): void {
    this.volumes.push(volume);
  }

  /** Adds a toleration. */
  public addToleration(toleration: TolerationSpec): void {
    this.tolerations.push(toleration);
  }

  /** The app containers, with the workload's extra mounts. */
  public get containerSpecs(): ContainerSpec[] {
    return this.withExtraMounts(this.containers);
  }

  /** The init containers in run order, with the workload's extra mounts. */
  public get initContainerSpecs(): ContainerSpec[] {
    return this.withExtraMounts(this.initContainers);
  }

  private withExtraMounts(list: ContainerSpec[]): ContainerSpec[] {
    const extra = this.options.extraMounts?.() ?? [];
    const withExtra =
      extra.length === 0
        ? [...list]
        : list.map((c) => {
            const mounts = extra.filter((e) => e.container === c.name).map((e) => e.mount);
            return mounts.length > 0 ? { ...c, mounts: [...(c.mounts ?? []), ...mounts] } : c;
          });
    return this.options.readOnlyHostPaths ? withExtra.map((c) => this.hostPathsReadOnly(c)) : withExtra;
  }

  private hostPathsReadOnly(c: ContainerSpec): ContainerSpec {
    const hostPaths = new Set(this.volumes.filter((v) => v.type === 'hostPath').map((v) => v.name));
    if (!(c.mounts ?? []).some((m) => m.readOnly === undefined && hostPaths.has(m.volume))) return c;
    return { ...c, mounts: c.mounts!.map((m) => (m.readOnly === undefined && hostPaths.has(m.volume) ? { ...m, readOnly: true } : m)) };
  }

  /** The requests/limits a container is rendered with: its own, else `PatternDefaults.containerResources`. */
  public resourcesOf(container: ContainerSpec): ContainerResourcesSpec | undefined {
    return container.resources ?? PatternDefaults.containerResourcesOf(this.owner);
  }

  /** The pod's volumes (a copy). */
  public get volumeSpecs(): PodVolume[] {
    return [...this.volumes];
  }

  /** The ServiceAccount the pods run as, if not the namespace default. */
  public get serviceAccount(): IServiceAccount | undefined {
    return this.account;
  }

  /** True once the pods were granted Kubernetes API access (their token is then mounted). */
  public get hasApiAccess(): boolean {
    return this.apiAccess;
  }

  /**
   * Runs the pods under `account` (when they have none yet) with its token mounted: the RBAC layer
   * calls this when it grants the workload API access.
   * @internal
   */
  public _grantApiAccess(account: IServiceAccount): IServiceAccount {
    this.apiAccess = true;
    if (!this.account) {
      this.account = account;
      this.serviceAccountName = account.name;
    }
    return this.account;
  }

  /**
   * The requests and limits the scheduler uses for one pod: per resource, the larger of the largest
   * init container and the sum over the app containers (see `PodResources`).
   */
  public effectiveResources(): EffectiveResources {
    return effectiveResourcesOf(this._render({}).spec);
  }

  /** The Pod Security level in force for this pod. */
  public get security(): PodSecurity {
    return this.props.podSecurity ?? PatternDefaults.of(this.owner).podSecurity ?? PodSecurity.restricted();
  }

  /**
   * Renders `{ metadata, spec }` of the pod template with `labels` (selector labels first).
   * @internal
   */
  public _render(labels: { [key: string]: string }): { [key: string]: any } {
    const security = this.security;
    const ctx = {
      podContainerDefaults: security.containerContext(),
      defaultResources: PatternDefaults.containerResourcesOf(this.owner),
    };
    return {
      metadata: {
        labels: { ...(this.props.podLabels ?? {}), ...labels },
        annotations: nonEmpty({ ...(this.props.podAnnotations ?? {}), ...security.annotations() }),
      },
      spec: {
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: this.apiAccess,
        securityContext: nonEmpty(security.podContext()),
        initContainers: nonEmpty(this.initContainerSpecs.map((c) => renderContainer(c, ctx))),
        containers: this.containerSpecs.map((c) => renderContainer(c, ctx)),
        volumes: nonEmpty(this.volumes.map((v) => v.toJson())),
        terminationGracePeriodSeconds: this.props.terminationGracePeriod?.toSeconds(),
        nodeSelector: this.props.nodeSelector,
        tolerations: nonEmpty(this.tolerations.map(renderToleration)),
        affinity: this.options.affinity?.(),
        topologySpreadConstraints: this.options.topologySpread?.(),
        priorityClassName: this.props.priorityClassName,
        restartPolicy: this.options.restartPolicy,
        hostNetwork: this.options.hostNetwork || undefined,
        hostPID: this.options.hostPID || undefined,
        dnsPolicy: this.options.dnsPolicy,
      },
    };
  }

  /**
   * Every problem of the template, located at its owner: each container's, names unique across init
   * and app containers, volume names valid and unique, every mount of a volume or claim that exists,
   * tolerations well formed.
   * @internal
   */
  public _check(): Problem[] {
    const scope = this.owner;
    const problems: Problem[] = [];
    const at = (field: string, rule: string, hint?: string) => problems.push(problemAt(scope, { field, rule, hint }));
    const allowLatestTag = PatternDefaults.of(scope).allowLatestTag ?? false;
    if (this.containers.length === 0) at('containers', 'a pod needs at least one app container');
    const names = new Map<string, string>();
    const volumeNames = new Set<string>();
    this.volumes.forEach((v, i) => {
      const why = nameViolation(v.name, NameRule.DNS_LABEL);
      if (why) at(`volumes[${i}].name`, why);
      if (volumeNames.has(v.name)) at(`volumes[${i}].name`, `duplicate volume name "${v.name}"`);
      volumeNames.add(v.name);
    });
    const known = new Set([...volumeNames, ...(this.options.externalVolumes?.() ?? [])]);
    const visit = (list: ContainerSpec[], kind: 'containers' | 'initContainers') =>
      list.forEach((c, i) => {
        const field = `${kind}[${i}]`;
        for (const d of checkContainer(c, field, { init: kind === 'initContainers', allowLatestTag })) {
          problems.push(problemAt(scope, d));
        }
        const prior = names.get(c.name);
        if (prior)
          at(
            `${field}.name`,
            `container name "${c.name}" is already used by ${prior}`,
            'names must be unique across containers and initContainers',
          );
        names.set(c.name, field);
        (c.mounts ?? []).forEach((m, j) => {
          if (!known.has(m.volume)) {
            at(
              `${field}.mounts[${j}].volume`,
              `mounts "${m.volume}", which is neither a volume of the pod nor a claim template`,
              `known: ${[...known].sort().join(', ') || 'none'}`,
            );
          }
        });
      });
    visit(this.initContainerSpecs, 'initContainers');
    visit(this.containerSpecs, 'containers');
    const containerNames = new Set(names.keys());
    (this.options.extraMounts?.() ?? []).forEach((e, i) => {
      if (!containerNames.has(e.container))
        at(`mounts[${i}].container`, `no container named "${e.container}" to mount "${e.mount.volume}" into`);
    });
    this.tolerations.forEach((t, i) => {
      for (const d of checkToleration(t, `tolerations[${i}]`)) problems.push(problemAt(scope, d));
    });
    return problems;
  }
}
