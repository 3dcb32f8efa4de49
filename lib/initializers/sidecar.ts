import { ProblemDetails } from '../core/errors';
import { toYaml } from '../core/yaml';
import { PodSecurity } from '../pod/security';
import { nameViolation, NameRule } from '../core/names';
import { nonEmpty, plain } from '../core/plain';
import { checkContainer, ContainerRenderContext, ContainerSpec, renderContainer } from '../pod/container';
import { PodVolume } from '../pod/volume';
import { DEFAULT_WRITABLE_PATHS } from '../pod/writable-paths';
import { applyWritableRoot, WritableRoot } from '../pod/writable-root';
import { PodInitializer, PodInitializerProps } from './pod-initializer';
import { PodMutation } from './pod-mutation';

/** Props of a `SidecarTemplate`. */
export interface SidecarTemplateProps {
  /** Containers added after the pod's own (the sidecars). */
  readonly containers: ContainerSpec[];
  /** Init containers added after the pod's own. @default - none */
  readonly initContainers?: ContainerSpec[];
  /** Volumes the injected containers need. @default - none */
  readonly volumes?: PodVolume[];
}

/**
 * What a sidecar injection adds to a pod: containers, init containers and volumes (an Envoy-style
 * template). The same template drives the synth-time `SidecarInitializer` and the ConfigMap an
 * in-cluster `SidecarInjector` reads, so both inject the same thing.
 *
 * Its containers get a read-only root filesystem like every container the library renders: each
 * writes `/tmp` and its own `writablePaths` (emptyDir volumes `rw-<container>-<path>` added with the
 * template's), unless it opts out (`security.readOnlyRootFilesystem: OptOut.because(...)`). The
 * template does not read `PatternDefaults` (the injector's ConfigMap holds the same template for
 * every pod), so `PatternDefaults.writablePaths` and its app-wide opt-out do not apply to it.
 */
export class SidecarTemplate {
  /** The sidecar containers. */
  public readonly containers: ContainerSpec[];
  /** The init containers. */
  public readonly initContainers: ContainerSpec[];
  /** The volumes. */
  public readonly volumes: PodVolume[];
  private root?: { readonly key: string; readonly root: WritableRoot };

  constructor(props: SidecarTemplateProps) {
    this.containers = [...(props.containers ?? [])];
    this.initContainers = [...(props.initContainers ?? [])];
    this.volumes = [...(props.volumes ?? [])];
  }

  /**
   * The problems of the template; `field` is where it was given. Images must be pinned: a template runs in many pods.
   * @internal
   */
  public _check(field: string): ProblemDetails[] {
    const out: ProblemDetails[] = [];
    if (this.containers.length === 0 && this.initContainers.length === 0)
      out.push({ field, rule: 'a sidecar template needs at least one container' });
    const names = new Set<string>();
    const visit = (list: ContainerSpec[], kind: 'containers' | 'initContainers') =>
      list.forEach((c, i) => {
        out.push(...checkContainer(c, `${field}.${kind}[${i}]`, { init: kind === 'initContainers', allowLatestTag: false }));
        if (names.has(c.name))
          out.push({ field: `${field}.${kind}[${i}].name`, rule: `container name "${c.name}" is used twice in the template` });
        names.add(c.name);
      });
    visit(this.initContainers, 'initContainers');
    visit(this.containers, 'containers');
    const volumes = new Set<string>();
    this.volumes.forEach((v, i) => {
      const why = nameViolation(v.name, NameRule.DNS_LABEL);
      if (why) out.push({ field: `${field}.volumes[${i}].name`, rule: why });
      if (volumes.has(v.name)) out.push({ field: `${field}.volumes[${i}].name`, rule: `duplicate volume name "${v.name}"` });
      volumes.add(v.name);
    });
    return out;
  }

  /**
   * The template as YAML (`containers`, `initContainers`, `volumes`), with the containers' restricted
   * securityContext: what an in-cluster injector reads from its ConfigMap.
   */
  public toYaml(): string {
    return toYaml(this._render({ podContainerDefaults: PodSecurity.restricted().containerContext() }));
  }

  /** @internal */
  public _render(ctx: ContainerRenderContext): { [key: string]: any } {
    const root = this._writableRoot();
    return plain({
      containers: nonEmpty(root.containers.map((c) => renderContainer(c, ctx))),
      initContainers: nonEmpty(root.initContainers.map((c) => renderContainer(c, ctx))),
      volumes: nonEmpty([...this.volumes, ...root.volumes].map((v) => v.toJson())),
    });
  }

  /**
   * The containers with the read-only root filesystem, and the emptyDir volumes of their writable paths.
   * @internal
   */
  public _writableRoot(): WritableRoot {
    // asked for every pod the template is injected into: worked out again only when a list grew
    const key = `${this.initContainers.length}|${this.containers.length}|${this.volumes.length}`;
    if (this.root?.key !== key) {
      const root = applyWritableRoot(this.initContainers, this.containers, {
        defaultPaths: DEFAULT_WRITABLE_PATHS,
        takenNames: this.volumes.map((v) => v.name),
      });
      this.root = { key, root };
    }
    return this.root.root;
  }
}

/** Props of a `SidecarInitializer`. */
export interface SidecarInitializerProps extends PodInitializerProps {
  /** What to inject. */
  readonly template: SidecarTemplate;
}

/**
 * Injects a sidecar template into matching pods at synth time (Istio-style Envoy injection,
 * without a webhook in the cluster). Injected containers get the securityContext of the pod's Pod
 * Security level and `PatternDefaults` resources; a pod that already has a container or volume of
 * the same name with a different definition is a conflict.
 */
export class SidecarInitializer extends PodInitializer {
  /** The injected template. */
  public readonly template: SidecarTemplate;

  constructor(props: SidecarInitializerProps) {
    super(props);
    this.template = props.template;
  }

  public check(field: string): ProblemDetails[] {
    return [...super.check(field), ...this.template._check(`${field}.template`)];
  }

  public initialize(pod: PodMutation): void {
    const root = this.template._writableRoot();
    for (const v of [...this.template.volumes, ...root.volumes]) pod.addVolume(v);
    for (const c of root.initContainers) pod.addInitContainer(c);
    for (const c of root.containers) pod.addContainer(c);
  }
}
