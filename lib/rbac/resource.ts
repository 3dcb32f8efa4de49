import type { IApiResource } from 'cdk8s-plus-27';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

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
const BUILTIN = new Map<string, Resource>();

/**
 * A resource type of the Kubernetes API, as RBAC rules name it: API group + plural resource, optionally
 * a subresource (`pods/log`) and object names (`resourceNames`). The Kubernetes 1.27 built-in types are
 * constants (`Resource.PODS`); others come from `Resource.custom`, `Resource.parse` or a
 * `CustomResourceDefinition`.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources
 */
export class Resource {
  // core ("")
  /** bindings (core). */
  public static readonly BINDINGS = Resource.builtin('', 'bindings');
  /** componentstatuses (core, cluster-scoped). */
  public static readonly COMPONENT_STATUSES = Resource.builtin('', 'componentstatuses', false);
  /** configmaps (core). */
  public static readonly CONFIG_MAPS = Resource.builtin('', 'configmaps');
  /** endpoints (core). */
  public static readonly ENDPOINTS = Resource.builtin('', 'endpoints');
  /** events (core). */
  public static readonly EVENTS = Resource.builtin('', 'events');
  /** limitranges (core). */
  public static readonly LIMIT_RANGES = Resource.builtin('', 'limitranges');
  /** namespaces (core, cluster-scoped). */
  public static readonly NAMESPACES = Resource.builtin('', 'namespaces', false);
  /** nodes (core, cluster-scoped). */
  public static readonly NODES = Resource.builtin('', 'nodes', false);
  /** persistentvolumeclaims (core). */
  public static readonly PERSISTENT_VOLUME_CLAIMS = Resource.builtin('', 'persistentvolumeclaims');
  /** persistentvolumes (core, cluster-scoped). */
  public static readonly PERSISTENT_VOLUMES = Resource.builtin('', 'persistentvolumes', false);
  /** pods (core). */
  public static readonly PODS = Resource.builtin('', 'pods');
  /** pods/log: reading container logs. */
  public static readonly PODS_LOG = Resource.PODS.subresource('log');
  /** pods/exec: running commands in containers. */
  public static readonly PODS_EXEC = Resource.PODS.subresource('exec');
  /** podtemplates (core). */
  public static readonly POD_TEMPLATES = Resource.builtin('', 'podtemplates');
  /** replicationcontrollers (core). */
  public static readonly REPLICATION_CONTROLLERS = Resource.builtin('', 'replicationcontrollers');
  /** resourcequotas (core). */
  public static readonly RESOURCE_QUOTAS = Resource.builtin('', 'resourcequotas');
  /** secrets (core). */
  public static readonly SECRETS = Resource.builtin('', 'secrets');
  /** serviceaccounts (core). */
  public static readonly SERVICE_ACCOUNTS = Resource.builtin('', 'serviceaccounts');
  /** services (core). */
  public static readonly SERVICES = Resource.builtin('', 'services');
  // admissionregistration.k8s.io
  /** mutatingwebhookconfigurations (admissionregistration.k8s.io, cluster-scoped). */
  public static readonly MUTATING_WEBHOOK_CONFIGURATIONS = Resource.builtin('admissionregistration.k8s.io', 'mutatingwebhookconfigurations', false);
  /** validatingwebhookconfigurations (admissionregistration.k8s.io, cluster-scoped). */
  public static readonly VALIDATING_WEBHOOK_CONFIGURATIONS = Resource.builtin('admissionregistration.k8s.io', 'validatingwebhookconfigurations', false);
  // apiextensions.k8s.io, apiregistration.k8s.io
  /** customresourcedefinitions (apiextensions.k8s.io, cluster-scoped). */
  public static readonly CUSTOM_RESOURCE_DEFINITIONS = Resource.builtin('apiextensions.k8s.io', 'customresourcedefinitions', false);
  /** apiservices (apiregistration.k8s.io, cluster-scoped). */
  public static readonly API_SERVICES = Resource.builtin('apiregistration.k8s.io', 'apiservices', false);
  // apps
  /** controllerrevisions (apps). */
  public static readonly CONTROLLER_REVISIONS = Resource.builtin('apps', 'controllerrevisions');
  /** daemonsets (apps). */
  public static readonly DAEMON_SETS = Resource.builtin('apps', 'daemonsets');
  /** deployments (apps). */
  public static readonly DEPLOYMENTS = Resource.builtin('apps', 'deployments');
  /** replicasets (apps). */
  public static readonly REPLICA_SETS = Resource.builtin('apps', 'replicasets');
  /** statefulsets (apps). */
  public static readonly STATEFUL_SETS = Resource.builtin('apps', 'statefulsets');
  // authentication.k8s.io, authorization.k8s.io
  /** tokenreviews (authentication.k8s.io, cluster-scoped). */
  public static readonly TOKEN_REVIEWS = Resource.builtin('authentication.k8s.io', 'tokenreviews', false);
  /** localsubjectaccessreviews (authorization.k8s.io). */
  public static readonly LOCAL_SUBJECT_ACCESS_REVIEWS = Resource.builtin('authorization.k8s.io', 'localsubjectaccessreviews');
  /** selfsubjectaccessreviews (authorization.k8s.io, cluster-scoped). */
  public static readonly SELF_SUBJECT_ACCESS_REVIEWS = Resource.builtin('authorization.k8s.io', 'selfsubjectaccessreviews', false);
  /** selfsubjectrulesreviews (authorization.k8s.io, cluster-scoped). */
  public static readonly SELF_SUBJECT_RULES_REVIEWS = Resource.builtin('authorization.k8s.io', 'selfsubjectrulesreviews', false);
  /** subjectaccessreviews (authorization.k8s.io, cluster-scoped). */
  public static readonly SUBJECT_ACCESS_REVIEWS = Resource.builtin('authorization.k8s.io', 'subjectaccessreviews', false);
  // autoscaling, batch
  /** horizontalpodautoscalers (autoscaling). */
  public static readonly HORIZONTAL_POD_AUTOSCALERS = Resource.builtin('autoscaling', 'horizontalpodautoscalers');
  /** cronjobs (batch). */
  public static readonly CRON_JOBS = Resource.builtin('batch', 'cronjobs');
  /** jobs (batch). */
  public static readonly JOBS = Resource.builtin('batch', 'jobs');
  // certificates, coordination, discovery, events, flowcontrol
  /** certificatesigningrequests (certificates.k8s.io, cluster-scoped). */
  public static readonly CERTIFICATE_SIGNING_REQUESTS = Resource.builtin('certificates.k8s.io', 'certificatesigningrequests', false);
  /** leases (coordination.k8s.io): leader election. */
  public static readonly LEASES = Resource.builtin('coordination.k8s.io', 'leases');
  /** endpointslices (discovery.k8s.io). */
  public static readonly ENDPOINT_SLICES = Resource.builtin('discovery.k8s.io', 'endpointslices');
  /** events (events.k8s.io): the newer events API; `EVENTS` is the core one. */
  public static readonly EVENTS_V1 = Resource.builtin('events.k8s.io', 'events');
  /** flowschemas (flowcontrol.apiserver.k8s.io, cluster-scoped). */
  public static readonly FLOW_SCHEMAS = Resource.builtin('flowcontrol.apiserver.k8s.io', 'flowschemas', false);
  /** prioritylevelconfigurations (flowcontrol.apiserver.k8s.io, cluster-scoped). */
  public static readonly PRIORITY_LEVEL_CONFIGURATIONS = Resource.builtin('flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations', false);
  // networking.k8s.io, node.k8s.io, policy
  /** ingressclasses (networking.k8s.io, cluster-scoped). */
  public static readonly INGRESS_CLASSES = Resource.builtin('networking.k8s.io', 'ingressclasses', false);
  /** ingresses (networking.k8s.io). */
  public static readonly INGRESSES = Resource.builtin('networking.k8s.io', 'ingresses');
  /** networkpolicies (networking.k8s.io). */
  public static readonly NETWORK_POLICIES = Resource.builtin('networking.k8s.io', 'networkpolicies');
  /** runtimeclasses (node.k8s.io, cluster-scoped). */
  public static readonly RUNTIME_CLASSES = Resource.builtin('node.k8s.io', 'runtimeclasses', false);
  /** poddisruptionbudgets (policy). */
  public static readonly POD_DISRUPTION_BUDGETS = Resource.builtin('policy', 'poddisruptionbudgets');
  // rbac.authorization.k8s.io
  /** clusterrolebindings (rbac.authorization.k8s.io, cluster-scoped). */
  public static readonly CLUSTER_ROLE_BINDINGS = Resource.builtin('rbac.authorization.k8s.io', 'clusterrolebindings', false);
  /** clusterroles (rbac.authorization.k8s.io, cluster-scoped). */
  public static readonly CLUSTER_ROLES = Resource.builtin('rbac.authorization.k8s.io', 'clusterroles', false);
  /** rolebindings (rbac.authorization.k8s.io). */
  public static readonly ROLE_BINDINGS = Resource.builtin('rbac.authorization.k8s.io', 'rolebindings');
  /** roles (rbac.authorization.k8s.io). */
  public static readonly ROLES = Resource.builtin('rbac.authorization.k8s.io', 'roles');
  // scheduling.k8s.io, storage.k8s.io
  /** priorityclasses (scheduling.k8s.io, cluster-scoped). */
  public static readonly PRIORITY_CLASSES = Resource.builtin('scheduling.k8s.io', 'priorityclasses', false);
  /** csidrivers (storage.k8s.io, cluster-scoped). */
  public static readonly CSI_DRIVERS = Resource.builtin('storage.k8s.io', 'csidrivers', false);
  /** csinodes (storage.k8s.io, cluster-scoped). */
  public static readonly CSI_NODES = Resource.builtin('storage.k8s.io', 'csinodes', false);
  /** csistoragecapacities (storage.k8s.io). */
  public static readonly CSI_STORAGE_CAPACITIES = Resource.builtin('storage.k8s.io', 'csistoragecapacities');
  /** storageclasses (storage.k8s.io, cluster-scoped). */
  public static readonly STORAGE_CLASSES = Resource.builtin('storage.k8s.io', 'storageclasses', false);
  /** volumeattachments (storage.k8s.io, cluster-scoped). */
  public static readonly VOLUME_ATTACHMENTS = Resource.builtin('storage.k8s.io', 'volumeattachments', false);
  /** `*` in group and resource: everything. Refused unless `RbacRisk.WILDCARD` is accepted. */
  public static readonly ALL = new Resource('*', '*', true);

