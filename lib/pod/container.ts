import { Size } from 'cdk8s';
import type { EnvValue, Handler, IConfigMap, ISecret, Probe } from 'cdk8s-plus-27';
import type { ContainerProbe } from './probe';
import { ImagePullPolicy, MountPropagation, Protocol } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { OptOut, optOutProblem } from '../core/opt-out';
import { nameViolation, NameRule, portNameViolation, portNumberViolation } from '../core/names';
import { plain } from '../core/plain';
import { CpuAmount, cpuToQuantity, parseQuantity, sizeToQuantity } from '../core/quantity';
import { checkWritablePaths } from './writable-paths';

/** A port a container listens on. */
export interface ContainerPortSpec {
  /** Port number (1–65535). */
  readonly number: number;
  /** Name (IANA service name: ≤ 15 characters, lower case, at least one letter); Services refer to it. @default - unnamed */
  readonly name?: string;
  /** @default Protocol.TCP */
  readonly protocol?: Protocol;
  /** Expose on the node's IP (not allowed under restricted/baseline). @default - none */
  readonly hostPort?: number;
}

/** Mounts a pod volume (or a StatefulService claim) into a container. */
export interface VolumeMountSpec {
  /** Name of the volume or claim template. */
  readonly volume: string;
  /** Absolute path in the container. */
  readonly path: string;
  /** @default false (hostPath mounts of `NodeAgent` default to true) */
  readonly readOnly?: boolean;
  /** Mount only this sub-path of the volume. @default - the whole volume */
  readonly subPath?: string;
  /** Share mounts between host and container (Bidirectional needs a privileged container; e.g. lxcfs's FUSE mount). @default - Kubernetes' default (None) */
  readonly mountPropagation?: MountPropagation;
}

/** Environment from every key of a ConfigMap or Secret. */
export interface EnvFromSpec {
  /** A cdk8s-plus ConfigMap or a ConfigMap name. */
  readonly configMap?: IConfigMap | string;
  /** A cdk8s-plus Secret or a Secret name. */
  readonly secret?: ISecret | string;
  /** Prefix added to each variable name. @default - none */
  readonly prefix?: string;
}

/** CPU request and limit; cdk8s-plus `CpuResources` fits this shape. */
export interface CpuResourcesSpec {
  /** CPU reserved for the container: a cdk8s-plus `Cpu` or a quantity string (`"250m"`, `"0.5"`). @default - none */
  readonly request?: CpuAmount;
  /** Most CPU the container may use (it is throttled above). @default - none */
  readonly limit?: CpuAmount;
}

/** Request and limit of a resource measured in bytes; cdk8s-plus `MemoryResources` fits this shape. */
export interface SizeResourcesSpec {
  /** Amount reserved for the container, a positive whole number of KiB. @default - none */
  readonly request?: Size;
  /** Most the container may use (memory: it is OOM-killed above; ephemeral storage: the pod is evicted). @default - none */
  readonly limit?: Size;
}

/** Requests and limits; cdk8s-plus `ContainerResources` fits this shape. */
export interface ContainerResourcesSpec {
  /** @default - no CPU request or limit */
  readonly cpu?: CpuResourcesSpec;
  /** @default - no memory request or limit */
  readonly memory?: SizeResourcesSpec;
  /** Local scratch space (writable layer, logs, emptyDirs on disk). @default - no ephemeral storage request or limit */
  readonly ephemeralStorage?: SizeResourcesSpec;
}

/** Container securityContext settings layered over the pod's Pod Security level. */
export interface ContainerSecuritySpec {
  /** @default - the image's user */
  readonly runAsUser?: number;
  /** @default - the image's group */
  readonly runAsGroup?: number;
  /**
   * The container's root filesystem is read-only; the paths it writes are `emptyDir` mounts
   * (`ContainerSpec.writablePaths`, `PatternDefaults.writablePaths`). `OptOut.because('why')` leaves
   * it writable and writes the reason on the workload as the annotation
   * `opt-out.cdk8s-patterns.io/read-only-root-filesystem` (`false` without a reason is an error).
   * @default true (unless `PatternDefaults.readOnlyRootFilesystem` opts the app out)
   */
  readonly readOnlyRootFilesystem?: boolean | OptOut;
  /** Needs `PodSecurity.privileged`. @default false */
  readonly privileged?: boolean;
  /** Capabilities to add (restricted allows only NET_BIND_SERVICE). @default - none */
  readonly addCapabilities?: string[];
}

