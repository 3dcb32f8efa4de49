import { Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ProblemDetails } from '../core/errors';
import { Manifest } from '../core/manifest';

/** One rule of a ClusterRole: these verbs on these resources. */
export interface PolicyRuleSpec {
  /** API groups of the resources (`''` is the core group, `'apps'`...). @default [''] (the core group) */
  readonly apiGroups?: string[];
  /** Resources (`pods`, `namespaces`, `pods/log`...). */
  readonly resources: string[];
  /** Verbs (`get`, `list`, `watch`...). */
  readonly verbs: string[];
  /** Only these objects. @default - all objects of the resources */
  readonly resourceNames?: string[];
}

/** Props of `addClusterAccess`. */
export interface ClusterAccessProps {
  /** Name of the ClusterRole and of its ClusterRoleBinding. */
  readonly name: string;
  readonly rules: PolicyRuleSpec[];
  /** The ServiceAccount granted the rules. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
}

/** The objects `addClusterAccess` adds. */
export interface ClusterAccess {
  readonly clusterRole: Manifest;
  readonly clusterRoleBinding: Manifest;
}

/** Problems of rules; fields are relative to the prop. */
export function checkPolicyRules(rules: PolicyRuleSpec[]): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  rules.forEach((r, i) => {
    if (!r.resources?.length) out.push({ field: `[${i}].resources`, rule: 'must name at least one resource' });
    if (!r.verbs?.length) out.push({ field: `[${i}].verbs`, rule: 'must name at least one verb' });
    if (r.apiGroups?.length === 0) out.push({ field: `[${i}].apiGroups`, rule: 'an empty list matches no API group', hint: "use [''] for the core group" });
  });
  return out;
}

/**
 * Adds a ClusterRole with `rules` and a ClusterRoleBinding granting it to a ServiceAccount. The
 * binding's subject always carries the ServiceAccount's namespace (the API server rejects a
 * ServiceAccount subject without one). Both objects are cluster-scoped, so the chart's namespace
 * is not written on them.
 */
export function addClusterAccess(scope: Construct, props: ClusterAccessProps): ClusterAccess {
  const clusterRole = new Manifest(scope, 'ClusterRole', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: props.name },
    render: () => ({
      rules: props.rules.map((r) => ({ apiGroups: r.apiGroups ?? [''], resources: r.resources, verbs: r.verbs, resourceNames: r.resourceNames })),
    }),
  });
  const clusterRoleBinding = new Manifest(scope, 'ClusterRoleBinding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: props.name },
    render: () => ({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: props.name },
      subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace }],
    }),
  });
  if (Chart.of(scope).namespace) {
    for (const o of [clusterRole, clusterRoleBinding]) o.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return { clusterRole, clusterRoleBinding };
}
