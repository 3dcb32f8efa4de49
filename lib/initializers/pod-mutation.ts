import type { EnvValue } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { plain } from '../core/plain';
import { ContainerResourcesSpec, ContainerSpec, EnvFromSpec, renderContainer, VolumeMountSpec } from '../pod/container';
import {
  BASELINE_CAPABILITIES,
  isPodSecurityLevel,
  isStricter,
  POD_SECURITY_ANNOTATION,
  PodSecurity,
  PodSecurityLevel,
  RESTRICTED_VOLUMES,
} from '../pod/security';
import { PodVolume } from '../pod/volume';
import { PodTemplateLocation } from '../pod/pod-bearing';

/** Which containers an env, envFrom or mount goes into. */
export interface ContainerTargets {
  /** Also into init containers. @default false */
  readonly initContainers?: boolean;
  /** Only containers with these names. @default - every app container (and init container, if `initContainers`) */
  readonly only?: string[];
}

/** Options of `PodMutation.addInitContainer`. */
export interface AddInitContainerOptions {
  /** Run before the pod's own init containers instead of after them. @default false */
  readonly first?: boolean;
}

/** The initializer (and its configuration) that made a change. */
interface Source {
  readonly initializer: string;
  readonly configuration: string;
}

/** What the engine tells a mutation about the object it works on. */
export interface PodMutationContext {
  /** `Kind/name` of the object. */
  readonly object: string;
  /** Requests/limits given to injected containers that state none (`PatternDefaults.containerResources`). */
  readonly defaultResources?: ContainerResourcesSpec;
  /** Volume names the pod gets from elsewhere (a StatefulSet's claim templates). */
  readonly externalVolumes: string[];
  /** The level of a pod without the Pod Security annotation (`PatternDefaults.podSecurity`, else restricted). */
  readonly defaultLevel: PodSecurityLevel;
}

/**
 * The pod template an initializer changes. Every change is checked against what is there: an
 * identical entry is left alone (so applying an initializer twice changes nothing), a differing
 * entry with the same name (container, volume, env variable, annotation) or mount path is a
 * conflict, reported with both sources. Injected containers get the securityContext of the pod's
 * Pod Security level, and anything the level forbids (a hostPath volume in a restricted pod) is
 * reported instead of silently lowering the pod's security.
 */
export class PodMutation {
  private current: Source = { initializer: '', configuration: '' };
  private readonly origin = new Map<string, Source>();
  private readonly problems: ProblemDetails[] = [];
  private readonly addedMounts: Array<{ container: string; volume: string; source: Source }> = [];
  private readonly annotationsSet = new Set<string>();
  private readonly levelNeeds = new Map<string, { source: Source; needs: PodSecurityLevel; what: string[] }>();

  /** @internal */
  public static _create(loc: PodTemplateLocation, ctx: PodMutationContext): PodMutation {
    return new PodMutation(loc, ctx);
  }

  private constructor(
    private readonly loc: PodTemplateLocation,
    private readonly ctx: PodMutationContext,
  ) {}

  /** The pod's labels. */
  public get labels(): Readonly<{ [key: string]: string }> {
    return { ...(this.loc.template.metadata?.labels ?? {}) };
  }

  /** The pod's annotations. */
  public get annotations(): Readonly<{ [key: string]: string }> {
    return { ...(this.loc.template.metadata?.annotations ?? {}) };
  }

  /**
   * The Pod Security level the pod is built for: its `cdk8s-patterns.io/pod-security` annotation,
   * else `PatternDefaults.podSecurity`, else restricted (as app-wide validation reads it).
   */
  public get podSecurity(): PodSecurityLevel {
    const declared = this.annotations[POD_SECURITY_ANNOTATION];
    return isPodSecurityLevel(declared) ? declared : this.ctx.defaultLevel;
  }

  /** Adds an app container (a sidecar), after the pod's own. */
  public addContainer(spec: ContainerSpec): void {
    this.insertContainer(spec, 'containers', false);
  }

  /** Adds an init container, after the pod's own unless `first`. */
  public addInitContainer(spec: ContainerSpec, options: AddInitContainerOptions = {}): void {
    this.insertContainer(spec, 'initContainers', options.first ?? false);
  }