  /** A resource type that is not built in: a custom resource or one of an aggregated API server. */
  public static custom(options: CustomResourceOptions): Resource {
    return new Resource(options.group, options.resource, options.namespaced ?? true);
  }

  /**
   * Reads kubectl's notation: `pods`, `pods/log`, `deployments.apps`, `networks.samplecrd.k8s.io/status`.
   * A name without a group is looked up among the built-in types (core group first); a name with a
   * group that is not built in becomes a namespaced custom resource.
   */
  public static parse(text: string): Resource {
    const slash = text.indexOf('/');
    const base = slash >= 0 ? text.slice(0, slash) : text;
    const sub = slash >= 0 ? text.slice(slash + 1) : undefined;
    const dot = base.indexOf('.');
    const plural = dot >= 0 ? base.slice(0, dot) : base;
    const group = dot >= 0 ? base.slice(dot + 1) : undefined;
    const found = group === undefined ? Resource.lookup(plural) : BUILTIN.get(`${group}|${plural}`) ?? new Resource(group, plural, true);
    if (!found) {
      throw new Error(`"${text}" is not a built-in Kubernetes 1.27 resource; name its group ("${text}.example.com") or use Resource.custom(...)`);
    }
    return sub !== undefined ? found.subresource(sub) : found;
  }

