import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, problemAt, ProblemDetails } from '../core/errors';
import { OptOut } from '../core/opt-out';
import { addChecks } from '../synth/pipeline';

/**
 * Throws at `scope` unless `value` is undefined or an integer in [min, max] (by default a non-negative
 * integer: replicas, counts, `...Seconds` fields); returns it.
 */
export function checkInt(scope: IConstruct, field: string, value: number | undefined, min = 0, max?: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    const range =
      max !== undefined ? `an integer from ${min} to ${max}` : min === 0 ? 'a non-negative integer' : `an integer of at least ${min}`;
    fail(scope, field, `must be ${range} (got ${value})`);
  }
  return value;
}

/**
 * A cdk8s `Duration` as whole seconds (Kubernetes' `...Seconds` fields are integers), at least `min`.
 * Throws at `scope` for a fractional or too small duration.
 */
export function secondsOf(scope: IConstruct, field: string, duration: Duration | undefined, min = 0): number | undefined {
  if (duration === undefined) return undefined;
  let seconds: number;
  try {
    seconds = duration.toSeconds();
  } catch {
    fail(scope, field, `must be a whole number of seconds (got ${duration.toHumanString()})`);
  }
  if (seconds < min) fail(scope, field, `must be at least ${min}s (got ${seconds}s)`);
  return seconds;
}

/**
 * A default that adds an object is decided when the workload is constructed; reports at synth an
 * app-wide opt-out (`optOut()`) that is in force by then, since it was set too late and the object stays.
 */
export function reportLateOptOut(scope: IConstruct, optOut: () => OptOut | undefined, problem: ProblemDetails): void {
  addChecks(scope, () => (optOut() ? [problemAt(scope, problem)] : []));
}
