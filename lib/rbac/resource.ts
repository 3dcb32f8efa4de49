import type { IApiResource } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { closest, IMPERSONATION_RESOURCES, KNOWN_VERBS, STANDARD_VERBS, verbsOf } from './verb-table';

/** Options of `Resource.custom`. */
export interface CustomResourceOptions {
  /** API group, e.g. `samplecrd.k8s.io` (`''` for the core group). */
  readonly group: string;
  /** Plural resource name as in the API path, e.g. `networks`. */
  readonly resource: string;
  /**
   * Whether objects live in a namespace. Cluster-scoped resources can only be granted through a
   * ClusterRole, so grants of them go to the cluster scope.
   * @default true
   */
  readonly namespaced?: boolean;
}

/** Built-in types by `group|plural`; filled as the constants below are defined. */
const BUILTIN = new Map<string, RbacResource>();
/** The API groups of the built-in resources. */
const BUILTIN_GROUPS = new Set<string>();

/**
 * A resource type of the Kubernetes API, as RBAC rules name it: API group + plural resource, optionally
 * a subresource (`pods/log`) and object names (`resourceNames`). The Kubernetes 1.27 built-in types are
 * constants (`Resource.PODS`); others come from `Resource.custom`, `Resource.parse` or a
 * `CustomResourceDefinition`.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
 */
