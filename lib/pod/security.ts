/** The Pod Security Standards levels. @see https://kubernetes.io/docs/concepts/security/pod-security-standards/ */
export enum PodSecurityLevel {
  RESTRICTED = 'restricted',
  BASELINE = 'baseline',
  PRIVILEGED = 'privileged',
}

// The Pod Security Standards as of Kubernetes 1.27 (k8s.io/pod-security-admission, policy version v1.27),
// read by the validation rule and by the initializers that must not lower a pod's level.
const STRICTEST_FIRST = [PodSecurityLevel.RESTRICTED, PodSecurityLevel.BASELINE, PodSecurityLevel.PRIVILEGED];
/** Capabilities the baseline profile lets a container add (restricted: NET_BIND_SERVICE only). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
/** Volume types the restricted profile allows. */
export const RESTRICTED_VOLUMES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** True when `value` names a Pod Security level (`restricted`, `baseline`, `privileged`). */
export function isPodSecurityLevel(value: unknown): value is PodSecurityLevel {
  return STRICTEST_FIRST.includes(value as PodSecurityLevel);
}

/** True when `level` is stricter than `than` (restricted is stricter than baseline, baseline than privileged). */
export function isStricter(level: PodSecurityLevel, than: PodSecurityLevel): boolean {
  return STRICTEST_FIRST.indexOf(level) < STRICTEST_FIRST.indexOf(than);
}

/** Annotation on pod templates naming the Pod Security level they were built for. */
export const POD_SECURITY_ANNOTATION = 'cdk8s-patterns.io/pod-security';
/** Annotation on pod templates giving the reason for a level below restricted. */
export const POD_SECURITY_REASON_ANNOTATION = 'cdk8s-patterns.io/pod-security-reason';

/**
 * The Pod Security level a pod template is built for. `restricted` (the default) sets the secure
 * context fields the profile requires; a lower level must say why, and the reason is written into
 * the output as an annotation so reviewers see it.
 */
export class PodSecurity {
  /** Annotation on pod templates naming the Pod Security level they were built for. */
  public static readonly ANNOTATION = POD_SECURITY_ANNOTATION;
  /** Annotation on pod templates giving the reason for a level below restricted. */
  public static readonly REASON_ANNOTATION = POD_SECURITY_REASON_ANNOTATION;

  /** Meets the "restricted" profile: non-root, RuntimeDefault seccomp, no privilege escalation, all capabilities dropped. */
  public static restricted(): PodSecurity {
    return new PodSecurity(PodSecurityLevel.RESTRICTED);
  }

  /** Meets "baseline" only (e.g. an image that must start as root). */
  public static baseline(reason: string): PodSecurity {
    return new PodSecurity(PodSecurityLevel.BASELINE, reason);
  }

  /** No restrictions (host access, privileged containers: node agents). */
  public static privileged(reason: string): PodSecurity {
    return new PodSecurity(PodSecurityLevel.PRIVILEGED, reason);
  }

  private constructor(
    public readonly level: PodSecurityLevel,
    public readonly reason?: string,
  ) {}

  /** The pod-level securityContext defaults of this level. */
  public podContext(): Record<string, unknown> {
    switch (this.level) {
      case PodSecurityLevel.RESTRICTED:
        return { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
      case PodSecurityLevel.BASELINE:
        return { seccompProfile: { type: 'RuntimeDefault' } };
      default:
        return {};
    }
  }

  /** The container-level securityContext defaults of this level. */
  public containerContext(): Record<string, unknown> {
    switch (this.level) {
      case PodSecurityLevel.RESTRICTED:
        return { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
      case PodSecurityLevel.BASELINE:
        return { allowPrivilegeEscalation: false };
      default:
        return {};
    }
  }

  /** Pod template annotations recording this level (none for restricted, the default). */
  public annotations(): { [key: string]: string } {
    if (this.level === PodSecurityLevel.RESTRICTED) return {};
    return { [POD_SECURITY_ANNOTATION]: this.level, [POD_SECURITY_REASON_ANNOTATION]: this.reason ?? '' };
  }
}
