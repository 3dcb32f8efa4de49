/** Where a role comes from, which decides whether a binding to it is checked. */
export enum RoleOrigin {
  /** A Role or ClusterRole construct of this app. */
  APP = 'app',
  /** Given by name; the app must have a role of that kind, name (and namespace) — checked at synth. */
  BY_NAME = 'by-name',
  /** One of the cluster's predefined roles (view, edit, admin, cluster-admin). */
  PREDEFINED = 'predefined',
  /** Declared to exist outside the app. */
  EXTERNAL = 'external',
}

/** The role a binding grants: kind, name and, for a Role, its namespace. */
export class RoleRef {
  /** Read-only access to most objects of a namespace (not Secrets, Roles or bindings). */
  public static readonly VIEW = new RoleRef('ClusterRole', 'view', undefined, RoleOrigin.PREDEFINED);
  /** Read/write access to most objects of a namespace (not Roles or bindings). */
  public static readonly EDIT = new RoleRef('ClusterRole', 'edit', undefined, RoleOrigin.PREDEFINED);
  /** Full access within a namespace, including Roles and RoleBindings (not the namespace or its quota). */
  public static readonly ADMIN = new RoleRef('ClusterRole', 'admin', undefined, RoleOrigin.PREDEFINED);
  /** Full control of the cluster. Binding it is refused unless `RbacRisk.CLUSTER_ADMIN` is accepted. */
  public static readonly CLUSTER_ADMIN = new RoleRef('ClusterRole', 'cluster-admin', undefined, RoleOrigin.PREDEFINED);

  /** A Role of this app, by name, in the binding's namespace (checked at synth). */
  public static role(name: string): RoleRef {
    return new RoleRef('Role', name, undefined, RoleOrigin.BY_NAME);
  }

  /** A ClusterRole of this app, by name (checked at synth). */
  public static clusterRole(name: string): RoleRef {
    return new RoleRef('ClusterRole', name, undefined, RoleOrigin.BY_NAME);
  }

  /** A Role that exists outside this app, in the binding's namespace. */
  public static externalRole(name: string): RoleRef {
    return new RoleRef('Role', name, undefined, RoleOrigin.EXTERNAL);
  }

  /** A ClusterRole that exists outside this app (e.g. `system:auth-delegator`). */
  public static externalClusterRole(name: string): RoleRef {
    return new RoleRef('ClusterRole', name, undefined, RoleOrigin.EXTERNAL);
  }

  /** The reference of a Role or ClusterRole construct of this app (their `roleRef`). */
  /** @internal */
  public static _ofConstruct(kind: string, name: string, namespace: string | undefined): RoleRef {
    return new RoleRef(kind, name, namespace, RoleOrigin.APP);
  }

  private constructor(
    /** `Role` or `ClusterRole`. */
    public readonly kind: string,
    /** The role's name. */
    public readonly name: string,
    /** A Role's namespace, when known. */
    public readonly namespace: string | undefined,
    /** Whether it is in the app, given by name, predefined or external. */
    public readonly origin: RoleOrigin,
  ) {}

  /** The `roleRef` of a binding. */
  public toJson(): { [key: string]: string } {
    return { apiGroup: 'rbac.authorization.k8s.io', kind: this.kind, name: this.name };
  }

  /** `ClusterRole/view`. */
  public toString(): string {
    return `${this.kind}/${this.name}`;
  }
}

/** A role construct: it knows its reference. */
export interface IRbacRole {
  /** The reference a binding uses. */
  readonly roleRef: RoleRef;
}

/** What bindings accept as a role. */
export type RoleLike = RoleRef | IRbacRole;

/** Normalizes a `RoleLike`. */
export function toRoleRef(role: RoleLike): RoleRef {
  return role instanceof RoleRef ? role : role.roleRef;
}
