import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { DnsPolicy, IServiceAccount } from 'cdk8s-plus-27';
import { checkNodeAffinity, NodeAffinitySpec, renderNodeAffinity } from './affinity';
import {
  checkDns,
  checkHostAliases,
  checkPodAffinity,
  checkPodSecurityContext,
  HostAliasSpec,
  PodAffinityTermSpec,
  PodDnsConfigSpec,
  PodSecurityContextSpec,
  renderDnsConfig,
  renderPodAffinity,
} from './pod-settings';
import { ClusterVersion } from '../core/cluster-version';
import { Problem, problemAt } from '../core/errors';
import { addOptOutSite, OptOut, optOutProblem } from '../core/opt-out';
import { DEFAULT_FS_GROUP, PatternDefaults } from './defaults';
import { nameViolation, NameRule } from '../core/names';
import { nonEmpty } from '../core/plain';
import { recommendedLabelsOf } from '../core/recommended-labels';
import { checkContainer, ContainerResourcesSpec, ContainerSpec, renderContainer, VolumeMountSpec } from './container';
import { EffectiveResources, effectiveResourcesOf } from './effective-resources';
import { plusObjectProblem } from './plus-version';
import { ContainerProbe } from './probe';
import { PodSecurity } from './security';
import { checkToleration, renderToleration, TolerationSpec } from './toleration';
import { PodVolume } from './volume';
import { READ_ONLY_ROOT_OPT_OUT } from './writable-paths';
import { applyWritableRoot, WritableRoot } from './writable-root';

/** Name of the fsGroup opt-out annotation (`opt-out.cdk8s-patterns.io/fs-group`). */
const FS_GROUP_OPT_OUT = 'fs-group';
/** Volume types that are PersistentVolumeClaims (a fresh one is owned by root unless `fsGroup` is set). */
const CLAIM_VOLUME_TYPES = new Set(['persistentVolumeClaim', 'ephemeral']);

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
  /** PriorityClass of the pods. @default - none (the cluster's default priority) */
  readonly priorityClassName?: string;
  /**
   * Pod-level security context (user, group, fsGroup…), merged over what the Pod Security level sets.
   * @default - what the Pod Security level sets (restricted: runAsNonRoot, seccomp RuntimeDefault)
   */
  readonly securityContext?: PodSecurityContextSpec;
  /** Node affinity (required / preferred terms of cdk8s-plus `NodeLabelQuery`s). @default - every node */
  readonly nodeAffinity?: NodeAffinitySpec;
  /** Run near pods with these labels (required, or preferred with a weight). @default - none */
  readonly podAffinity?: PodAffinityTermSpec[];
  /** Stay away from pods with these labels (required, or preferred with a weight). @default - none */
  readonly podAntiAffinity?: PodAffinityTermSpec[];
  /** DNS policy (cdk8s-plus `DnsPolicy`). @default - Kubernetes' default (ClusterFirst; NodeAgent: ClusterFirstWithHostNet with hostNetwork) */
  readonly dnsPolicy?: DnsPolicy;
  /** Resolver configuration merged into what `dnsPolicy` generates. @default - none */
  readonly dnsConfig?: PodDnsConfigSpec;
  /** Entries of the pods' `/etc/hosts`. @default - none */
  readonly hostAliases?: HostAliasSpec[];
  /** RuntimeClass of the pods (a sandboxed runtime such as gVisor or Kata). @default - the cluster's default runtime */
  readonly runtimeClassName?: string;
  /** Scheduler that places the pods. @default - the default scheduler */
  readonly schedulerName?: string;
  /**
   * Mount the ServiceAccount API token even though no RBAC grant in the app needs it, for this reason
   * (e.g. 'reads its namespace from the token mount'; grants made outside the app). Written on the
   * pod template as the annotation `cdk8s-patterns.io/token-mount-reason`.
   * @default - the token is mounted only when the workload is granted API access (`Access.forWorkload`)
   */
  readonly tokenMountReason?: string;
}

