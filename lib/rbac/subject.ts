import { Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { toDnsSlug } from '../core/names';
import { IPodWorkload, isPodWorkload } from '../pod/workload';
import { RbacServiceAccount } from './service-account';

/** The kinds of RBAC subject. */
export enum SubjectKind {
  SERVICE_ACCOUNT = 'ServiceAccount',
  USER = 'User',
  GROUP = 'Group',
}

/** Where a subject comes from, which decides whether a binding to it is checked. */
export enum SubjectOrigin {
  /** An object of this app (a ServiceAccount construct). */
  APP = 'app',
  /** Given by name; a ServiceAccount of that name must exist in the app (checked at synth). */
  BY_NAME = 'by-name',
  /** Declared to exist outside the app (and Users and Groups, which are not objects). */
  EXTERNAL = 'external',
}

/**
 * Who a binding grants to: a ServiceAccount (ours, cdk8s-plus's, or one given by name), a User or a Group.
 * Subjects are usually passed as the objects themselves (`access.allow(sa)`, `access.allow(workload)`);
 * this class covers the rest.
 */
export class Subject {
  /** A user, as the authenticator names it (`jane@example.com`). */
  public static user(name: string): Subject {
    return new Subject(SubjectKind.USER, name, undefined, SubjectOrigin.EXTERNAL);
  }

  /** A group (`system:authenticated`, `platform-team`). */
  public static group(name: string): Subject {
    return new Subject(SubjectKind.GROUP, name, undefined, SubjectOrigin.EXTERNAL);
  }

  /** Every ServiceAccount of a namespace (the group `system:serviceaccounts:<ns>`), or of the cluster. */
  public static allServiceAccounts(namespace?: string): Subject {
    return Subject.group(namespace ? `system:serviceaccounts:${namespace}` : 'system:serviceaccounts');
  }

  /**
   * A ServiceAccount of this app given by name; synth fails unless the app has a ServiceAccount with
   * that name in that namespace (ours, cdk8s-plus's, or a raw object).
   * @param namespace @default - the binding's namespace
   */
  public static serviceAccount(name: string, namespace?: string): Subject {
    return new Subject(SubjectKind.SERVICE_ACCOUNT, name, namespace, SubjectOrigin.BY_NAME);
  }

  /** A ServiceAccount that exists outside this app (created by another tool or chart). */
  public static externalServiceAccount(name: string, namespace: string): Subject {
    return new Subject(SubjectKind.SERVICE_ACCOUNT, name, namespace, SubjectOrigin.EXTERNAL);
  }

  /**
   * Normalizes what grants accept. A workload is granted API access by this call: its pods get their
   * own ServiceAccount (named after the workload) and the token mounted.
   */
  public static of(like: SubjectLike): Subject {
    if (like instanceof Subject) return like;
    if (RbacServiceAccount.isRbacServiceAccount(like))
      return new Subject(SubjectKind.SERVICE_ACCOUNT, like.name, like.namespace, SubjectOrigin.APP);
    if (isPodWorkload(like)) return Subject.ofWorkload(like, true)!;
    const config = like.toSubjectConfiguration();
    // only a cdk8s-plus ServiceAccount is an object of this app; Users, Groups and other ServiceAccounts are external
    const origin =
      config.kind === SubjectKind.SERVICE_ACCOUNT && like instanceof plus.ServiceAccount ? SubjectOrigin.APP : SubjectOrigin.EXTERNAL;
    const namespace = config.namespace ?? (like instanceof plus.ServiceAccount ? Chart.of(like).namespace : undefined);
    return new Subject(config.kind as SubjectKind, config.name, namespace, origin);
  }

  /**
   * The ServiceAccount a workload's pods run as. With `grant`, API access is switched on first;
   * without, undefined for a workload that was never granted access (its pods carry no token).
   */
  public static ofWorkload(workload: IPodWorkload, grant: boolean): Subject | undefined {
    if (!grant && !workload.pod.hasApiAccess) return undefined;
    const account = workload.pod._grantApiAccess(
      workload.pod.serviceAccount ?? new RbacServiceAccount(workload, 'ServiceAccount', { name: workload.name }),
    );
    const name = account.name;
    if (RbacServiceAccount.isRbacServiceAccount(account) && account.node.scope === workload) {
      return new Subject(SubjectKind.SERVICE_ACCOUNT, name, account.namespace, SubjectOrigin.APP);
    }
    // a ServiceAccount the workload was given: pods can only use one of their own namespace
    return new Subject(SubjectKind.SERVICE_ACCOUNT, name, Chart.of(workload).namespace, SubjectOrigin.BY_NAME);
  }

  private constructor(
    /** ServiceAccount, User or Group. */
    public readonly kind: SubjectKind,
    /** The subject's name. */
    public readonly name: string,
    /** A ServiceAccount's namespace, if known. */
    public readonly namespace: string | undefined,
    /** Whether the subject is in the app, given by name, or external. */
    public readonly origin: SubjectOrigin,
  ) {}

  /** The subject with its namespace filled in (a ServiceAccount given by name without one lives in the binding's namespace). */
  public inNamespace(namespace: string | undefined): Subject {
    if (this.kind !== SubjectKind.SERVICE_ACCOUNT || this.namespace !== undefined || this.origin === SubjectOrigin.APP) return this;
    return new Subject(this.kind, this.name, namespace, this.origin);
  }

  /** Identity for deduplication and lookups: `kind|namespace|name`. */
  public get key(): string {
    return `${this.kind}|${this.namespace ?? ''}|${this.name}`;
  }

  /** A DNS-safe form of the name, for naming the objects that grant to it (`jane@example.com` → `jane-example.com`). */
  public get slug(): string {
    return toDnsSlug(this.name);
  }

  /** `ServiceAccount mynamespace/example-sa`, `User jane`. */
  public toString(): string {
    return `${this.kind} ${this.namespace !== undefined ? `${this.namespace}/` : ''}${this.name}`;
  }
}

/** What grants and bindings accept as a subject. */
export type SubjectLike = Subject | IPodWorkload | plus.ISubject;
