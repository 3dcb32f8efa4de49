import { RuleInput } from '../findings';
import { obj } from '../json-path';
import { describeSelector, selectorMatches } from '../selectors';
import { ValidationRule } from '../rule';

/**
 * PDB selector: a PodDisruptionBudget selects the pods of some workload in its namespace; a budget that
 * selects nothing protects nothing, silently.
 */
export function checkBudgetSelectors({ ctx, report }: RuleInput): void {
  for (const o of ctx.objects) {
    if (o.kind !== 'PodDisruptionBudget' || o.group !== 'policy') continue;
    const sel = obj(o.json.spec?.selector);
    if (!sel) {
      report(
        o,
        ValidationRule.PDB_SELECTOR,
        'spec.selector',
        'is missing, so the budget selects no pod (an empty selector {} selects all pods of the namespace)',
        'set matchLabels to the pod labels of the workload it protects',
      );
      continue;
    }
    if (o.policy.external.podLabels.some((labels) => selectorMatches(sel, labels))) continue;
    if (ctx.findWorkload(o.namespace, obj(sel.matchLabels) ?? {}, sel)) continue;
    report(
      o,
      ValidationRule.PDB_SELECTOR,
      'spec.selector',
      `selects pods with ${describeSelector(sel)}, but no workload in namespace "${o.namespace}" of the app has pods with these labels, so the budget protects nothing`,
      "select the labels of the workload's pods; if the pods are deployed outside the app, declare them: Validation.external(scope, { podLabels: [...] })",
    );
  }
}
