import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

const UNITS: Array<[string, number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * A cdk8s `Duration` as a Prometheus duration string (`30s`, `1m30s`, `2h`, `1s500ms`): the format of
 * `interval`, `scrapeTimeout` and `for` in prometheus-operator's CRDs (pattern
 * `^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`).
 * Throws at `scope` for a duration that is not a whole number of milliseconds, or is zero when
 * `allowZero` is false.
 */
export function prometheusDuration(scope: IConstruct, field: string, d: Duration, allowZero = false): string {
  let ms: number;
  try {
    ms = d.toMilliseconds({ integral: true });
  } catch {
    fail(scope, field, `must be a whole number of milliseconds (got ${d.toHumanString()})`);
  }
  if (!Number.isSafeInteger(ms) || ms < 0) fail(scope, field, `must be a non-negative duration (got ${d.toHumanString()})`);
  if (ms === 0) {
    if (!allowZero) fail(scope, field, 'must be longer than zero');
    return '0s';
  }
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(ms / size);
    if (n > 0) out += `${n}${unit}`;
    ms -= n * size;
  }
  return out;
}
