// Changes that apply and lose nothing, but widen what the workload or its users may do, expose it, or
// remove a safety net. They do not fail the review; they are listed for a reviewer to look at.
import { isPodSecurityLevel, isStricter, POD_SECURITY_ANNOTATION, PodSecurityLevel } from '../../pod/security';
import { podTemplateOf } from '../identity';
import { ChangeSeverity } from '../types';
import { Hit, rule, Rule, WORKLOAD_KINDS } from './rule';

const RBAC = 'rbac.authorization.k8s.io';
const list = (xs: string[]) => xs.map((x) => `\`${x}\``).join(', ');

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const has = (xs: string[] | undefined, x: string) => (xs ?? []).includes(x) || (xs ?? []).includes('*');

function urlMatches(pattern: string, url: string): boolean {
  return pattern === '*' || pattern === url || (pattern.endsWith('*') && url.startsWith(pattern.slice(0, -1)));
}

/** The grants of `after` that no rule of `before` covers, as `verb group/resource[/name]` or `verb URL`. */
export function widenedGrants(before: PolicyRule[], after: PolicyRule[]): string[] {
  const out: string[] = [];
  for (const r of after) {
    for (const verb of r.verbs ?? []) {
      for (const url of r.nonResourceURLs ?? []) {
        if (!before.some((b) => has(b.verbs, verb) && (b.nonResourceURLs ?? []).some((p) => urlMatches(p, url))))
          out.push(`${verb} ${url}`);
      }
      for (const group of r.apiGroups ?? []) {
        for (const resource of r.resources ?? []) {
          const names = r.resourceNames?.length ? r.resourceNames : [''];
          for (const name of names) {
            const covered = before.some(
              (b) =>
                has(b.verbs, verb) &&
                has(b.apiGroups, group) &&
                (has(b.resources, resource) || (b.resources ?? []).some((p) => p.endsWith('/*') && resource.startsWith(p.slice(0, -1)))) &&
                (!b.resourceNames?.length || (name !== '' && b.resourceNames.includes(name))),
            );
            if (!covered) out.push(`${verb} ${group ? `${group}/` : ''}${resource}${name ? `/${name}` : ''}`);
          }
        }
      }
    }
  }
  return [...new Set(out)];
}

function wildcards(rules: PolicyRule[]): string[] {
  const w = new Set<string>();
  for (const r of rules) {
    for (const [field, xs] of Object.entries({
      verbs: r.verbs,
      resources: r.resources,
      apiGroups: r.apiGroups,
      nonResourceURLs: r.nonResourceURLs,
    })) {
      if ((xs ?? []).some((x) => x === '*' || x.endsWith('/*'))) w.add(field);
    }
  }
  return [...w];
}

const subjectKey = (s: any) => `${s?.kind}:${s?.namespace ? `${s.namespace}/` : ''}${s?.name}`;

export const rbacWidened = rule(
  'rbac-widened',
  ChangeSeverity.RISKY,
  [`${RBAC}/Role`, `${RBAC}/ClusterRole`, `${RBAC}/RoleBinding`, `${RBAC}/ClusterRoleBinding`],
  "a Role or ClusterRole grants verbs or resources it did not (or a new role has wildcards), a ClusterRole's aggregation changes, or a binding gets new subjects",
  'RBAC authorizer: permissions are the union of the bound rules (plugin/pkg/auth/authorizer/rbac RuleAllows); `*` matches every verb, resource or group',
  (ctx) => {
    const kind = ctx.groupKind;
    if (kind.endsWith('Binding')) {
      if (ctx.type !== 'changed' && ctx.type !== 'renamed') return [];
      const before = new Set(((ctx.before!.subjects ?? []) as any[]).map(subjectKey));
      const added = ((ctx.after!.subjects ?? []) as any[]).map(subjectKey).filter((s) => !before.has(s));
      return added.length
        ? [{ message: `new subjects get ${ctx.after!.roleRef?.kind} ${ctx.after!.roleRef?.name}: ${list(added)}`, paths: ['subjects'] }]
        : [];
    }
    const hits: Hit[] = [];
    const after: PolicyRule[] = ctx.after?.rules ?? [];
    if (ctx.type === 'added') {
      const w = wildcards(after);
      if (w.length) hits.push({ message: `new ${ctx.after!.kind} with wildcards in ${list(w)}`, paths: ['rules'] });
      return hits;
    }
    if (ctx.type !== 'changed' && ctx.type !== 'renamed') return [];
    const before: PolicyRule[] = ctx.before!.rules ?? [];
    const wider = widenedGrants(before, after);
    if (wider.length) {
      const newWild = wildcards(after).filter((f) => !wildcards(before).includes(f));
      hits.push({
        message: `grants more: ${list(wider.slice(0, 12))}${wider.length > 12 ? ` and ${wider.length - 12} more` : ''}${newWild.length ? ` (new wildcards in ${list(newWild)})` : ''}`,
        paths: ['rules'],
      });
    }
    if (
      JSON.stringify(ctx.before!.aggregationRule ?? null) !== JSON.stringify(ctx.after!.aggregationRule ?? null) &&
      ctx.after!.aggregationRule
    ) {
      hits.push({
        message: 'the aggregation selectors changed: the ClusterRole now collects the rules of other ClusterRoles',
        paths: ['aggregationRule'],
      });
    }
    return hits;
  },
);

const EXPOSED = ['NodePort', 'LoadBalancer'];

