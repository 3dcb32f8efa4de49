import { ProblemDetails } from '../core/errors';
import { PodSecurityLevel } from '../pod/security';
import { PodInitializer, PodInitializerOptions } from './pod-initializer';
import { PodMutation } from './pod-mutation';

/** Props of a `PodHardeningInitializer`. */
export interface PodHardeningInitializerProps extends PodInitializerOptions {
  /** @default 'hardening.initializers.cdk8s-patterns.io' */
  readonly name?: string;
  /**
   * Images that must run as root (`'postgres'` matches every tag and digest of it; `'postgres:16'` that
   * tag): their containers keep running as root, so their pods are not given `runAsNonRoot` and stay
   * below "restricted" (reported).
   * @default - none
   */
  readonly rootImages?: string[];
}

/**
 * Brings every pod template it matches — this library's, cdk8s-plus-27's (which cannot express a
 * capabilities drop or a seccomp profile), L1, raw and `Include`d — up to Pod Security "restricted"
 * where that is safe: each container gets `allowPrivilegeEscalation: false` and drops ALL capabilities,
 * the pod gets seccomp `RuntimeDefault` and `runAsNonRoot: true` (fields already set are kept).
 *
 * It reports on the pod template itself, in two annotations: `hardening.cdk8s-patterns.io/changed`
 * (what it set) and `hardening.cdk8s-patterns.io/skipped` (what it could not change: host namespaces,
 * hostPath volumes and privileged containers — the pod is then left as it is —, containers that run as
 * root by declaration or by `rootImages`, extra capabilities). What stays below "restricted" is still
 * reported by validation. Pods declared below restricted (`PodSecurity.baseline(...)`, the annotation)
 * are left alone.
 *
 * It does not make root filesystems read-only, as the library's own pod templates are: it cannot know
 * the paths an image writes, and "restricted" does not require it.
 *
 * ```ts
 * new PodInitializers(app, 'hardening', { initializers: [new PodHardeningInitializer()] });
 * ```
 */
export class PodHardeningInitializer extends PodInitializer {
  /** Annotation listing what the initializer changed on a pod template. */
  public static readonly CHANGED_ANNOTATION = 'hardening.cdk8s-patterns.io/changed';
  /** Annotation listing what it could not change. */
  public static readonly SKIPPED_ANNOTATION = 'hardening.cdk8s-patterns.io/skipped';

  private readonly rootImages: string[];

  constructor(props: PodHardeningInitializerProps = {}) {
    super({ ...props, name: props.name ?? 'hardening.initializers.cdk8s-patterns.io' });
    this.rootImages = [...(props.rootImages ?? [])];
  }

  public check(field: string): ProblemDetails[] {
    const out = super.check(field);
    this.rootImages.forEach((image, i) => {
      if (typeof image !== 'string' || image.trim() === '' || /\s/.test(image))
        out.push({ field: `${field}.rootImages[${i}]`, rule: `"${image}" is not an image reference` });
    });
    return out;
  }

  public initialize(pod: PodMutation): void {
    if (pod.podSecurity !== PodSecurityLevel.RESTRICTED) return;
    const { changed, skipped } = pod._harden(this.rootImages);
    if (changed.length > 0) pod.setAnnotation(PodHardeningInitializer.CHANGED_ANNOTATION, changed.join('; '));
    if (skipped.length > 0) pod.setAnnotation(PodHardeningInitializer.SKIPPED_ANNOTATION, skipped.join('; '));
  }
}
