import { RuleInput } from '../findings';
import { obj, str } from '../json-path';
import { isDeclared } from '../policy';
import { describeSelector, mapMatches } from '../selectors';
import { ValidationRule } from '../rule';

/**
 * StatefulSet service: `serviceName` names a headless Service (`clusterIP: None`) in the StatefulSet's
 * namespace that selects its pods; otherwise the pods get no stable DNS names. The API server does not
 * check this at create time.
 */
export function checkStatefulSetServices({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    if (o.kind !== 'StatefulSet' || o.group !== 'apps') continue;
    const name = str(o.json.spec?.serviceName);
    if (!name) continue; // a missing serviceName is a schema problem
    const svc = ctx.find('', 'Service', o.namespace, name);
    const at = 'spec.serviceName';
    if (!svc) {
      if (!isDeclared(o.policy.external.services, o.namespace, name)) {
        report(
          o,
          ValidationRule.STS_SERVICE,
          at,
          `names Service "${name}", which is not in namespace "${o.namespace}" of the app`,
          `add a headless Service "${name}" selecting the pods, or declare it: Validation.external(scope, { services: ['${name}'] })`,
        );
      }
      continue;
    }
    const spec = obj(svc.json.spec);
    if (spec?.clusterIP !== 'None') {
      report(
        o,
        ValidationRule.STS_SERVICE,
        at,
        `Service "${name}" is not headless, so the pods get no stable DNS names`,
        `set clusterIP: None on ${svc.obj.node.path}`,
      );
    }
    const sel = obj(spec?.selector);
    if (!sel || Object.keys(sel).length === 0) {
      report(
        o,
        ValidationRule.STS_SERVICE,
        at,
        `Service "${name}" has no selector, so it publishes no DNS records for the pods`,
        `give Service "${name}" a selector matching the pod labels`,
      );
    } else if (!mapMatches(sel, o.template!.labels)) {
      report(
        o,
        ValidationRule.STS_SERVICE,
        at,
        `Service "${name}" selects ${describeSelector({ matchLabels: sel })}, which does not match the StatefulSet's pods`,
        "select the StatefulSet's pod labels",
      );
    }
  }
}