/** One container of a pod template (app container or init container). */
export interface ContainerSpec {
  /** Container name (DNS-1123 label), unique across app and init containers. */
  readonly name: string;
  /** Image reference; a tag or digest is required unless latest is allowed in `PatternDefaults`. */
  readonly image: string;
  /** Entrypoint. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** @default - the image's */
  readonly workingDir?: string;
  /** @default - none */
  readonly ports?: ContainerPortSpec[];
  /** Variables: plain strings or cdk8s-plus `EnvValue`s (`EnvValue.fromConfigMap`, `fromFieldRef`...). Order is kept. @default - none */
  readonly env?: { [key: string]: string | EnvValue };
  /** @default - none */
  readonly envFrom?: EnvFromSpec[];
  /** @default - none */
  readonly mounts?: VolumeMountSpec[];
  /**
   * Absolute paths the container writes although its root filesystem is read-only: each becomes an
   * `emptyDir` volume mounted there (named `rw-<container>-<path>`), after `PatternDefaults.writablePaths`
   * (`/tmp` unless changed). A path the container already mounts a volume at, or below one, gets none.
   * @default - only `PatternDefaults.writablePaths`
   */
  readonly writablePaths?: string[];
  /** @default - `PatternDefaults.containerResources` */
  readonly resources?: ContainerResourcesSpec;
  /** A cdk8s-plus-27 `Probe`, or a `ContainerProbe` (any cdk8s-plus major). @default - none */
  readonly readiness?: Probe | ContainerProbe;
  /** A cdk8s-plus-27 `Probe`, or a `ContainerProbe` (any cdk8s-plus major). @default - none */
  readonly liveness?: Probe | ContainerProbe;
  /** A cdk8s-plus-27 `Probe`, or a `ContainerProbe` (any cdk8s-plus major). @default - none */
  readonly startup?: Probe | ContainerProbe;
  /** Run before the container is stopped: a command, or a cdk8s-plus `Handler`. @default - none */
  readonly preStop?: string[] | Handler;
  /** @default - Kubernetes' default (IfNotPresent for tagged images) */
  readonly imagePullPolicy?: ImagePullPolicy;
  /** @default - only what the Pod Security level sets */
  readonly security?: ContainerSecuritySpec;
}

/** What a container is rendered with, besides its spec. */
export interface ContainerRenderContext {
  /** The container securityContext fields of the pod's Pod Security level, which the spec's `security` layers over. */
  readonly podContainerDefaults: Record<string, unknown>;
  /** Resources of a container that states none. @default - none */
  readonly defaultResources?: ContainerResourcesSpec;
}

/** Requests given to a container that states none (see `PatternDefaults.containerResources`). */
export const DEFAULT_RESOURCES: ContainerResourcesSpec = {
  cpu: { request: '100m' },
  memory: { request: Size.mebibytes(128) },
};

/** Renders one `containers[]` / `initContainers[]` entry. */
export function renderContainer(spec: ContainerSpec, ctx: ContainerRenderContext): Record<string, unknown> {
  const portNumber = spec.ports?.[0]?.number;
  const probe = (p?: Probe | ContainerProbe) => (p ? (p as any)._toKube({ portNumber }) : undefined);
  return {
    name: spec.name,
    image: spec.image,
    command: spec.command,
    args: spec.args,
    workingDir: spec.workingDir,
    imagePullPolicy: spec.imagePullPolicy,
    ports: spec.ports?.map((p) => ({ name: p.name, containerPort: p.number, protocol: p.protocol, hostPort: p.hostPort })),
    env: renderEnv(spec.env),
    envFrom: spec.envFrom?.map(renderEnvFrom),
    volumeMounts: spec.mounts?.map((m) => ({
      name: m.volume,
      mountPath: m.path,
      readOnly: m.readOnly || undefined,
      subPath: m.subPath,
      mountPropagation: m.mountPropagation,
    })),
    resources: renderResources(spec.resources ?? ctx.defaultResources),
    readinessProbe: probe(spec.readiness),
    livenessProbe: probe(spec.liveness),
    startupProbe: probe(spec.startup),
    lifecycle: spec.preStop ? { preStop: renderHandler(spec.preStop, portNumber) } : undefined,
    securityContext: renderSecurity(ctx.podContainerDefaults, spec.security),
  };
}

