import type { DeploymentStrategy, PercentOrAbsolute } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';

/**
 * A number of pods, absolute or relative to the desired count: `1`, `'25%'`, or a cdk8s-plus
 * `PercentOrAbsolute` (`PercentOrAbsolute.percent(25)`). Rendered as Kubernetes' IntOrString.
 */
export type PodCount = number | string | PercentOrAbsolute;

const PERCENT = /^(\d+)%$/;

/** The IntOrString value of a `PodCount` (cdk8s-plus `PercentOrAbsolute` holds it in `.value`). */
function valueOf(count: PodCount | undefined): number | string | undefined {
  return typeof count === 'object' && count !== null ? count.value : count;
}

/** The problem with a count, if it is neither a non-negative integer nor a whole percentage (at most 100% when `max100`). */
function countProblem(value: number | string, max100: boolean): string | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0
      ? undefined
      : `must be a non-negative integer or a whole percentage such as "25%" (got ${value})`;
  }
  const m = PERCENT.exec(value);
  if (!m) return `must be a non-negative integer or a whole percentage such as "25%" (got "${value}")`;
  if (max100 && Number(m[1]) > 100) return `must not be more than 100% (got "${value}")`;
  return undefined;
}

function isZero(value: number | string): boolean {
  return value === 0 || value === '0%';
}

/** Options of `DeploymentUpdateStrategy.rollingUpdate`. */
export interface DeploymentRollingUpdateOptions {
  /** Pods created above the desired count during a rollout. @default '25%' (Kubernetes' default) */
  readonly maxSurge?: PodCount;
  /** Pods that may be unavailable during a rollout (at most 100%). @default '25%' (Kubernetes' default) */
  readonly maxUnavailable?: PodCount;
}

/**
 * How a Deployment replaces its pods when the template changes. Also built from a cdk8s-plus
 * `DeploymentStrategy` with `fromPlus`.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
 */
export class DeploymentUpdateStrategy {
  /**
   * Replace pods gradually: at most `maxSurge` extra pods and `maxUnavailable` missing pods at any
   * time. They cannot both be 0 (the rollout could never make progress).
   */
  public static rollingUpdate(options: DeploymentRollingUpdateOptions = {}): DeploymentUpdateStrategy {
    return new DeploymentUpdateStrategy('RollingUpdate', valueOf(options.maxSurge), valueOf(options.maxUnavailable));
  }

  /** Kill every old pod before creating new ones (no two versions ever run together; downtime). */
  public static recreate(): DeploymentUpdateStrategy {
    return new DeploymentUpdateStrategy('Recreate');
  }

  /** The same strategy as a cdk8s-plus `DeploymentStrategy`. */
  public static fromPlus(strategy: DeploymentStrategy): DeploymentUpdateStrategy {
    const kube = (strategy as any)._toKube();
    const ru = kube.rollingUpdate ?? {};
    return new DeploymentUpdateStrategy(kube.type, valueOf(ru.maxSurge), valueOf(ru.maxUnavailable));
  }

  private constructor(
    public readonly type: 'RollingUpdate' | 'Recreate',
    public readonly maxSurge?: number | string,
    public readonly maxUnavailable?: number | string,
  ) {}

  /** Problems of this strategy; fields are relative to the prop that holds it. */
  /** @internal */
  public _check(): ProblemDetails[] {
    const out: ProblemDetails[] = [];
    const surgeWhy = this.maxSurge !== undefined ? countProblem(this.maxSurge, false) : undefined;
    const unavailableWhy = this.maxUnavailable !== undefined ? countProblem(this.maxUnavailable, true) : undefined;
    if (surgeWhy) out.push({ field: 'maxSurge', rule: surgeWhy });
    if (unavailableWhy) out.push({ field: 'maxUnavailable', rule: unavailableWhy });
    if (
      out.length === 0 &&
      this.maxSurge !== undefined &&
      this.maxUnavailable !== undefined &&
      isZero(this.maxSurge) &&
      isZero(this.maxUnavailable)
    ) {
      out.push({
        field: 'rollingUpdate',
        rule: 'maxSurge and maxUnavailable are both 0, so a rollout could never replace a pod (Kubernetes rejects it)',
        hint: 'allow one extra pod (maxSurge: 1) or one missing pod (maxUnavailable: 1)',
      });
    }
    return out;
  }