  /** Adds a volume to the pod. */
  public addVolume(volume: PodVolume): void {
    const entry = plain(volume.toJson());
    const needs = volumeLevel(volume.type);
    this.requireLevel(needs, `${volume.type} volume "${volume.name}"`);
    const spec = this.loc.template.spec;
    const existing = (spec.volumes ?? []).find((v: any) => v.name === volume.name);
    if (this.keep(existing, entry, `volume/${volume.name}`, 'volumes', `volume "${volume.name}"`)) return;
    (spec.volumes ??= []).push(entry);
  }

  /** Sets an environment variable in the targeted containers. */
  public addEnv(name: string, value: string | EnvValue, targets: ContainerTargets = {}): void {
    const entry = renderParts({ env: { [name]: value } }).env[0];
    for (const c of this.targets(targets)) {
      const existing = (c.env ?? []).find((e: any) => e.name === name);
      if (this.keep(existing, entry, `env/${c.name}/${name}`, `${this.listOf(c)}[${c.name}].env`, `env ${name} of container "${c.name}"`))
        continue;
      (c.env ??= []).push(entry);
    }
  }

  /** Adds environment from every key of a ConfigMap or Secret to the targeted containers (an identical entry is not repeated). */
  public addEnvFrom(source: EnvFromSpec, targets: ContainerTargets = {}): void {
    const entry = renderParts({ envFrom: [source] }).envFrom[0];
    for (const c of this.targets(targets)) {
      if ((c.envFrom ?? []).some((e: any) => sameJson(e, entry))) continue;
      (c.envFrom ??= []).push(entry);
    }
  }

  /**
   * Mounts a volume into the targeted containers. An identical mount is not repeated; a different
   * mount of the same volume, or another mount at the same path, is a conflict (PodPreset's rule).
   */
  public addMount(mount: VolumeMountSpec, targets: ContainerTargets = {}): void {
    const entry = renderParts({ mounts: [mount] }).volumeMounts[0];
    for (const c of this.targets(targets)) {
      const mounts: any[] = c.volumeMounts ?? [];
      if (mounts.some((m) => sameJson(m, entry))) continue;
      const field = `${this.prefix}spec.${this.listOf(c)}[${c.name}].volumeMounts`;
      const clash = mounts.find((m) => m.name === entry.name) ?? mounts.find((m) => m.mountPath === entry.mountPath);
      if (clash) {
        const key = clash.name === entry.name ? `mount/${c.name}/name/${entry.name}` : `mount/${c.name}/path/${entry.mountPath}`;
        this.conflict(
          field,
          `the mount of volume "${entry.name}" at ${entry.mountPath} in container "${c.name}"`,
          key,
          `mounts "${clash.name}" at ${clash.mountPath}`,
        );
        continue;
      }
      mounts.push(entry);
      c.volumeMounts = mounts;
      this.origin.set(`mount/${c.name}/name/${entry.name}`, this.current);
      this.origin.set(`mount/${c.name}/path/${entry.mountPath}`, this.current);
      this.addedMounts.push({ container: c.name, volume: entry.name, source: this.current });
    }
  }

  /**
   * Sets a pod annotation (an initializer's record, such as PodPreset's). A value the pod had is
   * replaced; two initializers setting different values is a conflict.
   */
  public setAnnotation(key: string, value: string): void {
    const metadata = (this.loc.template.metadata ??= {});
    const annotations = (metadata.annotations ??= {});
    if (this.annotationsSet.has(key) && annotations[key] !== value) {
      this.conflict(`${this.prefix}metadata.annotations`, `annotation ${key}`, `annotation/${key}`, `sets it to "${annotations[key]}"`);
      return;
    }
    annotations[key] = value;
    this.annotationsSet.add(key);
    this.origin.set(`annotation/${key}`, this.current);
  }

