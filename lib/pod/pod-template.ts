import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { IServiceAccount } from 'cdk8s-plus-27';
import { Problem, problemAt } from '../core/errors';
import { PatternDefaults } from '../core/defaults';
import { nameViolation, NameRule } from '../core/names';
import { nonEmpty } from '../core/plain';
import { ServiceAccount } from '../rbac/service-account';
import { checkContainer, ContainerResourcesSpec, ContainerSpec, renderContainer, VolumeMountSpec } from './container';
import { PodSecurity } from './security';
import { checkToleration, TolerationSpec, withOperator } from './toleration';
import { PodVolume } from './volume';

export { TolerationSpec } from './toleration';

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
  /** Run under this ServiceAccount (a cdk8s-plus one, ours, or a name). @default - the namespace's default, without its token */
  readonly serviceAccount?: IServiceAccount | ServiceAccount | string;
  /** Extra labels on the pods (the selector labels are always set). @default - none */
  readonly podLabels?: Record<string, string>;
  /** Annotations on the pods. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Time between SIGTERM and SIGKILL. @default - Kubernetes' default (30s) */
  readonly terminationGracePeriod?: Duration;
  /** Only nodes with these labels. @default - any node */
  readonly nodeSelector?: Record<string, string>;
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

/** Fields a workload construct sets on the pod besides `PodSpecProps`. */
export interface PodTemplateOptions {
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
  private serviceAccountName?: string;
  private apiAccess = false;

  constructor(private readonly owner: Construct, private readonly props: PodSpecProps, private readonly options: PodTemplateOptions = {}) {
    this.containers = [...(props.containers ?? [])];
    this.initContainers = [...(props.initContainers ?? [])];
    this.volumes = [...(props.volumes ?? [])];
    this.tolerations = [...(props.tolerations ?? [])];
    const sa = props.serviceAccount;
    this.serviceAccountName = typeof sa === 'string' ? sa : sa?.name;
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
    const withExtra = extra.length === 0 ? [...list] : list.map((c) => {
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

  /** The name of the ServiceAccount the pods run as, if not the namespace default. */
  public get serviceAccount(): string | undefined {
    return this.serviceAccountName;
  }

  /** True once the pods were granted Kubernetes API access (their token is then mounted). */
  public get hasApiAccess(): boolean {
    return this.apiAccess;
  }

  /**
   * Gives the pods API access: they get a ServiceAccount of their own (named after the workload)
   * unless one was set, and `automountServiceAccountToken: true`. Returns the ServiceAccount name.
   */
  public grantApiAccess(ownName: string): string {
    this.apiAccess = true;
    if (!this.serviceAccountName) {
      this.serviceAccountName = new ServiceAccount(this.owner, 'ServiceAccount', { name: ownName }).name;
    }
    return this.serviceAccountName;
  }

  /** The Pod Security level in force for this pod. */
  public get security(): PodSecurity {
    return this.props.podSecurity ?? PatternDefaults.of(this.owner).podSecurity ?? PodSecurity.restricted();
  }

  /** Renders `{ metadata, spec }` of the pod template with `labels` (selector labels first). */
  public render(labels: Record<string, string>): Record<string, unknown> {
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
        tolerations: nonEmpty(this.tolerations.map(withOperator)),
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
   */
  public check(): Problem[] {
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
        if (prior) at(`${field}.name`, `container name "${c.name}" is already used by ${prior}`, 'names must be unique across containers and initContainers');
        names.set(c.name, field);
        (c.mounts ?? []).forEach((m, j) => {
          if (!known.has(m.volume)) {
            at(`${field}.mounts[${j}].volume`, `mounts "${m.volume}", which is neither a volume of the pod nor a claim template`,
              `known: ${[...known].sort().join(', ') || 'none'}`);
          }
        });
      });
    visit(this.initContainerSpecs, 'initContainers');
    visit(this.containerSpecs, 'containers');
    const containerNames = new Set(names.keys());
    (this.options.extraMounts?.() ?? []).forEach((e, i) => {
      if (!containerNames.has(e.container)) at(`mounts[${i}].container`, `no container named "${e.container}" to mount "${e.mount.volume}" into`);
    });
    this.tolerations.forEach((t, i) => {
      for (const d of checkToleration(t, `tolerations[${i}]`)) problems.push(problemAt(scope, d));
    });
    return problems;
  }
}