export const serviceExposed = rule(
  'service-exposed',
  ChangeSeverity.RISKY,
  ['Service'],
  'a Service becomes (or is added as) NodePort or LoadBalancer',
  'Service types: NodePort opens the port on every node, LoadBalancer asks the cloud for an external load balancer (pkg/apis/core/types.go ServiceType)',
  (ctx) => {
    const a = ctx.after?.spec?.type ?? 'ClusterIP';
    if (!EXPOSED.includes(a) || ctx.type === 'removed') return [];
    const b = ctx.type === 'added' ? undefined : (ctx.before?.spec?.type ?? 'ClusterIP');
    if (b !== undefined && (b === a || (b === 'LoadBalancer' && a === 'NodePort'))) return [];
    return [
      {
        message: b ? `type ${b} → ${a}: reachable from outside the cluster` : `new ${a} Service: reachable from outside the cluster`,
        paths: ['spec.type'],
      },
    ];
  },
);

export const replicasZero = rule(
  'replicas-zero',
  ChangeSeverity.RISKY,
  ['apps/Deployment', 'apps/StatefulSet', 'apps/ReplicaSet', 'ReplicationController'],
  'a workload scales to 0 replicas',
  'replicas: 0 deletes every pod of the workload (an omitted replicas means 1)',
  (ctx) => {
    if (ctx.type !== 'changed' && ctx.type !== 'renamed') return [];
    const b = typeof ctx.before!.spec?.replicas === 'number' ? ctx.before!.spec.replicas : 1;
    return ctx.after!.spec?.replicas === 0 && b > 0 ? [{ message: `replicas ${b} → 0: every pod stops`, paths: ['spec.replicas'] }] : [];
  },
);

export const budgetRemoved = rule(
  'budget-removed',
  ChangeSeverity.RISKY,
  ['policy/PodDisruptionBudget'],
  'a PodDisruptionBudget is removed',
  'Eviction API: without a budget, node drains and cluster upgrades may evict every pod at once (pkg/registry/core/pod/storage/eviction.go)',
  (ctx) => (ctx.type === 'removed' ? [{ message: 'the budget is removed: drains may evict all of its pods at once' }] : []),
);

const ENFORCE = 'pod-security.kubernetes.io/enforce';

/** The level `v` names, else `dflt` (no label or annotation, or a value that is none). */
function level(v: unknown, dflt: PodSecurityLevel): PodSecurityLevel {
  return isPodSecurityLevel(v) ? v : dflt;
}

export const podSecurityLowered = rule(
  'pod-security-lowered',
  ChangeSeverity.RISKY,
  ['Namespace', ...WORKLOAD_KINDS],
  'a Namespace enforces a lower Pod Security level (label pod-security.kubernetes.io/enforce; none means privileged), or a pod template declares a lower one (annotation cdk8s-patterns.io/pod-security; none means restricted)',
  "Pod Security admission (staging/src/k8s.io/pod-security-admission): the namespace's enforce label sets what pods may do; this library checks each pod template against its annotation at synth",
  (ctx) => {
    if (ctx.type !== 'changed' && ctx.type !== 'renamed') return [];
    if (ctx.groupKind === 'Namespace') {
      const b = level(ctx.before!.metadata.labels?.[ENFORCE], PodSecurityLevel.PRIVILEGED);
      const a = level(ctx.after!.metadata.labels?.[ENFORCE], PodSecurityLevel.PRIVILEGED);
      return isStricter(b, a) ? [{ message: `enforced Pod Security level ${b} → ${a}`, paths: [`metadata.labels["${ENFORCE}"]`] }] : [];
    }
    const bt = podTemplateOf(ctx.before);
    const at = podTemplateOf(ctx.after);
    const b = level(bt?.metadata?.annotations?.[POD_SECURITY_ANNOTATION], PodSecurityLevel.RESTRICTED);
    const a = level(at?.metadata?.annotations?.[POD_SECURITY_ANNOTATION], PodSecurityLevel.RESTRICTED);
    return isStricter(b, a)
      ? [
          {
            message: `pod template Pod Security level ${b} → ${a}`,
            paths: [`metadata.annotations["${POD_SECURITY_ANNOTATION}"]`],
          },
        ]
      : [];
  },
);

function hostAccess(tpl: any): Set<string> {
  const out = new Set<string>();
  const spec = tpl?.spec ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f] === true) out.add(`${f}: true`);
  for (const v of spec.volumes ?? []) if (v?.hostPath) out.add(`hostPath ${v.hostPath.path} (volume ${v.name})`);
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if (c?.securityContext?.privileged === true) out.add(`privileged container ${c.name}`);
  }
  return out;
}

export const hostAccessAdded = rule(
  'host-access-added',
  ChangeSeverity.RISKY,
  WORKLOAD_KINDS,
  'a pod template gains a hostPath volume, a host namespace (hostNetwork, hostPID, hostIPC) or a privileged container',
  'Pod Security Standards "baseline" forbids host namespaces, hostPath volumes and privileged containers: each gives the pod access to the node',
  (ctx) => {
    if (ctx.type === 'removed') return [];
    const b = ctx.type === 'added' ? new Set<string>() : hostAccess(podTemplateOf(ctx.before));
    const added = [...hostAccess(podTemplateOf(ctx.after))].filter((x) => !b.has(x));
    return added.length ? [{ message: `access to the node: ${added.join(', ')}` }] : [];
  },
);

export const RISKY_RULES: Rule[] = [rbacWidened, serviceExposed, replicasZero, budgetRemoved, podSecurityLowered, hostAccessAdded];
