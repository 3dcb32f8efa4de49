import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { addChecks } from '../synth/pipeline';
import { fail, Problem, problemAt, recordObjectRef } from '../core/errors';
import { markPlainRendered, renderManifest } from '../core/manifest';
import { defaultNameOf } from '../core/names';
import { checkRbacName } from './naming';
import { addExternal } from '../validation/policy';
import { RoleLike, RoleOrigin, RoleRef, toRoleRef } from './role-ref';
import { acceptHint, RbacRisk } from './risks';
import { Subject, SubjectKind, SubjectLike, SubjectOrigin } from './subject';

/** Props shared by `RoleBinding` and `ClusterRoleBinding`. */
export interface RbacBindingProps {
  /** The role granted. */
  readonly role: RoleLike;
  /** Who is granted it (more can be added with `addSubjects`). @default - none yet */
  readonly subjects?: SubjectLike[];
  /** @default - derived from the construct path (see `defaultName`) */
  readonly name?: string;
  /** Guard rails this binding may cross (only `RbacRisk.CLUSTER_ADMIN` applies to bindings). @default - none */
  readonly acceptRisks?: RbacRisk[];
}

/** Props of a `RoleBinding`. */
export interface RbacRoleBindingProps extends RbacBindingProps {
  /** @default - the chart's namespace */
  readonly namespace?: string;
}

/** Props of a `ClusterRoleBinding`. */
export interface RbacClusterRoleBindingProps extends RbacBindingProps {}

/**
 * What RoleBinding and ClusterRoleBinding share: subjects (deduplicated, in the order added), the role
 * reference, and the checks — cluster-admin, ServiceAccount namespaces, references by name.
 */
export abstract class RbacBindingBase extends ApiObject {
  /** The role granted. */
  public readonly roleRef: RoleRef;

  private readonly subjectsByKey = new Map<string, Subject>();
  // usually empty: an array costs less than a Set on every role and binding of a large app
  private readonly risks: RbacRisk[];

  /** Namespace of the binding (undefined for a ClusterRoleBinding, or when the chart has none). */
  public readonly namespace?: string;

