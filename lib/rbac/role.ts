import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { addChecks } from '../core/checks';
import { fail, Problem } from '../core/errors';
import { Manifest } from '../core/manifest';
import { defaultName } from '../core/names';
import { nonEmpty } from '../core/plain';
import { RoleBinding } from './binding';
import { checkRbacName } from './naming';
import { Resource, ResourceLike, resolveResource } from './resource';
import { RbacRisk } from './risks';
import { IRole, RoleRef } from './role-ref';
import { checkVerbs, PolicyRules, ruleProblems } from './rules';
import { SubjectLike } from './subject';
import { toVerbs, VerbLike, Verbs } from './verbs';

/** Props shared by `Role` and `ClusterRole`. */
export interface RoleBaseProps {
  /** @default - derived from the construct path (see `defaultName`) */
  readonly name?: string;
  /** Guard rails this role may cross (wildcards, escalation verbs...). @default - none */
  readonly acceptRisks?: RbacRisk[];
  /** Labels on the object. @default - none */
  readonly labels?: Record<string, string>;
}

/** Props of a `Role`. */
export interface RoleProps extends RoleBaseProps {
  /** @default - the chart's namespace */
  readonly namespace?: string;
}

/** The second half of `role.allow(verbs).on(resources)`. */
export class ResourceGrant {
  /** @param apply adds the resources to the role */
  constructor(private readonly apply: (resources: ResourceLike[]) => void) {}

  /** The resources the verbs apply to: `Resource.PODS`, `'pods/log'`, `Resource.SECRETS.named('tls')`, a CRD. */
  public on(...resources: ResourceLike[]): void {
    this.apply(resources);
  }
}

/**
 * What Role and ClusterRole share: merged, sorted rules (`allow(...).on(...)`), guard rails checked at
 * synth, the object rendered from that state.
 */
export abstract class RoleBase extends Construct implements IRole {
  /** The role's name. */
  public readonly name: string;
  /** The role object. */
  public readonly resource: Manifest;
  /** The rules, merged and deduplicated. */
  public readonly rules = new PolicyRules();
  /** The reference bindings use. */
  public abstract readonly roleRef: RoleRef;

  private readonly risks: Set<RbacRisk>;

  protected constructor(scope: Construct, id: string, props: RoleBaseProps, protected readonly kind: 'Role' | 'ClusterRole', namespace?: string) {
    super(scope, id);
    this.name = checkRbacName(this, 'name', props.name ?? defaultName(this));
    this.risks = new Set(props.acceptRisks ?? []);
    this.resource = new Manifest(this, 'Resource', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind,
      metadata: { name: this.name, namespace, labels: props.labels },
      clusterScoped: kind === 'ClusterRole',
      render: () => this.renderBody(),
    });
    addChecks(this, () => this.check());
  }

  /**
   * Grants verbs — `allow('get', 'list')`, `allow(Verbs.READ)` — on the resources given next:
   * `role.allow(Verbs.READ).on(Resource.PODS)`.
   */
  public allow(...verbs: VerbLike[]): ResourceGrant {
    const set = toVerbs(verbs);
    checkVerbs(this, 'verbs', set.verbs);
    return new ResourceGrant((resources) => this.addResources(set, resources));
  }

  /** Lets this role cross guard rails added later (same as `acceptRisks`). */
  public acceptRisks(...risks: RbacRisk[]): void {
    for (const r of risks) this.risks.add(r);
  }

  /** Adds `verbs` on `resources`; presets skip verbs that cannot apply to named objects. */
  public addResources(verbs: Verbs, resources: ResourceLike[]): void {
    if (resources.length === 0) fail(this, 'resources', 'needs at least one resource');
    for (const like of resources) {
      const r = resolveResource(this, 'resources', like);
      this.checkScope(r);
      this.rules.addResource(r.names.length > 0 ? verbs.forNamedObjects() : verbs.verbs, r);
    }
  }

  /** `Kind/name` of the object. */
  protected get objectName(): string {
    return `${this.kind}/${this.name}`;
  }

  /** Throws when the resource cannot be granted by this kind of role. */
  protected abstract checkScope(resource: Resource): void;

  protected renderBody(): Record<string, unknown> {
    return { rules: nonEmpty(this.rules.toJson()) };
  }

  protected check(): Problem[] {
    return ruleProblems(this, this.objectName, this.rules.toJson(), this.risks);
  }
}

/** A Role: rules that apply within one namespace; granted by RoleBindings of that namespace. */
export class Role extends RoleBase {
  /** The Role's namespace (explicit or the chart's), if known. */
  public readonly namespace?: string;
  public readonly roleRef: RoleRef;
  private binding?: RoleBinding;

  constructor(scope: Construct, id: string, props: RoleProps = {}) {
    const namespace = props.namespace ?? Chart.of(scope).namespace;
    super(scope, id, props, 'Role', namespace);
    this.namespace = namespace;
    this.roleRef = RoleRef.ofConstruct('Role', this.name, namespace);
  }

  /**
   * Grants this Role to subjects through one RoleBinding of the same name and namespace (created on
   * the first call; later calls add subjects to it).
   */
  public bind(...subjects: SubjectLike[]): RoleBinding {
    this.binding ??= new RoleBinding(this, 'Binding', { name: this.name, namespace: this.namespace, role: this });
    this.binding.addSubjects(...subjects);
    return this.binding;
  }

  protected checkScope(resource: Resource): void {
    if (!resource.namespaced) {
      fail(this, 'resources', `"${resource}" is cluster-scoped; a Role cannot grant it`, 'grant it through a ClusterRole');
    }
  }
}