function renderEnv(env?: { [key: string]: string | EnvValue }) {
  if (!env) return undefined;
  return Object.keys(env).map((name) => {
    const v = env[name];
    return typeof v === 'string' ? { name, value: v } : { name, value: v.value, valueFrom: v.valueFrom };
  });
}

function renderEnvFrom(e: EnvFromSpec) {
  const ref = (r: { name: string } | string | undefined) => (r === undefined ? undefined : { name: typeof r === 'string' ? r : r.name });
  return { configMapRef: ref(e.configMap), secretRef: ref(e.secret), prefix: e.prefix };
}

function renderHandler(h: string[] | Handler, portNumber?: number) {
  return Array.isArray(h) ? { exec: { command: h } } : plain((h as any)._toKube({ portNumber }));
}

/** Renders requests/limits; an unrepresentable size renders as undefined and is reported by `checkContainer`. */
function renderResources(r?: ContainerResourcesSpec) {
  if (!r) return undefined;
  const requests: Record<string, string | undefined> = {
    cpu: r.cpu?.request !== undefined ? cpuToQuantity(r.cpu.request) : undefined,
    memory: r.memory?.request ? sizeToQuantity(r.memory.request) : undefined,
    'ephemeral-storage': r.ephemeralStorage?.request ? sizeToQuantity(r.ephemeralStorage.request) : undefined,
  };
  const limits: Record<string, string | undefined> = {
    cpu: r.cpu?.limit !== undefined ? cpuToQuantity(r.cpu.limit) : undefined,
    memory: r.memory?.limit ? sizeToQuantity(r.memory.limit) : undefined,
    'ephemeral-storage': r.ephemeralStorage?.limit ? sizeToQuantity(r.ephemeralStorage.limit) : undefined,
  };
  const some = (o: Record<string, unknown>) => (Object.values(o).some((v) => v !== undefined) ? o : undefined);
  return { requests: some(requests), limits: some(limits) };
}

function renderSecurity(defaults: Record<string, unknown>, s?: ContainerSecuritySpec) {
  const ctx: Record<string, any> = { ...defaults };
  if (s) {
    ctx.runAsUser = s.runAsUser;
    ctx.runAsGroup = s.runAsGroup;
    if (typeof s.readOnlyRootFilesystem === 'boolean') ctx.readOnlyRootFilesystem = s.readOnlyRootFilesystem;
    if (s.privileged) {
      ctx.privileged = true;
      delete ctx.allowPrivilegeEscalation;
    }
    if (s.addCapabilities?.length) {
      ctx.capabilities = { ...(ctx.capabilities ?? {}), add: [...s.addCapabilities] };
    }
  }
  return Object.keys(ctx).some((k) => ctx[k] !== undefined) ? ctx : undefined;
}

/** Options of `checkContainer`. */
export interface ContainerCheckOptions {
  /** The container is an init container (no probes, no lifecycle hooks). */
  readonly init: boolean;
  /** Accept images without a tag or with the `latest` tag (`PatternDefaults.allowLatestTag`). */
  readonly allowLatestTag: boolean;
}

/**
 * The problems of one container spec. `field` is the prop path of the container
 * (`containers[1]`), so each problem names the container and the field.
 */