  /**
   * @param kind `RoleBinding` or `ClusterRoleBinding`
   * @param namespace the RoleBinding's namespace
   */
  protected constructor(scope: Construct, id: string, props: RbacBindingProps, kind: string, namespace?: string) {
    // an API object itself rather than a construct holding one: every grant makes a role and a binding
    super(scope, id, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name: props.name ?? defaultNameOf(scope, id), namespace },
    });
    this.namespace = namespace;
    checkRbacName(this, 'name', this.name);
    recordObjectRef(this, kind, this.name);
    markPlainRendered(this);
    this.roleRef = toRoleRef(props.role);
    this.risks = [...(props.acceptRisks ?? [])];
    // references by name are resolved app-wide by validation (rule binding-refs); external ones are declared to it
    if (this.roleRef.origin === RoleOrigin.EXTERNAL) {
      addExternal(this, {
        roles: [this.roleRef.kind === 'Role' && namespace !== undefined ? `${namespace}/${this.roleRef.name}` : this.roleRef.name],
      });
    }
    this.addSubjects(...(props.subjects ?? []));
    addChecks(this, () => this.check());
  }

  /** The RoleBinding or ClusterRoleBinding object: this construct itself (every construct of the library has `apiObject`). */
  public get apiObject(): ApiObject {
    return this;
  }

  /** The manifest. */
  public toJson(): any {
    return renderManifest(
      this,
      { roleRef: this.roleRef.toJson(), subjects: this.subjects.map(renderSubject) },
      this.kind === 'ClusterRoleBinding',
    );
  }

  /** Adds subjects; one already bound is ignored. */
  public addSubjects(...subjects: SubjectLike[]): void {
    for (const like of subjects) {
      const subject = Subject.of(like).inNamespace(this.namespace);
      if (this.subjectsByKey.has(subject.key)) continue;
      this.subjectsByKey.set(subject.key, subject);
      if (subject.kind === SubjectKind.SERVICE_ACCOUNT && subject.origin === SubjectOrigin.EXTERNAL) {
        addExternal(this, { serviceAccounts: [subject.namespace !== undefined ? `${subject.namespace}/${subject.name}` : subject.name] });
      }
    }
  }

  /** Lets this binding cross guard rails (same as `acceptRisks`). */
  public acceptRisks(...risks: RbacRisk[]): void {
    for (const r of risks) if (!this.risks.includes(r)) this.risks.push(r);
  }

  /** The subjects, in the order added. */
  public get subjects(): Subject[] {
    return [...this.subjectsByKey.values()];
  }

  private check(): Problem[] {
    const problems: Problem[] = [];
    const at = (field: string, rule: string, hint?: string, ruleId?: string) =>
      problems.push(problemAt(this, { field, rule, hint, ruleId }));
    if (this.subjectsByKey.size === 0) at('subjects', 'has no subjects, so it grants nothing', 'add some with addSubjects(...)');
    if (this.roleRef.kind === 'ClusterRole' && this.roleRef.name === 'cluster-admin' && !this.risks.includes(RbacRisk.CLUSTER_ADMIN)) {
      at(
        'roleRef',
        'binds cluster-admin, which gives full control of the cluster',
        acceptHint(RbacRisk.CLUSTER_ADMIN),
        `rbac/${RbacRisk.CLUSTER_ADMIN}`,
      );
    }
    this.subjects.forEach((s, i) => {
      if (s.kind !== SubjectKind.SERVICE_ACCOUNT) return;
      // (a ClusterRoleBinding subject without namespace is reported by validation, rule binding-refs)
      if (this.kind === 'RoleBinding' && s.namespace === undefined && this.namespace !== undefined) {
        at(
          `subjects[${i}].namespace`,
          `ServiceAccount "${s.name}" has no namespace (its chart has none) while the binding is in "${this.namespace}"`,
          'give the ServiceAccount (or its chart) a namespace',
        );
      }
    });
    return problems;
  }
}

function renderSubject(s: Subject) {
  return s.kind === SubjectKind.SERVICE_ACCOUNT
    ? { kind: s.kind, name: s.name, namespace: s.namespace }
    : { apiGroup: 'rbac.authorization.k8s.io', kind: s.kind, name: s.name };
}

/**
 * A RoleBinding: grants a Role of its namespace, or a ClusterRole's rules within its namespace
 * (the usual way to give someone `view`, `edit` or `admin` on one namespace).
 */
export class RbacRoleBinding extends RbacBindingBase {
  constructor(scope: Construct, id: string, props: RbacRoleBindingProps) {
    super(scope, id, props, 'RoleBinding', props.namespace ?? Chart.of(scope).namespace);
    const role = this.roleRef;
    if (role.kind === 'Role' && role.origin === RoleOrigin.APP && (role.namespace ?? '') !== (this.namespace ?? '')) {
      fail(
        this,
        'role',
        `Role "${role.name}" is in ${describeNamespace(role.namespace)} but the binding is in ${describeNamespace(this.namespace)}; a RoleBinding can only grant a Role of its own namespace`,
        "bind it in the Role's namespace, or use a ClusterRole",
      );
    }
  }
}

/** A ClusterRoleBinding: grants a ClusterRole in every namespace and on cluster-scoped resources. */
export class RbacClusterRoleBinding extends RbacBindingBase {
  constructor(scope: Construct, id: string, props: RbacClusterRoleBindingProps) {
    super(scope, id, props, 'ClusterRoleBinding');
    if (this.roleRef.kind !== 'ClusterRole') {
      fail(
        this,
        'role',
        `a ClusterRoleBinding can only grant a ClusterRole, not Role "${this.roleRef.name}"`,
        "use a RoleBinding in the Role's namespace",
      );
    }
  }
}

function describeNamespace(ns: string | undefined): string {
  return ns === undefined ? 'no namespace' : `namespace "${ns}"`;
}
