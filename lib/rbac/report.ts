import { failOutsideConstruct } from '../core/errors';
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatResource } from './resource';
import { PolicyRuleJson } from './rules';
import { isPodWorkload } from '../pod/workload';
import { Subject, SubjectKind, SubjectLike } from './subject';
import { sortVerbs } from './verbs';

/**
 * One thing a subject may do: `verb` on `resource` (kubectl's notation: `pods`, `deployments.apps`,
 * `pods/log`, or a non-resource URL such as `/healthz`), optionally only on the object `resourceName`,
 * in `namespace` (`'*'`: every namespace and cluster-scoped objects; `''`: the namespace the objects
 * are applied to, when the chart sets none). A role whose rules are not in the app (`view`, an
 * external role) appears as `{ namespace, role: 'ClusterRole/view' }` instead of verb and resource.
 */
export interface Permission {
  readonly namespace: string;
  readonly verb?: string;
  readonly resource?: string;
  readonly resourceName?: string;
  readonly role?: string;
}

/** A subject and everything it may do. */
export interface SubjectPermissions {
  /** `ServiceAccount mynamespace/example-sa`, `User jane`, `Group devs`. */
  readonly subject: string;
  readonly permissions: Permission[];
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount']);

interface BindingJson {
  readonly kind: string;
  readonly namespace: string;
  readonly roleRef: { kind: string; name: string };
  readonly subjects: Array<{ kind: string; name: string; namespace: string }>;
}

/** The RBAC objects of an app, as rendered (ours, cdk8s-plus's, raw ApiObjects alike). */
class RbacModel {
  public readonly bindings: BindingJson[] = [];
  public readonly serviceAccounts: Subject[] = [];
  private readonly roles = new Map<
    string,
    { rules: PolicyRuleJson[]; labels: { [key: string]: string }; selectors?: Array<{ [key: string]: string }> }
  >();

  constructor(app: IConstruct) {
    for (const c of app.node.findAll()) {
      if (!(c instanceof ApiObject) || !RBAC_KINDS.has(c.kind)) continue;
      const json = c.toJson();
      const namespace: string = json.metadata?.namespace ?? '';
      const name: string = json.metadata?.name;
      if (json.kind === 'ServiceAccount') {
        this.serviceAccounts.push(Subject.serviceAccount(name, namespace || undefined));
      } else if (json.kind === 'Role' || json.kind === 'ClusterRole') {
        const selectors = json.aggregationRule?.clusterRoleSelectors?.map((s: any) => s.matchLabels ?? {});
        this.roles.set(roleKey(json.kind, namespace, name), { rules: json.rules ?? [], labels: json.metadata?.labels ?? {}, selectors });
      } else {
        this.bindings.push({
          kind: json.kind,
          namespace: json.kind === 'RoleBinding' ? namespace : '*',
          roleRef: json.roleRef,
          subjects: (json.subjects ?? []).map((s: any) => ({
            kind: s.kind,
            name: s.name,
            namespace: s.kind === 'ServiceAccount' ? (s.namespace ?? namespace) : '',
          })),
        });
      }
    }
  }