export function checkContainer(spec: ContainerSpec, field: string, opts: ContainerCheckOptions): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  const at = (f: string, rule: string, hint?: string) => out.push({ field: `${field}.${f}`, rule, hint });
  const nameWhy = nameViolation(spec.name, NameRule.DNS_LABEL);
  if (nameWhy) at('name', nameWhy);
  if (typeof spec.image !== 'string' || spec.image.trim() === '' || /\s/.test(spec.image)) {
    at('image', 'must be a non-empty image reference without spaces');
  } else if (!opts.allowLatestTag && usesLatest(spec.image)) {
    at(
      'image',
      `"${spec.image}" has no tag or uses "latest", so what runs changes without a change here`,
      'pin a tag or digest, or set PatternDefaults allowLatestTag: true',
    );
  }
  const seenNames = new Set<string>();
  const seenPorts = new Set<string>();
  (spec.ports ?? []).forEach((p, i) => {
    const portWhy = portNumberViolation(p.number);
    if (portWhy) at(`ports[${i}].number`, portWhy);
    if (p.name !== undefined) {
      const why = portNameViolation(p.name);
      if (why) at(`ports[${i}].name`, why);
      if (seenNames.has(p.name)) at(`ports[${i}].name`, `duplicate port name "${p.name}" in container "${spec.name}"`);
      seenNames.add(p.name);
    }
    const key = `${p.number}/${p.protocol ?? 'TCP'}`;
    if (seenPorts.has(key)) at(`ports[${i}].number`, `duplicate port ${key} in container "${spec.name}"`);
    seenPorts.add(key);
  });
  (spec.mounts ?? []).forEach((m, i) => {
    if (typeof m.path !== 'string' || !m.path.startsWith('/')) at(`mounts[${i}].path`, `mount path "${m.path}" must be absolute`);
  });
  out.push(...checkWritablePaths(spec.writablePaths, `${field}.writablePaths`));
  const readOnlyRoot = spec.security?.readOnlyRootFilesystem;
  if (readOnlyRoot === false) {
    at(
      'security.readOnlyRootFilesystem',
      'a writable root filesystem needs a reason',
      "readOnlyRootFilesystem: OptOut.because('why'), or declare the paths the image writes in writablePaths",
    );
  }
  const why = optOutProblem(readOnlyRoot, `${field}.security.readOnlyRootFilesystem`);
  if (why) out.push(why);
  for (const [key, size] of resourceSizes(spec.resources)) {
    if (sizeToQuantity(size) === undefined) at(`resources.${key}`, 'must be a positive whole number of KiB');
  }
  for (const which of ['request', 'limit'] as const) {
    const cpu = spec.resources?.cpu?.[which];
    if (cpu === undefined) continue;
    const quantity = cpuToQuantity(cpu);
    const parsed = parseQuantity(quantity);
    if (!parsed || parsed.negative) {
      at(
        `resources.cpu.${which}`,
        `${JSON.stringify(quantity)} is not a non-negative Kubernetes quantity`,
        'e.g. "250m", "0.5" or "2", or Cpu.millis(250)',
      );
    }
  }
  if (opts.init) {
    for (const probe of ['readiness', 'liveness', 'startup'] as const) {
      if (spec[probe])
        at(
          probe,
          'init containers run to completion and cannot have probes (Kubernetes rejects readiness, liveness and startup probes on them)',
        );
    }
    if (spec.preStop) at('preStop', 'init containers cannot have lifecycle hooks (Kubernetes 1.27 has no sidecar init containers)');
  }
  return out;
}

function* resourceSizes(r?: ContainerResourcesSpec): Generator<[string, Size]> {
  if (!r) return;
  for (const kind of ['memory', 'ephemeralStorage'] as const) {
    for (const which of ['request', 'limit'] as const) {
      const s = r[kind]?.[which];
      if (s) yield [`${kind}.${which}`, s];
    }
  }
}

/** True when an image reference has no tag/digest or uses the `latest` tag. */
export function usesLatest(image: string): boolean {
  if (image.includes('@')) return false;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon < 0 || image.slice(colon + 1) === 'latest';
}