/** Annotation on pod templates giving the reason their ServiceAccount token is mounted without a grant in the app. */
export const TOKEN_MOUNT_REASON_ANNOTATION = 'cdk8s-patterns.io/token-mount-reason';

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
  /** Pod anti-affinity terms the workload adds (StatefulService `spreadReplicas`). @default - none */
  readonly antiAffinity?: () => PodAffinityTermSpec[];
  /** Raw `topologySpreadConstraints` JSON. @default - none */
  readonly topologySpread?: () => Array<Record<string, unknown>> | undefined;
  /** Volume names the pod gets from elsewhere (StatefulSet claim templates). @default - none */
  readonly externalVolumes?: () => string[];
  /** Mounts added to named containers by the workload (StatefulSet claim mounts). @default - none */
  readonly extraMounts?: () => ContainerMountSpec[];
  /** dnsPolicy when the props set none (ClusterFirstWithHostNet for hostNetwork pods). @default - Kubernetes' default */
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
    // written on the workload's main object, not the template: editing a reason rolls no pods
    addOptOutSite(owner, READ_ONLY_ROOT_OPT_OUT, () => this.readOnlyRootOptOut());
    addOptOutSite(owner, FS_GROUP_OPT_OUT, () => this.fsGroupDecision().reason);
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

  /**
   * The image of the first app container (the workload's `app.kubernetes.io/version`), without copying the container list.
   * @internal
   */
  public get _firstImage(): string | undefined {
    return this.containers[0]?.image;
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
   * Renders `{ metadata, spec }` of the pod template with `labels` (the selector labels: they win over
   * `podLabels`, which win over the recommended labels of the owner).
   * @internal
   */
  public _render(labels: { [key: string]: string }): { [key: string]: any } {
    const security = this.security;
    const ctx = {
      podContainerDefaults: security.containerContext(),
      defaultResources: PatternDefaults.containerResourcesOf(this.owner),
    };
    const root = this.writableRoot();
    return {
      metadata: {
        labels: { ...recommendedLabelsOf(this.owner), ...(this.props.podLabels ?? {}), ...labels },
        annotations: nonEmpty({ ...(this.props.podAnnotations ?? {}), ...security.annotations(), ...this.tokenAnnotations() }),
      },
      spec: {
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: this.apiAccess || this.props.tokenMountReason !== undefined,
        securityContext: nonEmpty({
          ...security.podContext(),
          ...this.fsGroupDecision().fields,
          ...plainContext(this.props.securityContext),
        }),
        initContainers: nonEmpty(root.initContainers.map((c) => renderContainer(c, ctx))),
        containers: root.containers.map((c) => renderContainer(c, ctx)),
        volumes: nonEmpty([...this.volumes, ...root.volumes].map((v) => v.toJson())),
        terminationGracePeriodSeconds: this.props.terminationGracePeriod?.toSeconds(),
        nodeSelector: this.props.nodeSelector,
        tolerations: nonEmpty(this.tolerations.map(renderToleration)),
        affinity: this.renderAffinity(),
        topologySpreadConstraints: this.options.topologySpread?.(),
        priorityClassName: this.props.priorityClassName,
        restartPolicy: this.options.restartPolicy,
        hostNetwork: this.options.hostNetwork || undefined,
        hostPID: this.options.hostPID || undefined,
        dnsPolicy: this.props.dnsPolicy ?? this.options.dnsPolicy,
        dnsConfig: renderDnsConfig(this.props.dnsConfig),
        hostAliases: this.props.hostAliases?.map((a) => ({ ip: a.ip, hostnames: [...a.hostnames] })),
        runtimeClassName: this.props.runtimeClassName,
        schedulerName: this.props.schedulerName,
      },
    };
  }

  /**
   * The containers with the read-only root filesystem applied, and the emptyDir volumes behind their
   * writable paths (`ContainerSpec.writablePaths`, `PatternDefaults.writablePaths`).
   */
  private writableRoot(): WritableRoot {
    const defaults = PatternDefaults.of(this.owner);
    return applyWritableRoot(this.initContainerSpecs, this.containerSpecs, {
      defaultPaths: PatternDefaults.writablePathsOf(this.owner),
      appOptOut: defaults.readOnlyRootFilesystem,
      takenNames: [...this.volumes.map((v) => v.name), ...(this.options.externalVolumes?.() ?? [])],
    });
  }

  /** True when the pod mounts PersistentVolumeClaims: claim templates, claim or ephemeral volumes. */
  private mountsClaims(): boolean {
    return (this.options.externalVolumes?.() ?? []).length > 0 || this.volumes.some((v) => CLAIM_VOLUME_TYPES.has(v.type));
  }

  /**
   * `fsGroup` (the pod's `runAsGroup`, else `PatternDefaults.fsGroup`, else 1000) and
   * `fsGroupChangePolicy: OnRootMismatch` for a pod that mounts claims, so a non-root process can
   * write a fresh volume; nothing when opted out here or app-wide. The pod's own fields win.
   */

  /**
   * What the claim `fsGroup` default does for this pod: the fields it writes, or the reason it is off;
   * neither when the pod mounts no claim (or gives its own fsGroup under an app-wide opt-out).
   */
  private fsGroupDecision(): { fields?: Record<string, unknown>; reason?: string } {
    if (!this.mountsClaims()) return {};
    const own = this.props.securityContext?.fsGroup;
    if (OptOut.isOptOut(own)) return { reason: own.reason.trim() };
    const app = PatternDefaults.of(this.owner).fsGroup;
    if (OptOut.isOptOut(app)) return own === undefined ? { reason: app.reason.trim() } : {};
    const runAsGroup = this.props.securityContext?.runAsGroup;
    const fsGroup = runAsGroup !== undefined && runAsGroup > 0 ? runAsGroup : (app ?? DEFAULT_FS_GROUP);
    // fsGroupChangePolicy came in Kubernetes 1.20 (beta; GA 1.23): older clusters get fsGroup alone
    return { fields: ClusterVersion.minorOf(this.owner) >= 20 ? { fsGroup, fsGroupChangePolicy: 'OnRootMismatch' } : { fsGroup } };
  }

  /** The reason the read-only root is off for some containers (each named), or for all app-wide; undefined when on everywhere. */
  private readOnlyRootOptOut(): string | undefined {
    const app = PatternDefaults.of(this.owner).readOnlyRootFilesystem;
    // a reason that is empty or spans lines is reported by the checks; it is not written
    const own: string[] = [];
    let appWide = false;
    for (const c of [...this.initContainerSpecs, ...this.containerSpecs]) {
      const value = c.security?.readOnlyRootFilesystem;
      if (OptOut.isOptOut(value)) {
        if (optOutProblem(value, '') === undefined) own.push(`${c.name}: ${value.reason.trim()}`);
      } else if (value === undefined && app) appWide = true;
    }
    if (appWide && own.length === 0) return app!.reason.trim();
    if (appWide) own.push(`other containers: ${app!.reason.trim()}`);
    return own.length > 0 ? own.join('; ') : undefined;
  }

  private tokenAnnotations(): { [key: string]: string } {
    const reason = this.props.tokenMountReason;
    return reason === undefined ? {} : { [TOKEN_MOUNT_REASON_ANNOTATION]: reason };
  }

  private renderAffinity(): Record<string, unknown> | undefined {
    const node = renderNodeAffinity(this.props.nodeAffinity);
    const anti = [...(this.props.podAntiAffinity ?? []), ...(this.options.antiAffinity?.() ?? [])];
    const affinity = {
      nodeAffinity: node?.nodeAffinity,
      podAffinity: renderPodAffinity(this.props.podAffinity ?? []),
      podAntiAffinity: renderPodAffinity(anti),
    };
    const set = Object.fromEntries(Object.entries(affinity).filter(([, v]) => v !== undefined));
    return nonEmpty(set);
  }

  /**
   * Problems of the shared pod props (security context, affinity, DNS, host aliases, token reason).
   * @internal
   */
  public static _checkProps(scope: Construct, props: PodSpecProps): Problem[] {
    const prefixed = (prefix: string, list: Array<{ field: string; rule: string; hint?: string }>) =>
      list.map((d) => problemAt(scope, { ...d, field: d.field.startsWith('[') ? `${prefix}${d.field}` : `${prefix}.${d.field}` }));
    const problems = [
      ...prefixed('securityContext', checkPodSecurityContext(props.securityContext ?? {})),
      ...prefixed('nodeAffinity', checkNodeAffinity(props.nodeAffinity ?? {})),
      ...prefixed('podAffinity', checkPodAffinity(props.podAffinity ?? [])),
      ...prefixed('podAntiAffinity', checkPodAffinity(props.podAntiAffinity ?? [])),
      ...checkDns(props.dnsPolicy, props.dnsConfig).map((d) => problemAt(scope, d)),
      ...prefixed('hostAliases', checkHostAliases(props.hostAliases ?? [])),
    ];
    const containerLists = [
      ['containers', props.containers ?? []],
      ['initContainers', props.initContainers ?? []],
    ] as const;
    for (const [list, containers] of containerLists) {
      containers.forEach((c, i) => {
        for (const key of ['readiness', 'liveness', 'startup', 'preStop'] as const) {
          const value = c[key] instanceof ContainerProbe ? undefined : c[key];
          const why = plusObjectProblem(value, `${list}[${i}].${key}`, key === 'preStop' ? 'Handler' : 'Probe');
          if (why) problems.push(problemAt(scope, why));
        }
      });
    }
    if (props.tokenMountReason !== undefined && props.tokenMountReason.trim() === '') {
      problems.push(problemAt(scope, { field: 'tokenMountReason', rule: 'must say why the token is mounted without a grant' }));
    }
    return problems;
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

function plainContext(sc?: PodSecurityContextSpec): Record<string, unknown> {
  if (!sc) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sc)) if (v !== undefined && !OptOut.isOptOut(v)) out[k] = Array.isArray(v) ? [...v] : v;
  return out;
}
