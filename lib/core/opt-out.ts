import { IConstruct } from 'constructs';
import { fail, ProblemDetails } from './errors';
import { ConstructState } from './state';

/**
 * Turns one of the library's production defaults off (a NetworkPolicy, a PodDisruptionBudget, the
 * read-only root filesystem, the config rollout hash...), with the reason. The reason is required and
 * is written on the object the default would have changed, as the annotation
 * `opt-out.cdk8s-patterns.io/<default>`, so a reviewer reads why in the YAML and in release review.
 *
 * @example
 * new WebService(chart, 'legacy', { ..., budget: OptOut.because('single-writer cache; drains may take it down') });
 */
export class OptOut {
  /** The annotation prefix: `opt-out.cdk8s-patterns.io/<default>: <reason>`. */
  public static readonly ANNOTATION_PREFIX = 'opt-out.cdk8s-patterns.io/';

  /** Opts out of a default for `reason` (checked to be a non-empty, one-line sentence where it is used). */
  public static because(reason: string): OptOut {
    return new OptOut(reason);
  }

  /** True for an `OptOut` (props that take a setting or an `OptOut`). */
  public static isOptOut(x: unknown): x is OptOut {
    return x instanceof OptOut;
  }

  private constructor(
    /** Why the default is off. */
    public readonly reason: string,
  ) {}

  /**
   * Checks the reason, as field `field` of `scope`.
   * @internal
   */
  public _check(scope: IConstruct, field: string): void {
    const why = optOutProblem(this, field);
    if (why) fail(scope, why.field, why.rule, why.hint);
  }
}

/** The problem of an opt-out whose reason is empty or spans lines, if `value` is one. */
export function optOutProblem(value: unknown, field: string): ProblemDetails | undefined {
  if (!OptOut.isOptOut(value)) return undefined;
  const reason = value.reason.trim();
  if (reason !== '' && !/[\r\n]/.test(reason)) return undefined;
  return { field, rule: 'an opt-out needs a reason on one line', hint: "OptOut.because('why this default does not fit')" };
}

/** The defaults a workload may have turned off: each name with the reason in force, asked at render. */
const sites = new ConstructState<Array<{ readonly name: string; readonly reason: () => string | undefined }>>();

/**
 * Records that the default `name` of the workload at `scope` may be turned off: `reason()`, asked at
 * render, is the reason in force (undefined: the default is on). The one way opt-outs reach the YAML,
 * whichever layer decides them (the workload, its pod template, its network policy).
 */
export function addOptOutSite(scope: IConstruct, name: string, reason: () => string | undefined): void {
  sites.getOrCreate(scope, () => []).push({ name, reason });
}

/** The `opt-out.cdk8s-patterns.io/<name>: <reason>` annotations of the workload at `scope`, for its main object. */
export function optOutAnnotationsOf(scope: IConstruct): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const site of sites.get(scope) ?? []) {
    const reason = site.reason();
    if (reason !== undefined) out[`${OptOut.ANNOTATION_PREFIX}${site.name}`] = reason;
  }
  return out;
}