export class RbacResource {
  // core ("")
  /** bindings (core). */
  public static readonly BINDINGS = RbacResource.builtin('', 'bindings');
  /** componentstatuses (core, cluster-scoped). */
  public static readonly COMPONENT_STATUSES = RbacResource.builtin('', 'componentstatuses', false);
  /** configmaps (core). */
  public static readonly CONFIG_MAPS = RbacResource.builtin('', 'configmaps');
  /** endpoints (core). */
  public static readonly ENDPOINTS = RbacResource.builtin('', 'endpoints');
  /** events (core). */
  public static readonly EVENTS = RbacResource.builtin('', 'events');
  /** limitranges (core). */
  public static readonly LIMIT_RANGES = RbacResource.builtin('', 'limitranges');
  /** namespaces (core, cluster-scoped). */
  public static readonly NAMESPACES = RbacResource.builtin('', 'namespaces', false);
  /** nodes (core, cluster-scoped). */
  public static readonly NODES = RbacResource.builtin('', 'nodes', false);
  /** persistentvolumeclaims (core). */
  public static readonly PERSISTENT_VOLUME_CLAIMS = RbacResource.builtin('', 'persistentvolumeclaims');
  /** persistentvolumes (core, cluster-scoped). */
  public static readonly PERSISTENT_VOLUMES = RbacResource.builtin('', 'persistentvolumes', false);
  /** pods (core). */
  public static readonly PODS = RbacResource.builtin('', 'pods');
  /** pods/log: reading container logs. */
  public static readonly PODS_LOG = RbacResource.PODS.subresource('log');
  /** pods/exec: running commands in containers. */
  public static readonly PODS_EXEC = RbacResource.PODS.subresource('exec');
  /** podtemplates (core). */
  public static readonly POD_TEMPLATES = RbacResource.builtin('', 'podtemplates');
  /** replicationcontrollers (core). */
  public static readonly REPLICATION_CONTROLLERS = RbacResource.builtin('', 'replicationcontrollers');
  /** resourcequotas (core). */
  public static readonly RESOURCE_QUOTAS = RbacResource.builtin('', 'resourcequotas');
  /** secrets (core). */
  public static readonly SECRETS = RbacResource.builtin('', 'secrets');
  /** serviceaccounts (core). */
  public static readonly SERVICE_ACCOUNTS = RbacResource.builtin('', 'serviceaccounts');
  /** services (core). */
  public static readonly SERVICES = RbacResource.builtin('', 'services');
  // admissionregistration.k8s.io
  /** mutatingwebhookconfigurations (admissionregistration.k8s.io, cluster-scoped). */
  public static readonly MUTATING_WEBHOOK_CONFIGURATIONS = RbacResource.builtin(
    'admissionregistration.k8s.io',
    'mutatingwebhookconfigurations',
    false,
  );
  /** validatingwebhookconfigurations (admissionregistration.k8s.io, cluster-scoped). */
  public static readonly VALIDATING_WEBHOOK_CONFIGURATIONS = RbacResource.builtin(
    'admissionregistration.k8s.io',
    'validatingwebhookconfigurations',
    false,
  );
  // apiextensions.k8s.io, apiregistration.k8s.io
  /** customresourcedefinitions (apiextensions.k8s.io, cluster-scoped). */
  public static readonly CUSTOM_RESOURCE_DEFINITIONS = RbacResource.builtin('apiextensions.k8s.io', 'customresourcedefinitions', false);
  /** apiservices (apiregistration.k8s.io, cluster-scoped). */
  public static readonly API_SERVICES = RbacResource.builtin('apiregistration.k8s.io', 'apiservices', false);
  // apps
  /** controllerrevisions (apps). */
  public static readonly CONTROLLER_REVISIONS = RbacResource.builtin('apps', 'controllerrevisions');
  /** daemonsets (apps). */
  public static readonly DAEMON_SETS = RbacResource.builtin('apps', 'daemonsets');
  /** deployments (apps). */
  public static readonly DEPLOYMENTS = RbacResource.builtin('apps', 'deployments');
  /** replicasets (apps). */
  public static readonly REPLICA_SETS = RbacResource.builtin('apps', 'replicasets');
  /** statefulsets (apps). */
  public static readonly STATEFUL_SETS = RbacResource.builtin('apps', 'statefulsets');
  // authentication.k8s.io, authorization.k8s.io
  /** tokenreviews (authentication.k8s.io, cluster-scoped). */
  public static readonly TOKEN_REVIEWS = RbacResource.builtin('authentication.k8s.io', 'tokenreviews', false);
  /** localsubjectaccessreviews (authorization.k8s.io). */
  public static readonly LOCAL_SUBJECT_ACCESS_REVIEWS = RbacResource.builtin('authorization.k8s.io', 'localsubjectaccessreviews');
  /** selfsubjectaccessreviews (authorization.k8s.io, cluster-scoped). */
  public static readonly SELF_SUBJECT_ACCESS_REVIEWS = RbacResource.builtin('authorization.k8s.io', 'selfsubjectaccessreviews', false);
  /** selfsubjectrulesreviews (authorization.k8s.io, cluster-scoped). */
  public static readonly SELF_SUBJECT_RULES_REVIEWS = RbacResource.builtin('authorization.k8s.io', 'selfsubjectrulesreviews', false);
  /** subjectaccessreviews (authorization.k8s.io, cluster-scoped). */
  public static readonly SUBJECT_ACCESS_REVIEWS = RbacResource.builtin('authorization.k8s.io', 'subjectaccessreviews', false);
  // autoscaling, batch
  /** horizontalpodautoscalers (autoscaling). */
  public static readonly HORIZONTAL_POD_AUTOSCALERS = RbacResource.builtin('autoscaling', 'horizontalpodautoscalers');
  /** cronjobs (batch). */
  public static readonly CRON_JOBS = RbacResource.builtin('batch', 'cronjobs');
  /** jobs (batch). */
  public static readonly JOBS = RbacResource.builtin('batch', 'jobs');
  // certificates, coordination, discovery, events, flowcontrol
  /** certificatesigningrequests (certificates.k8s.io, cluster-scoped). */
  public static readonly CERTIFICATE_SIGNING_REQUESTS = RbacResource.builtin('certificates.k8s.io', 'certificatesigningrequests', false);
  /** leases (coordination.k8s.io): leader election. */
  public static readonly LEASES = RbacResource.builtin('coordination.k8s.io', 'leases');
  /** endpointslices (discovery.k8s.io). */
  public static readonly ENDPOINT_SLICES = RbacResource.builtin('discovery.k8s.io', 'endpointslices');
  /** events (events.k8s.io): the newer events API; `EVENTS` is the core one. */
  public static readonly EVENTS_V1 = RbacResource.builtin('events.k8s.io', 'events');
  /** flowschemas (flowcontrol.apiserver.k8s.io, cluster-scoped). */
  public static readonly FLOW_SCHEMAS = RbacResource.builtin('flowcontrol.apiserver.k8s.io', 'flowschemas', false);
  /** prioritylevelconfigurations (flowcontrol.apiserver.k8s.io, cluster-scoped). */
  public static readonly PRIORITY_LEVEL_CONFIGURATIONS = RbacResource.builtin(
    'flowcontrol.apiserver.k8s.io',
    'prioritylevelconfigurations',
    false,
  );
  // networking.k8s.io, node.k8s.io, policy
  /** ingressclasses (networking.k8s.io, cluster-scoped). */
  public static readonly INGRESS_CLASSES = RbacResource.builtin('networking.k8s.io', 'ingressclasses', false);
  /** ingresses (networking.k8s.io). */
  public static readonly INGRESSES = RbacResource.builtin('networking.k8s.io', 'ingresses');
  /** networkpolicies (networking.k8s.io). */
  public static readonly NETWORK_POLICIES = RbacResource.builtin('networking.k8s.io', 'networkpolicies');
  /** runtimeclasses (node.k8s.io, cluster-scoped). */
  public static readonly RUNTIME_CLASSES = RbacResource.builtin('node.k8s.io', 'runtimeclasses', false);
  /** poddisruptionbudgets (policy). */
  public static readonly POD_DISRUPTION_BUDGETS = RbacResource.builtin('policy', 'poddisruptionbudgets');
  // rbac.authorization.k8s.io
  /** clusterrolebindings (rbac.authorization.k8s.io, cluster-scoped). */
  public static readonly CLUSTER_ROLE_BINDINGS = RbacResource.builtin('rbac.authorization.k8s.io', 'clusterrolebindings', false);
  /** clusterroles (rbac.authorization.k8s.io, cluster-scoped). */
  public static readonly CLUSTER_ROLES = RbacResource.builtin('rbac.authorization.k8s.io', 'clusterroles', false);
  /** rolebindings (rbac.authorization.k8s.io). */
  public static readonly ROLE_BINDINGS = RbacResource.builtin('rbac.authorization.k8s.io', 'rolebindings');
  /** roles (rbac.authorization.k8s.io). */
  public static readonly ROLES = RbacResource.builtin('rbac.authorization.k8s.io', 'roles');
  // scheduling.k8s.io, storage.k8s.io
  /** priorityclasses (scheduling.k8s.io, cluster-scoped). */
  public static readonly PRIORITY_CLASSES = RbacResource.builtin('scheduling.k8s.io', 'priorityclasses', false);
  /** csidrivers (storage.k8s.io, cluster-scoped). */
  public static readonly CSI_DRIVERS = RbacResource.builtin('storage.k8s.io', 'csidrivers', false);
  /** csinodes (storage.k8s.io, cluster-scoped). */
  public static readonly CSI_NODES = RbacResource.builtin('storage.k8s.io', 'csinodes', false);
  /** csistoragecapacities (storage.k8s.io). */
  public static readonly CSI_STORAGE_CAPACITIES = RbacResource.builtin('storage.k8s.io', 'csistoragecapacities');
  /** storageclasses (storage.k8s.io, cluster-scoped). */
  public static readonly STORAGE_CLASSES = RbacResource.builtin('storage.k8s.io', 'storageclasses', false);
  /** volumeattachments (storage.k8s.io, cluster-scoped). */
  public static readonly VOLUME_ATTACHMENTS = RbacResource.builtin('storage.k8s.io', 'volumeattachments', false);
  /** `*` in group and resource: everything. Refused unless `RbacRisk.WILDCARD` is accepted. */
  public static readonly ALL = new RbacResource('*', '*', true);

