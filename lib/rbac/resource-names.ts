import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Registry, RenderedObject } from '../core/registry';
import { Warnings } from '../core/warnings';
import { isDeclared, ObjectPolicy, PolicyResolver } from '../validation/policy';
import { formatResource, ruleResource } from './resource';

/** Built-in resources (`group|plural`) whose objects an app commonly defines, with their kind. */
const KINDS: ReadonlyMap<string, string> = new Map([
  ['|configmaps', 'ConfigMap'],
  ['|secrets', 'Secret'],
  ['|services', 'Service'],
  ['|serviceaccounts', 'ServiceAccount'],
  ['|pods', 'Pod'],
  ['|persistentvolumeclaims', 'PersistentVolumeClaim'],
  ['|namespaces', 'Namespace'],
  ['apps|deployments', 'Deployment'],
  ['apps|statefulsets', 'StatefulSet'],
  ['apps|daemonsets', 'DaemonSet'],
  ['batch|jobs', 'Job'],
  ['batch|cronjobs', 'CronJob'],
  ['rbac.authorization.k8s.io|roles', 'Role'],
  ['rbac.authorization.k8s.io|rolebindings', 'RoleBinding'],
  ['rbac.authorization.k8s.io|clusterroles', 'ClusterRole'],
  ['rbac.authorization.k8s.io|clusterrolebindings', 'ClusterRoleBinding'],
  ['networking.k8s.io|ingresses', 'Ingress'],
  ['policy|poddisruptionbudgets', 'PodDisruptionBudget'],
]);

/**
 * Registers, once per app, the check that `resourceNames` of the app's Roles and ClusterRoles name
 * objects that exist when the app defines objects of that kind: a Role granting `get` on the
 * ConfigMap `setings` while the app defines the ConfigMap `settings` is a typo that grants nothing.
 * A warning (the object may be created outside the app), on the role.
 */
export function checkResourceNames(scope: IConstruct): void {
  const app = App.of(scope);
  Registry.addAppCheck(app, 'rbac-resource-names', { check: (objects) => warnUnknownNames(objects) });
}

/** The names `Validation.external` declares for `kind`, if it has a list. */
function externalNames(policy: ObjectPolicy, kind: string): ReadonlySet<string> | undefined {
  const e = policy.external;
  return kind === 'ConfigMap'
    ? e.configMaps
    : kind === 'Secret'
      ? e.secrets
      : kind === 'Service'
        ? e.services
        : kind === 'ServiceAccount'
          ? e.serviceAccounts
          : undefined;
}

const isRole = (json: any) => json?.apiVersion === 'rbac.authorization.k8s.io/v1' && (json.kind === 'Role' || json.kind === 'ClusterRole');

function warnUnknownNames(objects: RenderedObject[]): [] {
  // most apps grant no resourceNames: then there is nothing to index
  const roles = objects.filter(
    ({ json }) => isRole(json) && (Array.isArray(json.rules) ? json.rules : []).some((r: any) => Array.isArray(r?.resourceNames)),
  );
  if (roles.length === 0) return [];
  const policies = new PolicyResolver();
  const names = new Map<string, Set<string>>(); // kind → `namespace/name` and `*/name`
  for (const { json } of objects) {
    const kind = json?.kind;
    const name = json?.metadata?.name;
    if (typeof kind !== 'string' || typeof name !== 'string') continue;
    let set = names.get(kind);
    if (!set) names.set(kind, (set = new Set()));
    set.add(`${json.metadata.namespace ?? ''}/${name}`);
    set.add(`${json.metadata.namespace ?? ''}/*`); // the namespace has objects of this kind
    set.add(`*/${name}`);
  }
  for (const { obj, json } of roles) {
    const namespace = json.kind === 'Role' ? (json.metadata?.namespace ?? '') : '*';
    (Array.isArray(json.rules) ? json.rules : []).forEach((rule: any, i: number) => {
      if (!Array.isArray(rule?.resourceNames)) return;
      for (const group of Array.isArray(rule.apiGroups) ? rule.apiGroups : []) {
        for (const resource of Array.isArray(rule.resources) ? rule.resources : []) {
          const kind = KINDS.get(`${group}|${String(resource).split('/')[0]}`);
          const known = kind ? names.get(kind) : undefined;
          if (!kind || !known) continue;
          const ns = ruleResource(group, String(resource)).namespaced ? namespace : '';
          // a Role is compared with the objects of its namespace, and only if the app puts some of that kind there
          if (ns !== '*' && !known.has(`${ns}/*`)) continue;
          const external = externalNames(policies.of(obj), kind);
          for (const n of rule.resourceNames) {
            if (known.has(`${ns}/${n}`) || (ns === '*' && known.has(`*/${n}`))) continue;
            if (external && isDeclared(external, ns === '*' ? '' : ns, n)) continue;
            Warnings.add(
              obj,
              `[rbac-resource-names] ${json.kind}/${json.metadata?.name} rules[${i}].resourceNames: ${formatResource(group, resource)} "${n}" is not in the app${ns && ns !== '*' ? ` (namespace "${ns}")` : ''}, which defines other ${kind}s there: a typo grants nothing (if it is created outside the app, declare it: Validation.external(scope, { ... }))`,
            );
          }
        }
      }
    });
  }
  return [];
}
