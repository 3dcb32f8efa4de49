import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ConstructState } from '../core/state';
import { fail } from '../core/errors';
import { defaultName } from '../core/names';
import { RbacClusterRoleBinding, RbacRoleBinding } from './binding';
import { RbacClusterRole } from './cluster-role';
import { checkRbacName, joinName } from './naming';
import { ResourceLike, resolveResource } from './resource';
import { RbacRisk } from './risks';
import { RbacRole, RbacRoleBase } from './role';
import { RoleLike, RoleOrigin, toRoleRef } from './role-ref';
import { checkUrls, checkVerbs } from './rules';
import { IPodWorkload } from '../pod/workload';
import { Subject, SubjectLike } from './subject';
import { toVerbs, VerbLike, Verbs } from './verbs';

/** Props of an `Access`. */
export interface AccessProps {
  /** First part of the names of the roles and bindings it creates. @default - derived from the construct path */
  readonly name?: string;
  /** Namespace of grants that do not choose one. @default - the chart's namespace */
  readonly namespace?: string;
  /** Guard rails its roles and bindings may cross. @default - none */
  readonly acceptRisks?: RbacRisk[];
}

/** Where a grant applies: one namespace (Role + RoleBinding) or the cluster (ClusterRole + ClusterRoleBinding). */
interface GrantScope {
  readonly cluster: boolean;
  readonly namespace?: string;
  /** The namespace was chosen with `inNamespace` (cluster-scoped resources are then an error). */
  readonly explicit: boolean;
}

/**
 * Who may do what, written as sentences:
 *
 *     access.allow(sa).to(Verbs.READ).on(Resource.PODS);            // Role + RoleBinding in the namespace
 *     access.allow(sa).to('get').on(Resource.NODES, '/healthz');    // cluster-scoped: ClusterRole + binding
 *     access.allow(ops).clusterWide().read(Resource.DEPLOYMENTS);   // every namespace
 *     access.allow(devs).inNamespace('team-a').withRole(RoleRef.EDIT);
 *
 * Each subject gets one Role per namespace and one ClusterRole, holding everything granted to it
 * (merged and sorted), each with one binding of the same name: `<access>-<subject>` (a single
 * `<name>` when both are equal, e.g. a workload's own access). Predefined and other existing roles
 * are bound with `withRole`, as `<access>-<subject>-<role>`.
 */
export class Access extends Construct {
  /** First part of the names it creates. */
  public readonly name: string;
  /** Namespace of grants that do not choose one (explicit or the chart's). */
  public readonly namespace?: string;

  private readonly book: GrantBook;

  constructor(scope: Construct, id: string, props: AccessProps = {}) {
    super(scope, id);
    this.name = checkRbacName(this, 'name', props.name ?? defaultName(this));
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.book = new GrantBook(this, '', this.name, this.namespace, [...(props.acceptRisks ?? [])]);
  }

  /**
   * Grants a workload API access: `Access.forWorkload(web).read(RbacResource.CONFIG_MAPS)`. Its pods
   * then run under a ServiceAccount of their own named after it, with the token mounted; the Role and
   * RoleBinding are named after it too.
   */
  public static forWorkload(workload: IPodWorkload): Grant {
    // the ServiceAccount first, so it is written before the Role and RoleBinding
    const subject = Subject.ofWorkload(workload, true)!;
    return GrantBook.ofWorkload(workload).allow([subject]);
  }

  /** Starts a grant to one or more subjects: ServiceAccounts, workloads, `Subject.user(...)`, `Subject.group(...)`. */
  public allow(...subjects: SubjectLike[]): Grant {
    if (subjects.length === 0) fail(this, 'subjects', 'allow() needs at least one subject');
    return this.book.allow(subjects.map((s) => Subject.of(s)));
  }

  /** Lets every role and binding of this access cross these guard rails. */
  public acceptRisks(...risks: RbacRisk[]): void {
    this.book.acceptRisks(risks);
  }

  /** The Roles and ClusterRoles created so far. */
  public get roles(): RbacRoleBase[] {
    return this.book.roles;
  }

  /** The RoleBindings and ClusterRoleBindings created so far. */
  public get bindings(): Array<RbacRoleBinding | RbacClusterRoleBinding> {
    return this.book.bindings;
  }
}

/**
 * What an `Access` keeps: one role per subject and scope, the bindings, the guard rails accepted. The
 * roles and bindings are created in `host` (an `Access`, or a workload granted access with
 * `Access.forWorkload`, so that a workload's own access adds no construct of its own).
 */
class GrantBook {
  /** The book of a workload's own access, created on first use. */
  public static ofWorkload(workload: IPodWorkload): GrantBook {
    return workloadBooks.getOrCreate(workload, () => new GrantBook(workload, 'Access-', workload.name, Chart.of(workload).namespace, []));
  }