  /** A resource type that is not built in: a custom resource or one of an aggregated API server. */
  public static custom(options: CustomResourceOptions): RbacResource {
    return new RbacResource(options.group, options.resource, options.namespaced ?? true);
  }

  /**
   * Reads kubectl's notation: `pods`, `pods/log`, `deployments.apps`, `networks.samplecrd.k8s.io/status`.
   * A name without a group is looked up among the built-in types (core group first); a name with a
   * group that is not built in becomes a namespaced custom resource.
   */
  public static parse(text: string): RbacResource {
    const slash = text.indexOf('/');
    const base = slash >= 0 ? text.slice(0, slash) : text;
    const sub = slash >= 0 ? text.slice(slash + 1) : undefined;
    const dot = base.indexOf('.');
    const plural = dot >= 0 ? base.slice(0, dot) : base;
    const group = dot >= 0 ? base.slice(dot + 1) : undefined;
    const found =
      group === undefined ? RbacResource.lookup(plural) : (BUILTIN.get(`${group}|${plural}`) ?? new RbacResource(group, plural, true));
    if (!found) {
      const guess = closest(plural, new Set([...BUILTIN.values()].map((r) => r.plural)));
      throw new Error(
        `"${text}" is not a built-in Kubernetes 1.27 resource${guess ? ` (did you mean "${guess}"?)` : ''}; name its group ("${text}.example.com") or use RbacResource.custom(...)`,
      );
    }
    return sub !== undefined ? found.subresource(sub) : found;
  }

