import { ProblemDetails } from '../core/errors';

/** One rule of a Role or ClusterRole, as a construct's props state it: these verbs on these resources. */
export interface PolicyRuleSpec {
  /** API groups of the resources (`''` is the core group, `'apps'`...). @default [''] (the core group) */
  readonly apiGroups?: string[];
  /** Resources (`pods`, `namespaces`, `pods/log`...). */
  readonly resources: string[];
  /** Verbs (`get`, `list`, `watch`...), checked against the verbs of each resource (typos are errors). */
  readonly verbs: string[];
  /** Verbs of an aggregated API or custom resource that are not Kubernetes verbs (not checked; see `Verbs.custom`). @default - none */
  readonly customVerbs?: string[];
  /** Only these objects. @default - all objects of the resources */
  readonly resourceNames?: string[];
}

/** Problems of rules; fields are relative to the prop that holds the list (`[0].verbs`). */
export function checkPolicyRules(rules: PolicyRuleSpec[]): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  rules.forEach((r, i) => {
    if (!r.resources?.length) out.push({ field: `[${i}].resources`, rule: 'must name at least one resource' });
    if (!r.verbs?.length) out.push({ field: `[${i}].verbs`, rule: 'must name at least one verb' });
    if (r.apiGroups?.length === 0)
      out.push({ field: `[${i}].apiGroups`, rule: 'an empty list matches no API group', hint: "use [''] for the core group" });
  });
  return out;
}
