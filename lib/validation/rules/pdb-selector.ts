import { ObjectInfo } from '../context';
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

/**
 * PDB overlap: at most one PodDisruptionBudget selects a workload's pods. The eviction API refuses to
 * evict a pod that more than one budget covers ("This pod has more than one PodDisruptionBudget, which
 * the eviction subresource does not support": `EvictionREST.Create` in
 * pkg/registry/core/pod/storage/eviction.go, release-1.27), so `kubectl drain` hangs on it. Workloads
 * of the library get a budget by default, so a second, hand-written one is easy to add by mistake.
 */
export function checkBudgetOverlaps({ ctx, report }: RuleInput): void {
  const budgetsOf = new Map<ObjectInfo, ObjectInfo[]>();
  for (const o of ctx.objects) {
    if (o.kind !== 'PodDisruptionBudget' || o.group !== 'policy') continue;
    const sel = obj(o.json.spec?.selector);
    if (!sel) continue;
    for (const w of ctx.findWorkloads(o.namespace, obj(sel.matchLabels) ?? {}, sel)) {
      const list = budgetsOf.get(w);
      if (list) list.push(o);
      else budgetsOf.set(w, [o]);
    }
  }
  for (const [w, budgets] of budgetsOf) {
    for (const o of budgets.slice(1)) {
      report(
        o,
        ValidationRule.PDB_OVERLAP,
        'spec.selector',
        `selects the pods of ${w.ref}, which ${budgets[0].ref} also selects: the eviction API refuses to evict a pod covered by more than one budget, so node drains hang`,
        "keep one budget per workload: give the workload's `budget` (or `OptOut.because(...)` its default) instead of a second budget",
      );
    }
  }
}
