import { sha256Hex } from '../core/hash';
import type { EnvValue } from 'cdk8s-plus-27';
import { envVarNameViolation } from '../core/env-names';
import { ProblemDetails } from '../core/errors';
import { labelKeyViolation, nameViolation, NameRule } from '../core/names';
import { plain } from '../core/plain';
import { EnvFromSpec, VolumeMountSpec } from '../pod/container';
import { PodVolume } from '../pod/volume';
import { LabelSelectorSpec } from './label-selector';
import { PodInitializer, PodInitializerMatch, PodTarget } from './pod-initializer';
import { PodMutation, renderParts } from './pod-mutation';

/** Pod annotation that opts a pod out of every PodPreset. */
export const POD_PRESET_EXCLUDE_ANNOTATION = 'podpreset.admission.kubernetes.io/exclude';
/** Prefix of the annotation a PodPreset leaves on the pods it changed (`podpreset-<preset name>`). */
export const POD_PRESET_ANNOTATION_PREFIX = 'podpreset.admission.kubernetes.io/podpreset-';

/** Props of a `PodPresetInitializer`. */
export interface PodPresetInitializerProps extends PodInitializerMatch {
  /** The preset's name (DNS-1123 subdomain), as a PodPreset object's `metadata.name`. */
  readonly presetName: string;
  /** @default `<presetName>.podpreset.cdk8s-patterns.io` */
  readonly name?: string;
  /** Pods whose labels match (required, as in PodPreset; `{}` selects every pod). */
  readonly selector: LabelSelectorSpec;
  /** Variables set in every app container. @default - none */
  readonly env?: { [key: string]: string | EnvValue };
  /** ConfigMaps/Secrets whose keys become variables. @default - none */
  readonly envFrom?: EnvFromSpec[];
  /** Mounts added to every app container. @default - none */
  readonly mounts?: VolumeMountSpec[];
  /** Volumes added to the pod. @default - none */
  readonly volumes?: PodVolume[];
  /**
   * Also change init containers. The PodPreset documentation leaves them alone;
   * Kubernetes 1.14–1.19 patched them too.
   * @default false
   */
  readonly initContainers?: boolean;
}

/**
 * PodPreset semantics at synth time (the settings.k8s.io/v1alpha1 admission plugin was removed in
 * Kubernetes 1.20): pods selected by label get `env`, `envFrom` and `mounts` in every app container
 * and `volumes` in the pod. An identical entry is not duplicated; a differing entry with the same
 * name (or mount path) is a conflict. Changed pods carry `podpreset.admission.kubernetes.io/podpreset-<name>`
 * with a hash of the preset (where Kubernetes wrote the preset's resourceVersion), and pods annotated
 * `podpreset.admission.kubernetes.io/exclude: "true"` are skipped.
 */
export class PodPresetInitializer extends PodInitializer {
  /** Pod annotation that opts a pod out of every preset (`"true"`). */
  public static readonly EXCLUDE_ANNOTATION = POD_PRESET_EXCLUDE_ANNOTATION;
  /** Prefix of the annotation recording a preset applied to a pod (`<prefix><preset name>`). */
  public static readonly ANNOTATION_PREFIX = POD_PRESET_ANNOTATION_PREFIX;

  /** The preset's name. */
  public readonly presetName: string;
  private readonly props: PodPresetInitializerProps;

  constructor(props: PodPresetInitializerProps) {
    super({ ...props, name: props.name ?? `${props.presetName}.podpreset.cdk8s-patterns.io` });
    this.presetName = props.presetName;
    this.props = props;
  }

  public check(field: string): ProblemDetails[] {
    const out = super.check(field);
    const nameWhy = nameViolation(this.presetName, NameRule.DNS_SUBDOMAIN) ?? labelKeyViolation(this.annotation);
    if (nameWhy)
      out.push({
        field: `${field}.presetName`,
        rule: nameWhy,
        hint: 'at most 53 characters, so the annotation podpreset-<name> is a valid key',
      });
    for (const name of Object.keys(this.props.env ?? {})) {
      const why = envVarNameViolation(name);
      if (why) out.push({ field: `${field}.env.${name}`, rule: why });
    }
    (this.props.mounts ?? []).forEach((m, i) => {
      if (!m.path?.startsWith('/')) out.push({ field: `${field}.mounts[${i}].path`, rule: `mount path "${m.path}" must be absolute` });
    });
    (this.props.volumes ?? []).forEach((v, i) => {
      const why = nameViolation(v.name, NameRule.DNS_LABEL);
      if (why) out.push({ field: `${field}.volumes[${i}].name`, rule: why });
    });
    if (!this.props.env && !this.props.envFrom?.length && !this.props.mounts?.length && !this.props.volumes?.length) {
      out.push({ field, rule: 'a preset needs at least one of env, envFrom, mounts, volumes' });
    }
    return out;
  }

  public matches(target: PodTarget): boolean {
    return target.annotations[POD_PRESET_EXCLUDE_ANNOTATION] !== 'true' && super.matches(target);
  }

  public initialize(pod: PodMutation): void {
    const targets = { initContainers: this.props.initContainers ?? false };
    for (const v of this.props.volumes ?? []) pod.addVolume(v);
    for (const [name, value] of Object.entries(this.props.env ?? {})) pod.addEnv(name, value, targets);
    for (const e of this.props.envFrom ?? []) pod.addEnvFrom(e, targets);
    for (const m of this.props.mounts ?? []) pod.addMount(m, targets);
    pod.setAnnotation(this.annotation, this.hash());
  }

  private get annotation(): string {
    return `${POD_PRESET_ANNOTATION_PREFIX}${this.presetName}`;
  }

  /** Stands in for the resourceVersion Kubernetes recorded: it changes exactly when the preset does. */
  private hash(): string {
    const parts = renderParts({ env: this.props.env, envFrom: this.props.envFrom, mounts: this.props.mounts });
    const content = JSON.stringify(plain({ ...parts, volumes: (this.props.volumes ?? []).map((v) => v.toJson()) }));
    return sha256Hex(content, 10);
  }
}
