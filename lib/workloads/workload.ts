import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { checkLabels } from '../core/names';

/**
 * The labels that select a workload's pods: the user's, or `app.kubernetes.io/name: <name>`.
 * Checked as label keys/values, and never empty (an empty selector selects every pod).
 */
export function selectorFor(scope: Construct, given: Record<string, string> | undefined, name: string): Record<string, string> {
  const labels = given ?? { 'app.kubernetes.io/name': name };
  if (Object.keys(labels).length === 0) fail(scope, 'selectorLabels', 'must not be empty: an empty selector matches every pod in the namespace');
  return { ...checkLabels(scope, 'selectorLabels', labels) };
}
