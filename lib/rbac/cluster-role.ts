import { Construct } from 'constructs';
import { fail, Problem, problemAt } from '../core/errors';
import { checkLabels, checkName, NameRule } from '../core/names';
import { RbacClusterRoleBinding, RbacRoleBinding } from './binding';
import { RbacResource } from './resource';
import { RbacRoleBase, RbacRoleBaseProps, ResourceGrant } from './role';
import { RoleOrigin, RoleRef } from './role-ref';
import { checkUrls, checkVerbs } from './rules';
import { URL_VERBS, urlVerbViolation } from './verb-table';
import { SubjectLike } from './subject';
import { toVerbs, VerbLike, Verbs } from './verbs';

/** Props of a `ClusterRole`. */
export interface RbacClusterRoleProps extends RbacRoleBaseProps {
  /**
   * Makes this an aggregated ClusterRole: the controller manager fills its rules with those of every
   * ClusterRole carrying all labels of one of these selectors. Its own rules must then stay empty.
   * @default - not aggregated
   */
  readonly aggregationSelectors?: Array<{ [key: string]: string }>;
}

/** The second half of `clusterRole.allow(verbs).on(resources)` or `.onUrls(urls)`. */
export class ClusterResourceGrant extends ResourceGrant {
  /** @internal */
  public static _createForCluster(role: RbacClusterRole, verbs: Verbs): ClusterResourceGrant {
    return new ClusterResourceGrant(role, verbs);
  }

  private constructor(
    private readonly clusterRole: RbacClusterRole,
    verbs: Verbs,
  ) {
    super(clusterRole, verbs);
  }

  /** Non-resource URLs the verbs apply to (`/healthz`, `/metrics`; a trailing `*` matches a prefix). */
  public onUrls(...urls: string[]): void {
    this.clusterRole._addUrls(this._verbs, urls);
  }
}

const PREDEFINED_AGGREGATES = ['view', 'edit', 'admin'];

/**
 * A ClusterRole: rules for every namespace, cluster-scoped resources and non-resource URLs. Granted
 * cluster-wide by a ClusterRoleBinding (`bind`) or within one namespace by a RoleBinding
 * (`bindInNamespace`). It can aggregate other ClusterRoles (`aggregationSelectors`) and be
 * aggregated into view/edit/admin or another aggregated ClusterRole (`aggregateInto`).
 */
export class RbacClusterRole extends RbacRoleBase {
  public readonly roleRef: RoleRef;
  /** The selectors of an aggregated ClusterRole (empty if it is not one). */
  public readonly aggregationSelectors: Array<{ [key: string]: string }>;
  private clusterBinding?: RbacClusterRoleBinding;
  private readonly namespaceBindings = new Map<string, RbacRoleBinding>();

  constructor(scope: Construct, id: string, props: RbacClusterRoleProps = {}) {
    super(scope, id, props, 'ClusterRole');
    this.roleRef = RoleRef._ofConstruct('ClusterRole', this.name, undefined);
    this.aggregationSelectors = (props.aggregationSelectors ?? []).map((s) => ({ ...s }));
    this.aggregationSelectors.forEach((selector, i) => {
      if (Object.keys(selector).length === 0)
        fail(this, `aggregationSelectors[${i}]`, 'an empty selector would aggregate every ClusterRole of the cluster');
      checkLabels(this, `aggregationSelectors[${i}]`, selector);
    });
  }

  /** Grants verbs on resources (`.on(...)`, any scope) or non-resource URLs (`.onUrls(...)`). */
  public allow(...verbs: VerbLike[]): ClusterResourceGrant {
    const set = toVerbs(verbs);
    checkVerbs(this, 'verbs', set.list);
    return ClusterResourceGrant._createForCluster(this, set);
  }

  /**
   * Adds `verbs` on non-resource URLs.
   * @internal
   */
  public _addUrls(verbs: Verbs, urls: string[]): void {
    checkUrls(this, 'nonResourceURLs', urls);
    // presets (Verbs.READ…) keep the verbs URLs answer (get); verbs given one by one are checked
    const given = verbs.preset ? verbs.list.filter((v) => v === '*' || URL_VERBS.includes(v)) : verbs.list;
    const why = urlVerbViolation(given.length > 0 ? given : verbs.list);
    if (why) fail(this, 'verbs', why);
    this._rules.addUrls(given, urls);
  }

  /**
   * Labels this ClusterRole so that its rules are aggregated into `target`: one of the predefined
   * `RoleRef.VIEW`, `RoleRef.EDIT`, `RoleRef.ADMIN` (label `rbac.authorization.k8s.io/aggregate-to-<name>`),
   * or an aggregated ClusterRole of this app (the labels of its first selector).
   */
  public aggregateInto(target: RoleRef | RbacClusterRole): void {
    if (!(target instanceof RoleRef)) {
      const selector = target.aggregationSelectors[0];
      if (!selector) fail(this, 'aggregateInto', `ClusterRole "${target.name}" is not aggregated (it has no aggregationSelectors)`);
      for (const [k, v] of Object.entries(selector)) this.apiObject.metadata.addLabel(k, v);
      return;
    }
    if (target.origin !== RoleOrigin.PREDEFINED || !PREDEFINED_AGGREGATES.includes(target.name)) {
      fail(
        this,
        'aggregateInto',
        `${target} does not aggregate by label`,
        'use RoleRef.VIEW, RoleRef.EDIT, RoleRef.ADMIN or an aggregated ClusterRole of this app',
      );
    }
    this.apiObject.metadata.addLabel(`rbac.authorization.k8s.io/aggregate-to-${target.name}`, 'true');
  }

  /** Grants this ClusterRole cluster-wide through one ClusterRoleBinding of the same name (later calls add subjects). */
  public bind(...subjects: SubjectLike[]): RbacClusterRoleBinding {
    this.clusterBinding ??= new RbacClusterRoleBinding(this, 'Binding', { name: this.name, role: this });
    this.clusterBinding.addSubjects(...subjects);
    return this.clusterBinding;
  }

  /** Grants this ClusterRole's rules within `namespace` through one RoleBinding of the same name there. */
  public bindInNamespace(namespace: string, ...subjects: SubjectLike[]): RbacRoleBinding {
    let binding = this.namespaceBindings.get(namespace);
    if (!binding) {
      checkName(this, 'bindInNamespace.namespace', namespace, NameRule.DNS_LABEL);
      binding = new RbacRoleBinding(this, `Binding-${namespace}`, { name: this.name, namespace, role: this });
      this.namespaceBindings.set(namespace, binding);
    }
    binding.addSubjects(...subjects);
    return binding;
  }

  protected checkScope(_resource: RbacResource): void {
    // a ClusterRole can grant resources of any scope
  }

  protected renderBody(): Record<string, unknown> {
    if (this.aggregationSelectors.length === 0) return super.renderBody();
    return { aggregationRule: { clusterRoleSelectors: this.aggregationSelectors.map((matchLabels) => ({ matchLabels })) } };
  }

  protected check(): Problem[] {
    const problems = super.check();
    if (this.aggregationSelectors.length > 0 && !this._rules.isEmpty) {
      problems.push(
        problemAt(this, {
          field: 'rules',
          rule: 'an aggregated ClusterRole has its rules replaced by the controller manager, so these would be lost',
          hint: 'put them in a ClusterRole of their own and aggregateInto() this one',
        }),
      );
    }
    return problems;
  }
}