  /**
   * Brings the pod up to Pod Security "restricted" where that is safe (`PodHardeningInitializer`):
   * every container gets `allowPrivilegeEscalation: false` and drops ALL capabilities, the pod gets
   * seccomp RuntimeDefault and `runAsNonRoot: true`. Returns what it changed and what it could not
   * change: host access and privileged containers (nothing is changed then), and containers that run
   * as root by declaration (`runAsUser: 0`, `runAsNonRoot: false`) or by image (`rootImages`).
   * @internal
   */
  public _harden(rootImages: readonly string[]): { changed: string[]; skipped: string[] } {
    const spec = this.loc.template.spec;
    const changed: string[] = [];
    const skipped: string[] = [];
    const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c: any) => c && typeof c === 'object');
    // host access cannot be hardened away: the pod needs it (baseline forbids it, restricted too)
    for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f] === true) skipped.push(f);
    for (const v of spec.volumes ?? []) if (v?.hostPath !== undefined) skipped.push(`hostPath volume ${v.name}`);
    for (const c of containers) if (c.securityContext?.privileged === true) skipped.push(`privileged container ${c.name}`);
    if (skipped.length > 0) return { changed, skipped };
    const rootByImage = (c: any) =>
      typeof c.image === 'string' && rootImages.some((i) => c.image === i || c.image.startsWith(`${i}:`) || c.image.startsWith(`${i}@`));
    const root: string[] = [];
    for (const c of containers) {
      const sc = (c.securityContext ??= {});
      if (sc.allowPrivilegeEscalation === undefined) {
        sc.allowPrivilegeEscalation = false;
        changed.push(`${c.name}: allowPrivilegeEscalation false`);
      } else if (sc.allowPrivilegeEscalation === true) skipped.push(`${c.name}: allowPrivilegeEscalation true`);
      const caps = (sc.capabilities ??= {});
      const drop: string[] = Array.isArray(caps.drop) ? caps.drop : [];
      if (!drop.includes('ALL')) {
        caps.drop = [...drop, 'ALL'];
        changed.push(`${c.name}: capabilities drop ALL`);
      }
      const extra = (Array.isArray(caps.add) ? caps.add : []).filter((x: string) => x !== 'NET_BIND_SERVICE');
      if (extra.length > 0) skipped.push(`${c.name}: adds capabilities ${extra.join(', ')}`);
      if (sc.seccompProfile?.type === 'Unconfined') skipped.push(`${c.name}: seccomp Unconfined`);
      if (sc.runAsUser === 0 || sc.runAsNonRoot === false || (rootByImage(c) && sc.runAsNonRoot !== true && !(sc.runAsUser > 0))) {
        root.push(c.name);
      }
    }
    const psc = (spec.securityContext ??= {});
    if (psc.seccompProfile === undefined) {
      psc.seccompProfile = { type: 'RuntimeDefault' };
      changed.push('pod: seccompProfile RuntimeDefault');
    }
    if (root.length > 0 || psc.runAsUser === 0) {
      skipped.push(...root.map((n) => `${n}: runs as root`), ...(psc.runAsUser === 0 ? ['pod: runAsUser 0'] : []));
    } else if (psc.runAsNonRoot === undefined) {
      psc.runAsNonRoot = true;
      changed.push('pod: runAsNonRoot true');
    }
    if (Object.keys(psc).length === 0) delete spec.securityContext;
    return { changed, skipped };
  }

  /** @internal Starts the changes of one initializer. */
  public _begin(initializer: string, configuration: string): void {
    this.current = { initializer, configuration };
  }

  /** @internal Every problem found, including mounts of volumes the pod does not have. */
  public _finish(): ProblemDetails[] {
    const declared = this.podSecurity;
    for (const { source, needs, what } of this.levelNeeds.values()) {
      this.problems.push({
        field: `${this.prefix}metadata.annotations.${POD_SECURITY_ANNOTATION}`,
        rule: `${describe(source, this.ctx.object)} adds ${what.join(', ')}, which needs Pod Security "${needs}", but the pod is "${declared}"`,
        hint:
          `declare PodSecurity.${needs}(reason) on the workload (or the annotation ${POD_SECURITY_ANNOTATION}: ${needs} on other objects), ` +
          "or narrow the initializer's selector to such workloads",
      });
    }
    const known = new Set([...(this.loc.template.spec.volumes ?? []).map((v: any) => v.name), ...this.ctx.externalVolumes]);
    for (const m of this.addedMounts) {
      if (!known.has(m.volume)) {
        this.problems.push({
          field: `${this.prefix}spec.volumes`,
          rule: `${describe(m.source, this.ctx.object)} mounts volume "${m.volume}" into container "${m.container}", but the pod has no such volume`,
          hint: 'add the volume in the same initializer (addVolume) or to the workload',
        });
      }
    }
    return this.problems;
  }

  private get prefix(): string {
    return this.loc.path ? `${this.loc.path}.` : '';
  }

  private insertContainer(spec: ContainerSpec, list: 'containers' | 'initContainers', first: boolean): void {
    const security = securityOf(this.podSecurity);
    const entry = plain(
      renderContainer(spec, { podContainerDefaults: security.containerContext(), defaultResources: this.ctx.defaultResources }),
    );
    this.requireLevel(containerLevel(spec), `container "${spec.name}" (privileged, host ports or extra capabilities)`);
    const pod = this.loc.template.spec;
    const inSameList = (pod[list] ?? []).find((c: any) => c.name === spec.name);
    const other = list === 'containers' ? 'initContainers' : 'containers';
    const inOtherList = (pod[other] ?? []).find((c: any) => c.name === spec.name);
    if (inOtherList) {
      this.conflict(
        `${this.prefix}spec.${list}`,
        `container "${spec.name}"`,
        `container/${spec.name}`,
        `has it in ${other}; names are unique across containers and initContainers`,
      );
      return;
    }
    if (this.keep(inSameList, entry, `container/${spec.name}`, list, `container "${spec.name}"`)) return;
    const target: any[] = (pod[list] ??= []);
    if (first) target.unshift(entry);
    else target.push(entry);
    for (const m of entry.volumeMounts ?? []) this.addedMounts.push({ container: spec.name, volume: m.name, source: this.current });
  }

  /**
   * True when `existing` is there (identical, or reported as a conflict); false when `entry` should
   * be added. `field` is relative to the pod spec.
   */
  private keep(existing: unknown, entry: unknown, key: string, field: string, what: string): boolean {
    if (existing === undefined) {
      this.origin.set(key, this.current);
      return false;
    }
    if (!sameJson(existing, entry)) this.conflict(`${this.prefix}spec.${field}`, what, key, 'sets it differently');
    return true;
  }

  private conflict(field: string, what: string, key: string, theirs: string): void {
    const other = this.origin.get(key);
    this.problems.push({
      field,
      rule: `${describe(this.current, this.ctx.object)} sets ${what}, but ${describe(other, this.ctx.object)} ${theirs}`,
      hint: 'make the two definitions identical, rename one, or opt the workload out with the annotation initializers.cdk8s-patterns.io/exclude',
    });
  }

  private requireLevel(needs: PodSecurityLevel, what: string): void {
    if (!isStricter(this.podSecurity, needs)) return;
    const key = `${this.current.configuration}/${this.current.initializer}/${needs}`;
    const entry = this.levelNeeds.get(key) ?? { source: this.current, needs, what: [] };
    entry.what.push(what);
    this.levelNeeds.set(key, entry);
  }

  private targets(targets: ContainerTargets): any[] {
    const pod = this.loc.template.spec;
    const all = [...(targets.initContainers ? (pod.initContainers ?? []) : []), ...pod.containers];
    return targets.only ? all.filter((c) => targets.only!.includes(c.name)) : all;
  }

  private listOf(container: any): string {
    return (this.loc.template.spec.initContainers ?? []).includes(container) ? 'initContainers' : 'containers';
  }
}

