import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { Access } from './access';
import { RbacResource, ResourceLike, resolveResource } from './resource';
import { RbacRisk } from './risks';
import { isPodWorkload } from '../pod/workload';
import { Subject, SubjectLike } from './subject';

/** Props of a `ControllerAccess`. */
export interface ControllerAccessProps {
  /** The controller: usually its workload (it then runs under its own ServiceAccount), or a ServiceAccount. */
  readonly controller: SubjectLike;
  /** The custom resources it reconciles (CRDs): it may get, list and watch them. */
  readonly watches: ResourceLike[];
  /** Other objects it only reads (get, list, watch), e.g. `Resource.PODS`. @default - none */
  readonly reads?: ResourceLike[];
  /** Objects it creates, updates and deletes (`Verbs.FULL`). @default - none */
  readonly manages?: ResourceLike[];
  /** Let it write the `/status` subresource of the watched resources (update, patch). @default false */
  readonly updatesStatus?: boolean;
  /** Let it record Events (create, patch) where it works. @default false */
  readonly recordsEvents?: boolean;
  /** Let it hold a leader-election Lease in its own namespace. @default false */
  readonly leaderElection?: boolean;
  /** Watch every namespace (ClusterRole) instead of only its own (Role). @default false */
  readonly clusterWide?: boolean;
  /** Names of the roles and bindings. @default - the controller's name */
  readonly name?: string;
  /** @default - none */
  readonly acceptRisks?: RbacRisk[];
}

/**
 * The custom-controller pattern's permissions: the controller may watch its custom resources and
 * the objects it reads, manage the objects it owns, and — only when asked — write status, record
 * events and hold a leader-election lease. Nothing else. Cluster-scoped custom resources are always
 * granted cluster-wide; the rest in the controller's namespace, or in every namespace with `clusterWide`.
 */
export class ControllerAccess extends Construct {
  /** The grants, for adding more (`controllerAccess.access.allow(...)`). */
  public readonly access: Access;
  /** The controller's identity. */
  public readonly subject: Subject;

  constructor(scope: Construct, id: string, props: ControllerAccessProps) {
    super(scope, id);
    if (!props.watches || props.watches.length === 0)
      fail(this, 'watches', 'a controller watches at least one resource', 'pass its CustomResourceDefinition');
    this.subject = Subject.of(props.controller);
    const name = props.name ?? (isPodWorkload(props.controller) ? props.controller.name : this.subject.slug);
    const namespace = this.subject.namespace;
    this.access = new Access(this, 'Access', { name, namespace, acceptRisks: props.acceptRisks });
    const grant = props.clusterWide ? this.access.allow(this.subject).clusterWide() : this.access.allow(this.subject);
    grant.read(...props.watches, ...(props.reads ?? []));
    if (props.manages?.length) grant.full(...props.manages);
    if (props.updatesStatus) grant.to('update', 'patch').on(...props.watches.map((w) => statusOf(this, w)));
    if (props.recordsEvents) grant.to('create', 'patch').on(RbacResource.EVENTS);
    // leases stay in the controller's own namespace even for a cluster-wide controller
    if (props.leaderElection) this.access.allow(this.subject).to('get', 'create', 'update').on(RbacResource.LEASES);
  }
}

function statusOf(scope: Construct, like: ResourceLike): RbacResource {
  return resolveResource(scope, 'watches', like).subresource('status');
}