  /** The `spec.strategy` JSON. */
  /** @internal */
  public _toJson(): { [key: string]: any } {
    const rollingUpdate =
      this.maxSurge !== undefined || this.maxUnavailable !== undefined
        ? { maxSurge: this.maxSurge, maxUnavailable: this.maxUnavailable }
        : undefined;
    return { type: this.type, rollingUpdate };
  }
}

/** Options of `DaemonUpdateStrategy.rollingUpdate`. Exactly one of the two may be non-zero. */
export interface DaemonRollingUpdateOptions {
  /** Nodes whose agent may be down at once during a rollout. @default 1 (Kubernetes' default), or 0 when `maxSurge` is set */
  readonly maxUnavailable?: PodCount;
  /**
   * Nodes that may run an old and a new agent side by side during a rollout (the new one starts
   * before the old one stops; needs `maxUnavailable` 0, which is then written for you).
   * @default 0
   */
  readonly maxSurge?: PodCount;
}

/**
 * How a DaemonSet replaces its pods when the template changes.
 * @see https://kubernetes.io/docs/tasks/manage-daemon/update-daemon-set/
 */
export class DaemonUpdateStrategy {
  /**
   * Replace the agent node by node. Kubernetes requires exactly one of `maxUnavailable` and
   * `maxSurge` to be non-zero; since `maxUnavailable` defaults to 1 on the server, a surge
   * strategy is written with an explicit `maxUnavailable: 0`.
   */
  public static rollingUpdate(options: DaemonRollingUpdateOptions = {}): DaemonUpdateStrategy {
    return new DaemonUpdateStrategy('RollingUpdate', valueOf(options.maxUnavailable), valueOf(options.maxSurge));
  }

  /** Replace an agent only when its pod is deleted by hand. */
  public static onDelete(): DaemonUpdateStrategy {
    return new DaemonUpdateStrategy('OnDelete');
  }

  private constructor(
    public readonly type: 'RollingUpdate' | 'OnDelete',
    public readonly maxUnavailable?: number | string,
    public readonly maxSurge?: number | string,
  ) {}

  /** `maxUnavailable` as written: 0 when a non-zero surge is asked for without it. */
  private get effectiveMaxUnavailable(): number | string | undefined {
    if (this.maxUnavailable === undefined && this.maxSurge !== undefined && !isZero(this.maxSurge)) return 0;
    return this.maxUnavailable;
  }

  /** Problems of this strategy; fields are relative to the prop that holds it. */
  /** @internal */
  public _check(): ProblemDetails[] {
    const out: ProblemDetails[] = [];
    for (const [field, value] of [
      ['maxUnavailable', this.maxUnavailable],
      ['maxSurge', this.maxSurge],
    ] as const) {
      const why = value !== undefined ? countProblem(value, true) : undefined;
      if (why) out.push({ field, rule: why });
    }
    if (out.length > 0 || this.type !== 'RollingUpdate') return out;
    const unavailable = this.effectiveMaxUnavailable ?? 1;
    const surge = this.maxSurge ?? 0;
    if (!isZero(unavailable) && !isZero(surge)) {
      out.push({
        field: 'rollingUpdate',
        rule: `maxUnavailable (${unavailable}) and maxSurge (${surge}) are both non-zero; Kubernetes requires exactly one of them to be non-zero`,
        hint: 'surge (maxSurge: 1, maxUnavailable: 0) or replace in place (maxUnavailable: 1)',
      });
    } else if (isZero(unavailable) && isZero(surge)) {
      out.push({
        field: 'rollingUpdate',
        rule: 'maxUnavailable and maxSurge are both 0, so a rollout could never replace an agent; Kubernetes requires exactly one of them to be non-zero',
        hint: 'maxUnavailable: 1 (replace in place) or maxSurge: 1 (start the new agent first)',
      });
    }
    return out;
  }

  /** The `spec.updateStrategy` JSON. */
  /** @internal */
  public _toJson(): { [key: string]: any } {
    const maxUnavailable = this.effectiveMaxUnavailable;
    const rollingUpdate =
      maxUnavailable !== undefined || this.maxSurge !== undefined ? { maxUnavailable, maxSurge: this.maxSurge } : undefined;
    return { type: this.type, rollingUpdate };
  }
}