  private readonly slots = new Map<string, RbacRoleBase>();
  private readonly slotNames = new Map<string, string>();
  private readonly bindingsByKey = new Map<string, RbacRoleBinding | RbacClusterRoleBinding>();

  constructor(
    /** Where the objects are created and problems reported. */
    public readonly host: IConstruct,
    private readonly idPrefix: string,
    public readonly name: string,
    public readonly namespace: string | undefined,
    // usually empty: an array costs less than a Set on every role and binding of a large app
    private readonly risks: RbacRisk[],
  ) {}

  public get roles(): RbacRoleBase[] {
    return [...this.slots.values()];
  }

  public get bindings(): Array<RbacRoleBinding | RbacClusterRoleBinding> {
    return [...this.bindingsByKey.values()];
  }

  public acceptRisks(risks: RbacRisk[]): void {
    for (const r of risks) if (!this.risks.includes(r)) this.risks.push(r);
    for (const role of this.roles) role.acceptRisks(...risks);
    for (const binding of this.bindings) binding.acceptRisks(...risks);
  }

  /** A grant to `subjects` in the book's namespace. */
  public allow(subjects: Subject[]): Grant {
    return Grant._create(this, subjects, { cluster: false, namespace: this.namespace, explicit: false });
  }

  /** Adds `verbs` on `resources` for `subjects`, each resource in the scope it can be granted in. */
  public grantResources(subjects: Subject[], scope: GrantScope, verbs: Verbs, resources: ResourceLike[]): void {
    if (resources.length === 0) fail(this.host, 'resources', 'on() needs at least one resource');
    for (const like of resources) {
      const resource = resolveResource(this.host, 'resources', like);
      let target = scope;
      if (!scope.cluster && !resource.namespaced) {
        if (scope.explicit) {
          fail(
            this.host,
            'resources',
            `"${resource}" is cluster-scoped and cannot be granted in namespace "${scope.namespace}"`,
            'grant it without inNamespace(), or with clusterWide()',
          );
        }
        target = CLUSTER;
      }
      for (const subject of subjects) this.slot(subject, target)._addResources(verbs, [resource]);
    }
  }

  /** Adds `verbs` on non-resource URLs for `subjects` (always cluster-wide). */
  public grantUrls(subjects: Subject[], scope: GrantScope, verbs: Verbs, urls: string[]): void {
    checkUrls(this.host, 'nonResourceURLs', urls);
    if (!scope.cluster && scope.explicit) {
      fail(
        this.host,
        'nonResourceURLs',
        `non-resource URLs are not namespaced and cannot be granted in namespace "${scope.namespace}"`,
        'grant them without inNamespace()',
      );
    }
    for (const subject of subjects) (this.slot(subject, CLUSTER) as RbacClusterRole)._addUrls(verbs, urls);
  }

  /** Binds an existing role (predefined, external, or a role construct) to `subjects`. */
  public grantRole(subjects: Subject[], scope: GrantScope, role: RoleLike): void {
    const ref = toRoleRef(role);
    if (scope.cluster && ref.kind === 'Role')
      fail(this.host, 'role', `Role "${ref.name}" cannot be granted cluster-wide`, 'only a ClusterRole can');
    // a Role of the app is bound in its own namespace unless the grant chose one
    const namespace = ref.kind === 'Role' && ref.origin === RoleOrigin.APP && !scope.explicit ? ref.namespace : scope.namespace;
    for (const subject of subjects) {
      const key = `${scope.cluster ? '*' : (namespace ?? '')}|${subject.key}|${ref}`;
      const existing = this.bindingsByKey.get(key);
      if (existing) continue;
      const props = { name: joinName(this.name, subject.slug, ref.name), role: ref, subjects: [subject], acceptRisks: [...this.risks] };
      const id = `${scope.cluster ? 'Cluster' : `Ns-${namespace ?? ''}`}-${subject.kind}-${subject.slug}-${ref.kind}-${ref.name}`;
      this.bindingsByKey.set(
        key,
        scope.cluster
          ? new RbacClusterRoleBinding(this.host, this.idPrefix + id, props)
          : new RbacRoleBinding(this.host, this.idPrefix + id, { ...props, namespace }),
      );
    }
  }