  /** The rules of a role in the app (an aggregated ClusterRole: those of the roles it selects), or undefined. */
  public rulesOf(kind: string, namespace: string, name: string): PolicyRuleJson[] | undefined {
    const role = this.roles.get(roleKey(kind, namespace, name));
    if (!role?.selectors) return role?.rules;
    const matches = (labels: { [key: string]: string }) =>
      role.selectors!.some((sel) => Object.entries(sel).every(([k, v]) => labels[k] === v));
    return [...this.roles.entries()]
      .filter(([key, r]) => key.startsWith('ClusterRole|') && key !== roleKey(kind, namespace, name) && matches(r.labels))
      .flatMap(([, r]) => r.rules);
  }
}

function roleKey(kind: string, namespace: string, name: string): string {
  return `${kind}|${kind === 'ClusterRole' ? '' : namespace}|${name}`;
}

/** The identities a request of `subject` carries: itself and the groups the API server adds. */
function identities(s: Subject): string[] {
  const own = identity(s.kind, s.name, s.namespace ?? '');
  const authenticated = identity(SubjectKind.GROUP, 'system:authenticated', '');
  if (s.kind === SubjectKind.GROUP) return [own];
  if (s.kind === SubjectKind.USER) return [own, authenticated];
  return [
    own,
    authenticated,
    identity(SubjectKind.GROUP, 'system:serviceaccounts', ''),
    identity(SubjectKind.GROUP, `system:serviceaccounts:${s.namespace ?? ''}`, ''),
  ];
}

function identity(kind: string, name: string, namespace: string): string {
  return `${kind}|${namespace}|${name}`;
}

function permissionsIn(model: RbacModel, subject: Subject): Permission[] {
  const ids = new Set(identities(subject));
  const found = new Map<string, Permission>();
  const add = (p: Permission) => found.set(JSON.stringify([p.namespace, p.resource, p.resourceName, p.verb, p.role]), p);
  for (const b of model.bindings) {
    if (!b.subjects.some((s) => ids.has(identity(s.kind, s.name, s.namespace)))) continue;
    const rules = model.rulesOf(b.roleRef.kind, b.namespace, b.roleRef.name);
    if (!rules) {
      add({ namespace: b.namespace, role: `${b.roleRef.kind}/${b.roleRef.name}` });
      continue;
    }
    for (const rule of rules) {
      for (const verb of rule.verbs) {
        // non-resource URLs only take effect through a ClusterRoleBinding
        if (b.kind === 'ClusterRoleBinding') for (const url of rule.nonResourceURLs ?? []) add({ namespace: '*', verb, resource: url });
        for (const group of rule.apiGroups ?? []) {
          for (const res of rule.resources ?? []) {
            const resource = formatResource(group, res);
            if (rule.resourceNames?.length)
              for (const resourceName of rule.resourceNames) add({ namespace: b.namespace, verb, resource, resourceName });
            else add({ namespace: b.namespace, verb, resource });
          }
        }
      }
    }
  }
  return sortPermissions([...found.values()]);
}

function sortPermissions(list: Permission[]): Permission[] {
  const verbRank = new Map(sortVerbs(new Set(list.map((p) => p.verb ?? ''))).map((v, i) => [v, i]));
  const cmp = (a?: string, b?: string) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  return list.sort(
    (a, b) =>
      cmp(a.namespace, b.namespace) ||
      cmp(a.role, b.role) ||
      cmp(a.resource, b.resource) ||
      cmp(a.resourceName, b.resourceName) ||
      verbRank.get(a.verb ?? '')! - verbRank.get(b.verb ?? '')!,
  );
}

/** What the RBAC objects of an app grant, subject by subject. */
export class PermissionReport {
  /**
   * Everything `subject` may do according to the RBAC objects of its app (or of `scope`'s app), including
   * grants to the groups it belongs to (`system:serviceaccounts[:<ns>]`, `system:authenticated`) and the
   * rules aggregated into ClusterRoles. A workload never granted API access has none (its pods carry no token).
   * Sorted by namespace, resource, object name, verb.
   */
  public static of(subject: SubjectLike, scope?: IConstruct): Permission[] {
    const resolved = isPodWorkload(subject) ? Subject.ofWorkload(subject, false) : Subject.of(subject);
    if (!resolved) return [];
    const root = scope ?? (subject as unknown as IConstruct);
    if (!root?.node)
      failOutsideConstruct('PermissionReport.of', 'scope', `the permissions of ${resolved} need a construct of its app as second argument`);
    return permissionsIn(new RbacModel(App.of(root)), resolved);
  }

  /** Every subject bound in the app, and every ServiceAccount of it, with its permissions; sorted by subject. */
  public static forApp(scope: IConstruct): SubjectPermissions[] {
    const model = new RbacModel(App.of(scope));
    const subjects = new Map<string, Subject>();
    for (const sa of model.serviceAccounts) subjects.set(sa.toString(), sa);
    for (const b of model.bindings) {
      for (const s of b.subjects) {
        const subject =
          s.kind === SubjectKind.SERVICE_ACCOUNT
            ? Subject.serviceAccount(s.name, s.namespace || undefined)
            : s.kind === SubjectKind.USER
              ? Subject.user(s.name)
              : Subject.group(s.name);
        subjects.set(subject.toString(), subject);
      }
    }
    return [...subjects.keys()].sort().map((key) => ({ subject: key, permissions: permissionsIn(model, subjects.get(key)!) }));
  }

  /**
   * The report as text, one block per subject and one line per namespace and resource:
   *
   *     ServiceAccount mynamespace/example-sa
   *       mynamespace  pods                  get, list, watch
   *       mynamespace  configmaps my-config  get
   */
  public static format(scope: IConstruct): string {
    const lines: string[] = [];
    for (const { subject, permissions } of PermissionReport.forApp(scope)) {
      lines.push(subject);
      const rows = new Map<string, { where: string; what: string; verbs: string[] }>();
      for (const p of permissions) {
        const where = p.namespace === '*' ? '(cluster)' : p.namespace === '' ? '(applied namespace)' : p.namespace;
        const what = p.role ? `all of ${p.role}` : `${p.resource}${p.resourceName ? ` ${p.resourceName}` : ''}`;
        const key = `${where}\u0000${what}`;
        const row = rows.get(key) ?? { where, what, verbs: [] };
        if (p.verb) row.verbs.push(p.verb);
        rows.set(key, row);
      }
      if (rows.size === 0) lines.push('  (no permissions)');
      const w1 = Math.max(0, ...[...rows.values()].map((r) => r.where.length));
      const w2 = Math.max(0, ...[...rows.values()].map((r) => r.what.length));
      for (const r of rows.values()) lines.push(`  ${r.where.padEnd(w1)}  ${r.what.padEnd(w2)}  ${r.verbs.join(', ')}`.trimEnd());
    }
    return lines.join('\n') + '\n';
  }

  private constructor() {}
}
