import { RuleInput } from '../findings';
import { obj } from '../json-path';
import { isDeclared } from '../policy';
import { describeSelector, mapMatches } from '../selectors';
import { ValidationRule } from '../rule';

/**
 * Service selector: a Service with a selector selects the pods of some workload in its namespace; a
 * Service whose selector matches nothing has no endpoints and fails silently at run time. Services
 * without a selector (ExternalName, manual Endpoints) are not checked.
 */
export function checkServiceSelectors({ ctx, report }: RuleInput): void {
  for (const o of ctx.objects) {
    if (o.kind !== 'Service' || o.group !== '') continue;
    const spec = obj(o.json.spec);
    const sel = obj(spec?.selector);
    if (spec?.type === 'ExternalName' || !sel || Object.keys(sel).length === 0) continue;
    const external = o.policy.external;
    if (isDeclared(external.services, o.namespace, o.name) || external.podLabels.some((labels) => mapMatches(sel, labels))) continue;
    if (ctx.findWorkload(o.namespace, sel)) continue;
    report(
      o,
      ValidationRule.SERVICE_SELECTOR,
      'spec.selector',
      `selects pods with ${describeSelector({ matchLabels: sel })}, but no workload in namespace "${o.namespace}" of the app has pods with these labels, so the Service would have no endpoints`,
      `fix the selector or the pod labels; if the pods are deployed outside the app, declare them: Validation.external(scope, { services: ['${o.name}'] })`,
    );
  }
}