  /** The role (and its binding) holding what `subject` is granted in `scope`. */
  private slot(subject: Subject, scope: GrantScope): RbacRoleBase {
    const where = scope.cluster ? '*' : (scope.namespace ?? '');
    const key = `${where}|${subject.key}`;
    const existing = this.slots.get(key);
    if (existing) return existing;
    const name = joinName(this.name, subject.slug);
    const clash = this.slotNames.get(`${where}|${name}`);
    if (clash !== undefined) {
      fail(
        this.host,
        'subjects',
        `${subject} and ${clash} would both get a ${scope.cluster ? 'ClusterRole' : 'Role'} named "${name}"`,
        'grant them through separate Access constructs',
      );
    }
    this.slotNames.set(`${where}|${name}`, subject.toString());
    const id = `${scope.cluster ? 'Cluster' : `Ns-${scope.namespace ?? ''}`}-${subject.kind}-${subject.slug}`;
    const acceptRisks = [...this.risks];
    let role: RbacRoleBase;
    if (scope.cluster) {
      const clusterRole = new RbacClusterRole(this.host, this.idPrefix + id, { name, acceptRisks });
      this.bindingsByKey.set(
        key,
        new RbacClusterRoleBinding(this.host, `${this.idPrefix}${id}-Binding`, {
          name,
          role: clusterRole,
          subjects: [subject],
          acceptRisks,
        }),
      );
      role = clusterRole;
    } else {
      const nsRole = new RbacRole(this.host, this.idPrefix + id, { name, namespace: scope.namespace, acceptRisks });
      this.bindingsByKey.set(
        key,
        new RbacRoleBinding(this.host, `${this.idPrefix}${id}-Binding`, {
          name,
          namespace: scope.namespace,
          role: nsRole,
          subjects: [subject],
          acceptRisks,
        }),
      );
      role = nsRole;
    }
    this.slots.set(key, role);
    return role;
  }
}

const workloadBooks = new ConstructState<GrantBook>();

const CLUSTER: GrantScope = { cluster: true, explicit: false };

/** A grant in progress: who (and where); `to(...)`, `read(...)` or `withRole(...)` completes it. */
export class Grant {
  /** @internal */
  public static _create(book: GrantBook, subjects: Subject[], scope: GrantScope): Grant {
    return new Grant(book, subjects, scope);
  }

  private constructor(
    private readonly book: GrantBook,
    private readonly subjects: Subject[],
    private readonly scope: GrantScope,
  ) {}

  /** Grants within `namespace` instead of the access's namespace. */
  public inNamespace(namespace: string): Grant {
    return Grant._create(this.book, this.subjects, { cluster: false, namespace, explicit: true });
  }

  /** Grants in every namespace and on cluster-scoped resources (ClusterRole + ClusterRoleBinding). */
  public clusterWide(): Grant {
    return Grant._create(this.book, this.subjects, CLUSTER);
  }

  /** The verbs granted: `to('get', 'list')`, `to(Verbs.READ)`; name the resources or URLs next. */
  public to(...verbs: VerbLike[]): VerbGrant {
    const set = toVerbs(verbs);
    checkVerbs(this.book.host, 'verbs', set.list);
    return VerbGrant._create(this.book, this.subjects, this.scope, set);
  }

  /** Shorthand for `to(Verbs.READ).on(...)`: get, list, watch. */
  public read(...resources: ResourceLike[]): void {
    this.to(Verbs.READ).on(...resources);
  }

  /** Shorthand for `to(Verbs.WRITE).on(...)`: create, update, patch, delete, deletecollection. */
  public write(...resources: ResourceLike[]): void {
    this.to(Verbs.WRITE).on(...resources);
  }

  /** Shorthand for `to(Verbs.FULL).on(...)`: read and write. */
  public full(...resources: ResourceLike[]): void {
    this.to(Verbs.FULL).on(...resources);
  }

  /**
   * Binds an existing role: `RoleRef.VIEW`/`EDIT`/`ADMIN` in the namespace (RoleBinding), or
   * cluster-wide after `clusterWide()` (ClusterRoleBinding); a Role or ClusterRole of the app; an external one.
   */
  public withRole(role: RoleLike): void {
    this.book.grantRole(this.subjects, this.scope, role);
  }
}

/** A grant with its verbs; `on(...)` or `onUrls(...)` completes it. */
export class VerbGrant {
  /** @internal */
  public static _create(book: GrantBook, subjects: Subject[], scope: GrantScope, verbs: Verbs): VerbGrant {
    return new VerbGrant(book, subjects, scope, verbs);
  }

  private constructor(
    private readonly book: GrantBook,
    private readonly subjects: Subject[],
    private readonly scope: GrantScope,
    private readonly verbs: Verbs,
  ) {}

  /** The resources: `Resource.PODS`, `'pods/log'`, `Resource.SECRETS.named('tls')`, a CRD. */
  public on(...resources: ResourceLike[]): void {
    this.book.grantResources(this.subjects, this.scope, this.verbs, resources);
  }

  /** Non-resource URLs (`/healthz`, `/metrics`); always cluster-wide. */
  public onUrls(...urls: string[]): void {
    this.book.grantUrls(this.subjects, this.scope, this.verbs, urls);
  }
}
