import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, ProblemDetails } from './errors';

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
   * Checks the reason (field `field` of `scope`) and writes it on `obj` as
   * `opt-out.cdk8s-patterns.io/<name>`.
   * @internal
   */
  public _record(scope: IConstruct, field: string, obj: ApiObject, name: string): void {
    this._check(scope, field);
    obj.metadata.addAnnotation(`${OptOut.ANNOTATION_PREFIX}${name}`, this.reason.trim());
  }

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