  /** A cdk8s-plus `ApiResource` (e.g. `ApiResource.PODS`) as a `Resource`. */
  public static fromPlus(resource: IApiResource): RbacResource {
    const [plural, sub] = resource.resourceType.split('/');
    const base = BUILTIN.get(`${resource.apiGroup}|${plural}`) ?? new RbacResource(resource.apiGroup, plural, true);
    const withSub = sub ? base.subresource(sub) : base;
    return resource.resourceName ? withSub.named(resource.resourceName) : withSub;
  }

  private static builtin(group: string, plural: string, namespaced = true): RbacResource {
    const r = new RbacResource(group, plural, namespaced);
    BUILTIN.set(`${group}|${plural}`, r);
    BUILTIN_GROUPS.add(group);
    return r;
  }

  private static lookup(plural: string): RbacResource | undefined {
    return BUILTIN.get(`|${plural}`) ?? [...BUILTIN.values()].find((r) => r.plural === plural);
  }

  private constructor(
    /** API group (`''` for core). */
    public readonly group: string,
    /** Plural resource name. */
    public readonly plural: string,
    /** Whether objects of this type live in a namespace. */
    public readonly namespaced: boolean,
    /** Subresource (`log`, `exec`, `status`, `scale`...), if any. */
    public readonly subresourceName?: string,
    /** Object names the grant is limited to (`resourceNames`); empty for every object. */
    public readonly names: string[] = [],
  ) {}

  /** The same resource's subresource, e.g. `Resource.DEPLOYMENTS.subresource('scale')`. */
  public subresource(name: string): RbacResource {
    return new RbacResource(this.group, this.plural, this.namespaced, name, this.names);
  }

  /** The same resource limited to the objects with these names (`resourceNames`). */
  public named(...names: string[]): RbacResource {
    return new RbacResource(this.group, this.plural, this.namespaced, this.subresourceName, [...this.names, ...names]);
  }

  /** The `resources` entry of a rule: `pods` or `pods/log`. */
  public get path(): string {
    return this.subresourceName !== undefined ? `${this.plural}/${this.subresourceName}` : this.plural;
  }

  /** kubectl's notation: `pods/log`, `deployments.apps`. */
  public toString(): string {
    return formatResource(this.group, this.path);
  }
}

/** The resource a rule's (group, `plural[/subresource]`) names: the built-in one if there is one, else a custom one. */
export function ruleResource(group: string, path: string): RbacResource {
  const [plural, sub] = path.split('/');
  const base = BUILTIN.get(`${group}|${plural}`) ?? RbacResource.custom({ group, resource: plural });
  return sub !== undefined ? base.subresource(sub) : base;
}

