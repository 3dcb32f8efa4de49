import type { ObjectInfo, ValidationContext } from '../context';
import { Report, RuleInput } from '../findings';
import { arr, obj, str } from '../json-path';
import { isDeclared } from '../policy';
import { ValidationRule } from '../rule';

const RBAC = 'rbac.authorization.k8s.io';
/** ClusterRoles every cluster has: the user-facing ones and the `system:` ones. */
const PREDEFINED_CLUSTER_ROLES = new Set(['view', 'edit', 'admin', 'cluster-admin']);

/**
 * Binding refs: a RoleBinding's or ClusterRoleBinding's `roleRef` names a Role (same namespace; only from
 * a RoleBinding) or ClusterRole of the app, a predefined ClusterRole (view, edit, admin, cluster-admin,
 * system:*) or a role declared external; each ServiceAccount subject exists (its namespace, or the
 * RoleBinding's) or is declared external; subjects carry the apiGroup the API server requires.
 */
export function checkBindingRefs({ ctx, report }: RuleInput): void {
  for (const o of ctx.objects) {
    if (o.group !== RBAC || (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding')) continue;
    checkRoleRef(ctx, report, o);
    arr(o.json.subjects).forEach((s, i) => checkSubject(ctx, report, o, obj(s) ?? {}, i));
  }
}

function checkRoleRef(ctx: ValidationContext, report: Report, o: ObjectInfo): void {
  const ref = obj(o.json.roleRef);
  if (!ref) return; // a missing roleRef is a schema problem
  const at = (field: string, message: string, hint?: string) => report(o, ValidationRule.BINDING_REFS, field, message, hint);
  if (ref.apiGroup !== RBAC) at('roleRef.apiGroup', `must be "${RBAC}"`);
  const name = str(ref.name);
  if (!name) return;
  const declared = isDeclared(o.policy.external.roles, o.namespace, name);
  const hint = `add it to the app, or declare it: Validation.external(scope, { roles: ['${name}'] })`;
  if (ref.kind === 'Role') {
    if (o.kind === 'ClusterRoleBinding')
      at('roleRef.kind', 'a ClusterRoleBinding can only reference a ClusterRole', 'bind the Role with a RoleBinding in its namespace');
    else if (!declared && !ctx.find(RBAC, 'Role', o.namespace, name))
      at('roleRef.name', `Role "${name}" is not in namespace "${o.namespace}" of the app`, hint);
  } else if (ref.kind === 'ClusterRole') {
    const known = PREDEFINED_CLUSTER_ROLES.has(name) || name.startsWith('system:') || ctx.find(RBAC, 'ClusterRole', '', name);
    if (!known && !declared) at('roleRef.name', `ClusterRole "${name}" is neither in the app nor predefined`, hint);
  } else {
    at('roleRef.kind', `must be Role or ClusterRole (got ${JSON.stringify(ref.kind)})`);
  }
}

function checkSubject(ctx: ValidationContext, report: Report, o: ObjectInfo, s: Record<string, any>, i: number): void {
  const at = (field: string, message: string, hint?: string) =>
    report(o, ValidationRule.BINDING_REFS, `subjects[${i}].${field}`, message, hint);
  if (s.kind === 'ServiceAccount') {
    if (s.apiGroup !== undefined && s.apiGroup !== '') at('apiGroup', 'must be "" for a ServiceAccount subject');
    const name = str(s.name);
    const namespace = str(s.namespace) ?? (o.kind === 'RoleBinding' ? o.namespace : undefined);
    if (!namespace) {
      at('namespace', 'is required for a ServiceAccount subject of a ClusterRoleBinding');
    } else if (
      name &&
      name !== 'default' &&
      !ctx.find('', 'ServiceAccount', namespace, name) &&
      !isDeclared(o.policy.external.serviceAccounts, namespace, name)
    ) {
      at(
        'name',
        `ServiceAccount "${name}" is not in namespace "${namespace}" of the app, so the binding grants nothing`,
        `add it to the app, or declare it: Validation.external(scope, { serviceAccounts: ['${namespace}/${name}'] })`,
      );
    }
  } else if (s.kind === 'User' || s.kind === 'Group') {
    if (s.apiGroup !== RBAC) at('apiGroup', `must be "${RBAC}" for a ${s.kind} subject`);
  } else {
    at('kind', `must be ServiceAccount, User or Group (got ${JSON.stringify(s.kind)})`, 'set the subject kind');
  }
}
