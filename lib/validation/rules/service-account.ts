import { isPlainRendered } from '../../core/manifest';
import { TOKEN_MOUNT_REASON_ANNOTATION } from '../../pod/pod-template';
import type { ObjectInfo } from '../context';
import { RuleInput } from '../findings';
import { str } from '../json-path';
import { enforcesPolicy, isDeclared, isPlusWorkload, reportPolicyFinding } from '../policy';
import { ValidationRule } from '../rule';

/** The ServiceAccount a pod runs as. */
function serviceAccountOf(o: ObjectInfo): string {
  const spec = o.template!.spec;
  return str(spec.serviceAccountName) ?? str(spec.serviceAccount) ?? 'default';
}

/**
 * Service account: a pod's ServiceAccount (other than the namespace's `default`) exists in its namespace
 * in the app or is declared external; the API server rejects pods whose ServiceAccount is missing.
 */
export function checkServiceAccounts({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    const name = serviceAccountOf(o);
    if (name === 'default' || ctx.find('', 'ServiceAccount', o.namespace, name)) continue;
    if (isDeclared(o.policy.external.serviceAccounts, o.namespace, name)) continue;
    report(
      o,
      ValidationRule.SERVICE_ACCOUNT,
      `${o.template!.specPath}.serviceAccountName`,
      `ServiceAccount "${name}" is not in namespace "${o.namespace}" of the app, so the pods would be rejected`,
      `add it to the app, or declare it: Validation.external(scope, { serviceAccounts: ['${name}'] })`,
    );
  }
}

/**
 * Token automount: a pod gets its ServiceAccount's API token only when some binding in the app grants
 * that ServiceAccount a role (or the ServiceAccount is declared external: its grants live elsewhere).
 * The token is mounted unless the pod, or else its ServiceAccount, says `automountServiceAccountToken: false`.
 * A pod template whose `cdk8s-patterns.io/token-mount-reason` annotation says why (`tokenMountReason`)
 * is not reported. A warning on objects the library did not create (`reportPolicyFinding`).
 */
export function checkTokenAutomount({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    const spec = o.template!.spec;
    const name = serviceAccountOf(o);
    const sa = ctx.find('', 'ServiceAccount', o.namespace, name);
    const mounts = spec.automountServiceAccountToken ?? sa?.json.automountServiceAccountToken ?? true;
    const reason = o.template!.annotations[TOKEN_MOUNT_REASON_ANNOTATION];
    if (typeof reason === 'string' && reason.trim() !== '') continue;
    if (mounts === false || ctx.isGranted(o.namespace, name) || isDeclared(o.policy.external.serviceAccounts, o.namespace, name)) continue;
    const fix = isPlainRendered(o.obj)
      ? 'grant the ServiceAccount the access the pods need (Access.forWorkload)'
      : isPlusWorkload(o.obj)
        ? 'automountServiceAccountToken: false in the cdk8s-plus props, or grant the ServiceAccount the access the pods need'
        : `set automountServiceAccountToken: false, grant the ServiceAccount the access the pods need, or give the reason as the pod template annotation ${TOKEN_MOUNT_REASON_ANNOTATION}`;
    reportPolicyFinding(
      report,
      o,
      enforcesPolicy(o.obj),
      ValidationRule.TOKEN_AUTOMOUNT,
      `${o.template!.specPath}.automountServiceAccountToken`,
      `the pods get an API token of ServiceAccount "${name}", but no binding in the app grants it any access`,
      `${fix}; or Validation.suppress(obj, ValidationRule.TOKEN_AUTOMOUNT, 'why')`,
    );
  }
}
