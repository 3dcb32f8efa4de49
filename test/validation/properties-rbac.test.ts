import { Chart } from 'cdk8s';
import fc from 'fast-check';
import {
  WebService,
  Access,
  RbacClusterRole,
  RbacClusterRoleBinding,
  RbacRisk,
  RbacResource,
  RbacRole,
  RbacRoleBinding,
  RoleRef,
  RbacServiceAccount,
  Subject,
  Verbs,
} from '../../lib';
import { ResourceLike } from '../../lib/rbac/resource';
import { RoleLike } from '../../lib/rbac/role-ref';
import { SubjectLike } from '../../lib/rbac/subject';
import { VerbLike } from '../../lib/rbac/verbs';
import { cases, checkConstruct, expectBothOutcomes, Gen, RUNS } from './properties';

/** One step of an RBAC setup; a case is a few of them, applied in order to one chart. */
type Step =
  | { op: 'role'; cluster: boolean; verbs: string; resources: string[]; name?: string; risks: boolean }
  | { op: 'bind'; cluster: boolean; role: string; subjects: string[]; name?: string }
  | { op: 'access'; subject: string; scope: 'default' | 'cluster' | 'namespace'; verbs: string; resources: string[]; role?: string }
  | { op: 'workload'; verbs: string; resources: string[] };

const VERBS: Record<string, VerbLike[]> = {
  read: [Verbs.READ],
  write: [Verbs.WRITE],
  get: ['get'],
  all: [Verbs.ALL],
  escalate: ['escalate', 'bind'],
};
const RESOURCES: Record<string, () => ResourceLike> = {
  pods: () => RbacResource.PODS,
  configMap: () => RbacResource.CONFIG_MAPS.named('settings'),
  nodes: () => RbacResource.NODES,
  logs: () => 'pods/log',
  deployments: () => 'deployments.apps',
  widgets: () => RbacResource.custom({ group: 'example.com', resource: 'widgets' }),
  all: () => RbacResource.ALL,
  unknown: () => 'widgetz',
  secrets: () => RbacResource.SECRETS,
};
const ROLES = ['app-role', 'app-cluster-role', 'view', 'edit', 'by-name', 'external', 'cluster-admin'];
const SUBJECTS = ['sa', 'user', 'group', 'all-sas', 'external-sa', 'ghost-sa', 'plus-sa'];

const steps = (g: Gen) => {
  const verbs = g.pick(['read', 'get', 'write'], ['all', 'escalate']);
  const resources = fc.subarray(g.valid ? ['pods', 'configMap', 'logs', 'deployments', 'widgets'] : Object.keys(RESOURCES), {
    minLength: 1,
    maxLength: 3,
  });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record(
      { op: fc.constant('role' as const), cluster: fc.boolean(), verbs, resources, name: g.optional(g.name), risks: fc.boolean() },
      { requiredKeys: ['op', 'cluster', 'verbs', 'resources', 'risks'] },
    ),
    fc.record(
      {
        op: fc.constant('bind' as const),
        cluster: fc.boolean(),
        role: g.pick(ROLES.slice(0, 6), ['cluster-admin']),
        subjects: fc.subarray(g.valid ? SUBJECTS.slice(0, 5) : SUBJECTS, { minLength: 1 }),
        name: g.optional(g.name),
      },
      { requiredKeys: ['op', 'cluster', 'role', 'subjects'] },
    ),
    fc.record(
      {
        op: fc.constant('access' as const),
        subject: g.pick(['sa', 'user', 'group', 'plus-sa'], ['ghost-sa']),
        scope: fc.constantFrom('default' as const, 'cluster' as const, 'namespace' as const),
        verbs,
        resources,
        role: g.optional(g.pick(['view', 'edit', 'app-cluster-role'])),
      },
      { requiredKeys: ['op', 'subject', 'scope', 'verbs', 'resources'] },
    ),
    fc.record({ op: fc.constant('workload' as const), verbs, resources }),
  );
  return fc.array(step, { minLength: 1, maxLength: 4 });
};

function apply(chart: Chart, steps: Step[]): void {
  let n = 0;
  const sa = new RbacServiceAccount(chart, 'sa', { name: 'robot' });
  const roles = new Map<string, RoleLike>();
  const plusSa = () => require('cdk8s-plus-27').ServiceAccount.fromServiceAccountName(chart, `plus-sa-${n++}`, 'bot');
  const subject = (s: string): SubjectLike => {
    switch (s) {
      case 'sa':
        return sa;
      case 'user':
        return Subject.user('alice');
      case 'group':
        return Subject.group('devs');
      case 'all-sas':
        return Subject.allServiceAccounts();
      case 'external-sa':
        return Subject.externalServiceAccount('ci', 'tools');
      case 'plus-sa':
        return plusSa();
      default:
        return Subject.serviceAccount('ghost');
    }
  };
  const role = (r: string): RoleLike => {
    switch (r) {
      case 'view':
        return RoleRef.VIEW;
      case 'edit':
        return RoleRef.EDIT;
      case 'cluster-admin':
        return RoleRef.CLUSTER_ADMIN;
      case 'by-name':
        return RoleRef.clusterRole('app-cluster-role');
      case 'external':
        return RoleRef.externalClusterRole('vendor-reader');
      default:
        return roles.get(r) ?? RoleRef.VIEW;
    }
  };
  const access = new Access(chart, 'access');
  for (const s of steps) {
    const resources = s.op === 'bind' ? [] : s.resources.map((r) => RESOURCES[r]());
    switch (s.op) {
      case 'role': {
        const id = s.cluster ? 'app-cluster-role' : 'app-role';
        if (roles.has(id)) break;
        const props = { name: s.name ?? id, acceptRisks: s.risks ? [RbacRisk.WILDCARD, RbacRisk.PRIVILEGE_ESCALATION] : undefined };
        const r = s.cluster ? new RbacClusterRole(chart, id, props) : new RbacRole(chart, id, props);
        r.allow(...VERBS[s.verbs]).on(...resources);
        roles.set(id, r);
        break;
      }
      case 'bind': {
        const props = { role: role(s.role), subjects: s.subjects.map(subject), name: s.name ?? `binding-${n}` };
        if (s.cluster) new RbacClusterRoleBinding(chart, `binding-${n++}`, props);
        else new RbacRoleBinding(chart, `binding-${n++}`, props);
        break;
      }
      case 'access': {
        const grant = access.allow(subject(s.subject));
        const scoped = s.scope === 'cluster' ? grant.clusterWide() : s.scope === 'namespace' ? grant.inNamespace('team-b') : grant;
        if (s.role) scoped.withRole(role(s.role));
        else scoped.to(...VERBS[s.verbs]).on(...resources);
        break;
      }
      default: {
        const web = new WebService(chart, `web-${n++}`, { containers: [{ name: 'app', image: 'nginx:1.25' }], exposeService: false });
        Access.forWorkload(web)
          .to(...VERBS[s.verbs])
          .on(...resources);
      }
    }
  }
}

test(`RBAC (Role, ClusterRole, bindings, Access, Access.forWorkload): ${RUNS.rbac} generated setups raise PatternError or synthesize valid output`, () => {
  const outcomes = checkConstruct(cases(steps), apply, RUNS.rbac);
  expectBothOutcomes(outcomes);
});
