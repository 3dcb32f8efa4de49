import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { addChecks } from '../synth/pipeline';
import { fail, Problem, recordObjectRef } from '../core/errors';
import { markPlainRendered, renderManifest } from '../core/manifest';
import { defaultNameOf } from '../core/names';
import { nonEmpty } from '../core/plain';
import { RbacRoleBinding } from './binding';
import { checkRbacName } from './naming';
import { checkResourceNames } from './resource-names';
import { answeredVerbs, grantViolation, RbacResource, ResourceLike, resolveResource } from './resource';
import { RbacRisk } from './risks';
import { IRbacRole, RoleRef } from './role-ref';
import { checkVerbs, PolicyRules, ruleProblems } from './rules';
import { SubjectLike } from './subject';
import { toVerbs, VerbLike, Verbs } from './verbs';

/** Props shared by `Role` and `ClusterRole`. */
export interface RbacRoleBaseProps {
  /** @default - derived from the construct path (see `defaultName`) */
  readonly name?: string;
  /** Guard rails this role may cross (wildcards, escalation verbs...). @default - none */
  readonly acceptRisks?: RbacRisk[];
  /** Labels on the object. @default - none */
  readonly labels?: { [key: string]: string };
}

/** Props of a `Role`. */
export interface RbacRoleProps extends RbacRoleBaseProps {
  /** @default - the chart's namespace */
  readonly namespace?: string;
}

/** The second half of `role.allow(verbs).on(resources)`. */
export class ResourceGrant {
  /** @internal */
  public static _create(role: RbacRoleBase, verbs: Verbs): ResourceGrant {
    return new ResourceGrant(role, verbs);
  }

  protected constructor(
    /** @internal */ protected readonly _role: RbacRoleBase,
    /** @internal */ protected readonly _verbs: Verbs,
  ) {}

  /** The resources the verbs apply to: `Resource.PODS`, `'pods/log'`, `Resource.SECRETS.named('tls')`, a CRD. */
  public on(...resources: ResourceLike[]): void {
    this._role._addResources(this._verbs, resources);
  }
}

/**
 * What Role and ClusterRole share: merged, sorted rules (`allow(...).on(...)`), guard rails checked at
 * synth, the object rendered from that state.
 */
export abstract class RbacRoleBase extends ApiObject implements IRbacRole {
  /**
   * The rules, merged and deduplicated.
   * @internal
   */
  public readonly _rules = new PolicyRules();
  /** The reference bindings use. */
  public abstract readonly roleRef: RoleRef;

  // usually empty: an array costs less than a Set on every role and binding of a large app
  private readonly risks: RbacRisk[];

  /**
   * @param kind `Role` or `ClusterRole`
   * @param namespace the Role's namespace
   */
  protected constructor(scope: Construct, id: string, props: RbacRoleBaseProps, kind: string, namespace?: string) {
    // an API object itself rather than a construct holding one: every grant makes a role and a binding
    super(scope, id, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name: props.name ?? defaultNameOf(scope, id), namespace, labels: props.labels },
    });
    checkRbacName(this, 'name', this.name);
    recordObjectRef(this, kind, this.name);
    markPlainRendered(this);
    this.risks = [...(props.acceptRisks ?? [])];
    addChecks(this, () => this.check());
    checkResourceNames(this);
  }

  /** The Role or ClusterRole object: this construct itself (every construct of the library has `apiObject`). */
  public get apiObject(): ApiObject {
    return this;
  }

  /** The manifest. */
  public toJson(): any {
    return renderManifest(this, this.renderBody(), this.kind === 'ClusterRole');
  }

  /**
   * Grants verbs — `allow('get', 'list')`, `allow(Verbs.READ)` — on the resources given next:
   * `role.allow(Verbs.READ).on(Resource.PODS)`.
   */
  public allow(...verbs: VerbLike[]): ResourceGrant {
    const set = toVerbs(verbs);
    checkVerbs(this, 'verbs', set.list);
    return ResourceGrant._create(this, set);
  }

  /** Lets this role cross guard rails added later (same as `acceptRisks`). */
  public acceptRisks(...risks: RbacRisk[]): void {
    for (const r of risks) if (!this.risks.includes(r)) this.risks.push(r);
  }

  /**
   * Adds `verbs` on `resources`; presets skip verbs that cannot apply to named objects.
   * @internal
   */
  public _addResources(verbs: Verbs, resources: ResourceLike[]): void {
    if (resources.length === 0) fail(this, 'resources', 'needs at least one resource');
    for (const like of resources) {
      const r = resolveResource(this, 'resources', like);
      this.checkScope(r);
      // presets (Verbs.READ…) keep the verbs the resource answers; verbs given one by one are checked
      const given = r.names.length > 0 ? verbs.forNamedObjects() : verbs.list;
      const answered = verbs.preset ? answeredVerbs(r, given) : given;
      const why = grantViolation(r, answered.length > 0 ? answered : given, verbs._custom);
      if (why) fail(this, why.field, why.rule, why.hint);
      this._rules.addResource(answered, r);
    }
  }

  /** `Kind/name` of the object, as problems about it name it (part of the 1.0 API for subclasses). */
  protected get objectName(): string {
    return `${this.kind}/${this.name}`;
  }

  /** Throws when the resource cannot be granted by this kind of role. */
  protected abstract checkScope(resource: RbacResource): void;

  protected renderBody(): Record<string, unknown> {
    return { rules: nonEmpty(this._rules.toJson()) };
  }

  protected check(): Problem[] {
    return ruleProblems(this, this._rules.toJson(), new Set(this.risks));
  }
}

/** A Role: rules that apply within one namespace; granted by RoleBindings of that namespace. */
export class RbacRole extends RbacRoleBase {
  /** The Role's namespace (explicit or the chart's), if known. */
  public readonly namespace?: string;
  public readonly roleRef: RoleRef;
  private binding?: RbacRoleBinding;

  constructor(scope: Construct, id: string, props: RbacRoleProps = {}) {
    const namespace = props.namespace ?? Chart.of(scope).namespace;
    super(scope, id, props, 'Role', namespace);
    this.namespace = namespace;
    this.roleRef = RoleRef._ofConstruct('Role', this.name, namespace);
  }

  /**
   * Grants this Role to subjects through one RoleBinding of the same name and namespace (created on
   * the first call; later calls add subjects to it).
   */
  public bind(...subjects: SubjectLike[]): RbacRoleBinding {
    this.binding ??= new RbacRoleBinding(this, 'Binding', { name: this.name, namespace: this.namespace, role: this });
    this.binding.addSubjects(...subjects);
    return this.binding;
  }

  protected checkScope(resource: RbacResource): void {
    if (!resource.namespaced) {
      fail(this, 'resources', `"${resource}" is cluster-scoped; a Role cannot grant it`, 'grant it through a ClusterRole');
    }
  }
}