function describe(source: Source | undefined, object: string): string {
  return source ? `initializer "${source.initializer}" (configuration "${source.configuration}")` : `the pod template of ${object} itself`;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
}

/**
 * Renders env, envFrom and mount entries with the container renderer itself, so an injected entry
 * compares equal to one a workload construct rendered from the same spec.
 */
export function renderParts(parts: Pick<ContainerSpec, 'env' | 'envFrom' | 'mounts'>): any {
  return plain(renderContainer({ name: 'part', image: 'part', ...parts }, { podContainerDefaults: {} }));
}

function securityOf(level: PodSecurityLevel): PodSecurity {
  switch (level) {
    case PodSecurityLevel.PRIVILEGED:
      return PodSecurity.privileged('declared by the pod');
    case PodSecurityLevel.BASELINE:
      return PodSecurity.baseline('declared by the pod');
    default:
      return PodSecurity.restricted();
  }
}

/** The lowest Pod Security level that allows a volume type. */
function volumeLevel(type: string): PodSecurityLevel {
  if (RESTRICTED_VOLUMES.has(type)) return PodSecurityLevel.RESTRICTED;
  return type === 'hostPath' ? PodSecurityLevel.PRIVILEGED : PodSecurityLevel.BASELINE;
}

/** The lowest Pod Security level that allows a container's security settings. */
function containerLevel(spec: ContainerSpec): PodSecurityLevel {
  const caps = spec.security?.addCapabilities ?? [];
  if (spec.security?.privileged || (spec.ports ?? []).some((p) => p.hostPort) || caps.some((c) => !BASELINE_CAPABILITIES.has(c))) {
    return PodSecurityLevel.PRIVILEGED;
  }
  return caps.some((c) => c !== 'NET_BIND_SERVICE') ? PodSecurityLevel.BASELINE : PodSecurityLevel.RESTRICTED;
}