  /** A cdk8s-plus `ApiResource` (e.g. `ApiResource.PODS`) as a `Resource`. */
  public static fromPlus(resource: IApiResource): Resource {
    const [plural, sub] = resource.resourceType.split('/');
    const base = BUILTIN.get(`${resource.apiGroup}|${plural}`) ?? new Resource(resource.apiGroup, plural, true);
    const withSub = sub ? base.subresource(sub) : base;
    return resource.resourceName ? withSub.named(resource.resourceName) : withSub;
  }

  private static builtin(group: string, plural: string, namespaced = true): Resource {
    const r = new Resource(group, plural, namespaced);
    BUILTIN.set(`${group}|${plural}`, r);
    return r;
  }

  private static lookup(plural: string): Resource | undefined {
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
    public readonly names: readonly string[] = [],
  ) {}

  /** The same resource's subresource, e.g. `Resource.DEPLOYMENTS.subresource('scale')`. */
  public subresource(name: string): Resource {
    return new Resource(this.group, this.plural, this.namespaced, name, this.names);
  }

  /** The same resource limited to the objects with these names (`resourceNames`). */
  public named(...names: string[]): Resource {
    return new Resource(this.group, this.plural, this.namespaced, this.subresourceName, [...this.names, ...names]);
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


/** kubectl's notation for a rule entry: `pods`, `deployments.apps/scale`. */
export function formatResource(group: string, path: string): string {
  const slash = path.indexOf('/');
  const plural = slash >= 0 ? path.slice(0, slash) : path;
  const sub = slash >= 0 ? path.slice(slash) : '';
  return `${plural}${group ? `.${group}` : ''}${sub}`;
}

/** Something that names a resource type: a `CustomResourceDefinition` does. */
export interface IResourceType {
  /** The resource type. */
  readonly resource: Resource;
}

/** A resource as grants take it: a `Resource`, kubectl's notation (`'pods/log'`), a cdk8s-plus `ApiResource`, or a CRD. */
export type ResourceLike = Resource | string | IApiResource | IResourceType;

/** Normalizes a `ResourceLike`. Throws a plain Error for an unknown name (callers report it against their field). */
export function toResource(r: ResourceLike): Resource {
  if (r instanceof Resource) return r;
  if (typeof r === 'string') return Resource.parse(r);
  if ('resourceType' in r) return Resource.fromPlus(r);
  return r.resource;
}

/** `toResource`, reporting an unknown name as a `PatternError` at `scope`'s `field`. */
export function resolveResource(scope: IConstruct, field: string, like: ResourceLike): Resource {
  try {
    return toResource(like);
  } catch (e) {
    return fail(scope, field, (e as Error).message);
  }
}
