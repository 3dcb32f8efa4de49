import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { addChecks } from '../synth/pipeline';
import { ClusterVersion } from '../core/cluster-version';
import { Problem, problemAt, recordObjectRef, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkName, defaultName, NameRule } from '../core/names';
import { checkResourceRule, fullyQualifiedNameViolation, renderResourceRule, ResourceRule, ruleMatches } from './rules';

/** One initializer of an `InitializerConfiguration`. */
export interface InitializerSpec {
  /** Fully qualified name (at least three dot-separated segments); the controller that handles it removes it from `metadata.initializers.pending`. */
  readonly name: string;
  /** Resources it applies to; `"*"` cannot be mixed with other values, and subresources cannot be named. */
  readonly rules: ResourceRule[];
}

/** Props of an `InitializerConfiguration`. */
export interface InitializerConfigurationProps {
  /** Object name; configurations apply in order of name. @default - derived from the construct path */
  readonly name?: string;
  /** The initializers, in the order they are added to `metadata.initializers.pending`. */
  readonly initializers: InitializerSpec[];
}

/** The last Kubernetes minor version that serves admissionregistration.k8s.io/v1alpha1 InitializerConfiguration. */
const LAST_MINOR = 13;

/**
 * An admissionregistration.k8s.io/v1alpha1 `InitializerConfiguration` (Kubernetes ≤ 1.13): new objects that
 * match its rules wait in `metadata.initializers.pending` until each initializer's controller has
 * changed them and removed its name. An alpha API (the API server needs the `Initializers` admission
 * plugin and `--runtime-config=admissionregistration.k8s.io/v1alpha1`), removed in Kubernetes 1.14:
 * it is only emitted where `ClusterVersion.declare(scope, '1.13')` (or older) is in force; the
 * successors are `MutatingWebhook` in the cluster and `PodInitializers` at synth time.
 */
export class InitializerConfiguration extends Construct {
  /**
   * The initializer names the API server would put in `metadata.initializers.pending` of a new
   * object of `resource` in `group`/`version`: every configuration of the app in order of name, the
   * matching initializers of each in declared order (a name listed by two configurations appears twice).
   */
  public static pendingFor(scope: IConstruct, group: string, version: string, resource: string): string[] {
    const configs = scope.node.root.node.findAll().filter((c): c is InitializerConfiguration => c instanceof InitializerConfiguration);
    configs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return configs.flatMap((c) =>
      c.initializers.filter((i) => i.rules.some((r) => ruleMatches(r, group, version, resource))).map((i) => i.name),
    );
  }

  /** The object name. */
  public readonly name: string;
  /** The InitializerConfiguration object. */
  public readonly apiObject: ApiObject;
  private readonly initializers: InitializerSpec[];

  constructor(scope: Construct, id: string, props: InitializerConfigurationProps) {
    super(scope, id);
    this.name = checkName(this, 'name', props.name ?? defaultName(this), NameRule.DNS_SUBDOMAIN);
    recordObjectRef(this, 'InitializerConfiguration', this.name);
    this.initializers = (props.initializers ?? []).map((i) => ({ name: i.name, rules: [...(i.rules ?? [])] }));
    throwIfAny(this.checkInitializers());
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'admissionregistration.k8s.io/v1alpha1',
      kind: 'InitializerConfiguration',
      clusterScoped: true,
      metadata: { name: this.name },
      render: () => ({
        initializers: this.initializers.map((i) => ({ name: i.name, rules: i.rules.map(renderResourceRule) })),
      }),
    });
    addChecks(this, () => {
      const version = ClusterVersion.of(this);
      if (ClusterVersion.minorOf(this) <= LAST_MINOR) return [];
      return [
        problemAt(this, {
          field: 'apiVersion',
          rule: `admissionregistration.k8s.io/v1alpha1 InitializerConfiguration was removed in Kubernetes 1.14, and the target cluster is ${version}`,
          hint:
            'for a 1.13 (or older) cluster, ClusterVersion.declare(chart, "1.13"); otherwise use its successor MutatingWebhook ' +
            '(admissionregistration.k8s.io/v1 MutatingWebhookConfiguration), or PodInitializers to apply the change at synth time',
        }),
      ];
    });
  }

  private checkInitializers(): Problem[] {
    const out: Problem[] = [];
    const at = (field: string, rule: string) => out.push(problemAt(this, { field, rule }));
    if (this.initializers.length === 0) at('initializers', 'must list at least one initializer');
    const seen = new Set<string>();
    this.initializers.forEach((init, i) => {
      const why = fullyQualifiedNameViolation(init.name);
      if (why) at(`initializers[${i}].name`, why);
      if (seen.has(init.name)) at(`initializers[${i}].name`, `"${init.name}" is listed twice, so its controller would have to run twice`);
      seen.add(init.name);
      if (init.rules.length === 0) at(`initializers[${i}].rules`, 'must list at least one rule');
      init.rules.forEach((r, j) => {
        for (const p of checkResourceRule(r, `initializers[${i}].rules[${j}]`, { subresources: false })) out.push(problemAt(this, p));
      });
    });
    return out;
  }
}