/** The verbs of `verbs` that a built-in `resource` answers (all of them for other resources). */
export function answeredVerbs(resource: RbacResource, verbs: readonly string[]): string[] {
  if (!BUILTIN.has(`${resource.group}|${resource.plural}`)) return [...verbs];
  const known = verbsOf(resource.group, resource.path);
  return verbs.filter((v) => v === '*' || known.includes(v));
}

/**
 * Why granting `verbs` on `resource` would grant nothing, if it would: a resource of a built-in API
 * group that Kubernetes 1.27 does not have, or a verb the resource does not answer (custom verbs,
 * `Verbs.custom`, are exempt on resources of other groups). With "did you mean".
 */
export function grantViolation(
  resource: RbacResource,
  verbs: readonly string[],
  custom: readonly string[],
): { field: string; rule: string; hint?: string } | undefined {
  const { group, plural, path } = resource;
  if (plural.includes('*') || group === '*') return undefined;
  const builtinGroup = BUILTIN_GROUPS.has(group);
  const impersonation = IMPERSONATION_RESOURCES.some(([g, p]) => g === group && p === plural);
  if (builtinGroup && !impersonation && !BUILTIN.has(`${group}|${plural}`)) {
    const guess = closest(
      plural,
      [...BUILTIN.values()].filter((r) => r.group === group).map((r) => r.plural),
    );
    return {
      field: 'resources',
      rule: `"${formatResource(group, plural)}" is not a resource of API group "${group || 'core'}" in Kubernetes 1.27${guess ? ` (did you mean "${guess}"?)` : ''}`,
      hint: 'a custom resource has its own API group (RbacResource.custom({ group, resource }), or the CustomResourceDefinition)',
    };
  }
  const known = builtinGroup || impersonation ? verbsOf(group, path) : undefined;
  for (const verb of verbs) {
    if (verb === '*') continue;
    if (known) {
      if (known.includes(verb)) continue;
      const guess = closest(verb, known);
      return {
        field: 'verbs',
        rule: `"${verb}" is not a verb of ${formatResource(group, path)}${guess ? ` (did you mean "${guess}"?)` : ''}; it answers ${known.join(', ')}`,
        hint: 'a rule with a verb the resource does not answer grants nothing',
      };
    }
    if (STANDARD_VERBS.includes(verb) || custom.includes(verb)) continue;
    const guess = closest(verb, KNOWN_VERBS);
    return {
      field: 'verbs',
      rule: `"${verb}" is not a Kubernetes verb${guess ? ` (did you mean "${guess}"?)` : ''}`,
      hint: `a verb of an aggregated API or custom resource is declared as such: to(Verbs.custom('${verb}'))`,
    };
  }
  return undefined;
}

/** kubectl's notation for a rule entry: `pods`, `deployments.apps/scale`. */
export function formatResource(group: string, path: string): string {
  const slash = path.indexOf('/');
  const plural = slash >= 0 ? path.slice(0, slash) : path;
  const sub = slash >= 0 ? path.slice(slash) : '';
  return `${plural}${group ? `.${group}` : ''}${sub}`;
}

/** Something that names a resource type: a `CustomResourceDefinition` does. */
export interface IResourceType {
  /** The resource type, as RBAC rules name it. */
  readonly rbacResource: RbacResource;
}

/** A resource as grants take it: a `Resource`, kubectl's notation (`'pods/log'`), a cdk8s-plus `ApiResource`, or a CRD. */
export type ResourceLike = RbacResource | string | IApiResource | IResourceType;

/** Normalizes a `ResourceLike`. Throws a plain Error for an unknown name (callers report it against their field). */
export function toResource(r: ResourceLike): RbacResource {
  if (r instanceof RbacResource) return r;
  if (typeof r === 'string') return RbacResource.parse(r);
  if ('resourceType' in r) return RbacResource.fromPlus(r);
  return r.rbacResource;
}

/** `toResource`, reporting an unknown name as a `PatternError` at `scope`'s `field`. */
export function resolveResource(scope: IConstruct, field: string, like: ResourceLike): RbacResource {
  try {
    return toResource(like);
  } catch (e) {
    return fail(scope, field, (e as Error).message);
  }
}
