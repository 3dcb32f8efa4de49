import { ProblemDetails } from '../core/errors';

/** The cdk8s-plus major this library is built on and accepts objects of. */
const SUPPORTED_PLUS_MAJOR = 27;

/**
 * The cdk8s-plus major and class an object comes from, by its jsii type information
 * (`cdk8s-plus-33.Probe` → 33, `Probe`), or undefined for anything else.
 */
export function plusClassOf(value: unknown): { major: number; name: string } | undefined {
  const ctor = (value as { constructor?: Record<symbol, unknown> } | null | undefined)?.constructor;
  const rtti = ctor?.[Symbol.for('jsii.rtti')] as { fqn?: string } | undefined;
  const m = /^cdk8s-plus-(\d+)\.(.+)$/.exec(rtti?.fqn ?? '');
  return m ? { major: Number(m[1]), name: m[2] } : undefined;
}

/**
 * The problem of a cdk8s-plus object given where the library renders it through cdk8s-plus-27's
 * shape (`_toKube`) as an `expected` (`Probe`, `Handler`): one of another class is an error; one of
 * another major is accepted when it has that shape (its JSON is then the same), otherwise an error
 * that says which majors are supported. Anything that is not a cdk8s-plus object: undefined.
 */
export function plusObjectProblem(value: unknown, field: string, expected: string): ProblemDetails | undefined {
  const cls = plusClassOf(value);
  if (cls === undefined) return undefined;
  if (cls.name !== expected) {
    return {
      field,
      rule: `is a cdk8s-plus-${cls.major} ${cls.name}, not a ${expected} that renders like cdk8s-plus-${SUPPORTED_PLUS_MAJOR}'s`,
      hint: `pass a cdk8s-plus ${expected}`,
    };
  }
  if (cls.major === SUPPORTED_PLUS_MAJOR || typeof (value as { _toKube?: unknown })._toKube === 'function') return undefined;
  return {
    field,
    rule: `is a cdk8s-plus-${cls.major} object; this library is built on cdk8s-plus-${SUPPORTED_PLUS_MAJOR} and accepts objects of other majors only where their shape is the same`,
    hint: `use cdk8s-plus-${SUPPORTED_PLUS_MAJOR}'s class (see README, "Coexistence with cdk8s-plus")`,
  };
}
