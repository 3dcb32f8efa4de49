import { ProblemDetails } from '../core/errors';

/** The cdk8s-plus major this library is built on and accepts objects of. */
export const SUPPORTED_PLUS_MAJOR = 27;

/**
 * The cdk8s-plus major an object comes from, by its jsii type information (`cdk8s-plus-33.Probe` → 33),
 * or undefined for anything else.
 */
export function plusMajorOf(value: unknown): number | undefined {
  const ctor = (value as { constructor?: Record<symbol, unknown> } | null | undefined)?.constructor;
  const rtti = ctor?.[Symbol.for('jsii.rtti')] as { fqn?: string } | undefined;
  const m = /^cdk8s-plus-(\d+)\./.exec(rtti?.fqn ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The problem of a cdk8s-plus object of another major given where the library renders it through
 * cdk8s-plus-27's shape (`_toKube`): accepted when it has that shape (its JSON is then the same),
 * otherwise an error that says which majors are supported.
 */
export function plusObjectProblem(value: unknown, field: string): ProblemDetails | undefined {
  const major = plusMajorOf(value);
  if (major === undefined || major === SUPPORTED_PLUS_MAJOR) return undefined;
  if (typeof (value as { _toKube?: unknown })._toKube === 'function') return undefined;
  return {
    field,
    rule: `is a cdk8s-plus-${major} object; this library is built on cdk8s-plus-${SUPPORTED_PLUS_MAJOR} and accepts objects of other majors only where their shape is the same`,
    hint: `use cdk8s-plus-${SUPPORTED_PLUS_MAJOR}'s class (see README, "Coexistence with cdk8s-plus")`,
  };
}
