import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { labelKeyViolation, labelValueViolation } from '../core/names';

/** Throws unless `replicas` is undefined or a non-negative integer. */
export function checkReplicas(scope: Construct, field: string, replicas: number | undefined): void {
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    fail(scope, field, `must be a non-negative integer (got ${replicas})`);
  }
}

/**
 * The labels that select a workload's pods: the user's, or `app.kubernetes.io/name: <name>`.
 * Checked as label keys/values, and never empty (an empty selector selects every pod).
 */
export function selectorFor(scope: Construct, given: Record<string, string> | undefined, name: string): Record<string, string> {
  const labels = given ?? { 'app.kubernetes.io/name': name };
  const keys = Object.keys(labels);
  if (keys.length === 0) fail(scope, 'selectorLabels', 'must not be empty: an empty selector matches every pod in the namespace');
  for (const k of keys) {
    const why = labelKeyViolation(k) ?? labelValueViolation(labels[k]);
    if (why) fail(scope, `selectorLabels.${k}`, why);
  }
  return { ...labels };
}
