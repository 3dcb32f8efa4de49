import { ProblemDetails } from '../core/errors';
import { podBearingKinds } from '../pod/pod-bearing';
import { selectorMatches } from '../validation/selectors';
import { checkSelector, LabelSelectorSpec } from './label-selector';
import { PodMutation } from './pod-mutation';
import { checkResourceRule, fullyQualifiedNameViolation, ResourceRule, ruleMatches } from './rules';

/** Which resources and kinds a synth-time initializer applies to. */
export interface PodInitializerMatch {
  /**
   * Resources whose pod templates it changes, as admission rules state them. A rule that covers
   * core/v1 `pods` covers every pod template, since every workload creates pods (as an in-cluster
   * initializer for pods would see them); `{ apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }`
   * covers Deployments only.
   * @default - every pod template (unless `kinds` is set)
   */
  readonly rules?: ResourceRule[];
  /**
   * Kinds whose pod templates it changes (`Deployment`, `CronJob`...). `Pod` covers every pod template.
   * Combined with `rules`, either may match.
   * @default - every pod template (unless `rules` is set)
   */
  readonly kinds?: string[];
}

/** Which pod templates a synth-time initializer applies to, by resource, kind and labels. */
export interface PodInitializerOptions extends PodInitializerMatch {
  /** Only pod templates whose labels match. @default - any labels */
  readonly selector?: LabelSelectorSpec;
}

/** Props of a `PodInitializer`. */
export interface PodInitializerProps extends PodInitializerOptions {
  /** Fully qualified name (at least three dot-separated segments, e.g. `lxcfs.initializers.example.com`). */
  readonly name: string;
}

/** The pod template an initializer is asked about. */
export interface PodTarget {
  /** API group of the object (`""`, `apps`, `batch`). */
  readonly group: string;
  readonly version: string;
  /** Resource name (`deployments`). */
  readonly resource: string;
  readonly kind: string;
  /** Labels of the pod template. */
  readonly labels: Readonly<{ [key: string]: string }>;
  /** Annotations of the pod template. */
  readonly annotations: Readonly<{ [key: string]: string }>;
}

const POD_KINDS = podBearingKinds();

/**
 * A synth-time initializer: it changes matching pod templates before YAML is written, the way an
 * in-cluster initializer or mutating webhook would change pods, but deterministically, reviewable in
 * git and testable offline. Register it in a `PodInitializers` configuration on an App or Chart.
 *
 * Subclasses implement `initialize` with the `PodMutation` operations only, so every change is
 * idempotent and conflicts are reported.
 */
export abstract class PodInitializer {
  /** The fully qualified name, recorded in the pod template's `initializers.cdk8s-patterns.io/applied` annotation. */
  public readonly name: string;
  private readonly rules?: ResourceRule[];
  private readonly kinds?: string[];
  private readonly selector?: LabelSelectorSpec;

  protected constructor(props: PodInitializerProps) {
    this.name = props.name;
    this.rules = props.rules;
    this.kinds = props.kinds;
    this.selector = props.selector;
  }

  /** Changes one pod template. */
  public abstract initialize(pod: PodMutation): void;

  /** The problems of its settings; `field` is where it was given (`initializers[0]`). Subclasses add theirs. */
  public check(field: string): ProblemDetails[] {
    const out: ProblemDetails[] = [];
    const why = fullyQualifiedNameViolation(this.name);
    if (why) out.push({ field: `${field}.name`, rule: why });
    (this.rules ?? []).forEach((r, i) => out.push(...checkResourceRule(r, `${field}.rules[${i}]`, { subresources: false })));
    (this.kinds ?? []).forEach((k, i) => {
      if (!POD_KINDS.includes(k))
        out.push({ field: `${field}.kinds[${i}]`, rule: `"${k}" has no pod template (one of ${POD_KINDS.join(', ')})` });
    });
    if (this.selector) out.push(...checkSelector(this.selector, `${field}.selector`));
    return out;
  }

  /** True when it applies to `target`. Subclasses may narrow it (PodPreset's exclusion annotation). */
  public matches(target: PodTarget): boolean {
    if (this.selector && !selectorMatches(this.selector, target.labels)) return false;
    if (!this.rules && !this.kinds) return true;
    const byRule = (this.rules ?? []).some(
      (r) => ruleMatches(r, '', 'v1', 'pods') || ruleMatches(r, target.group, target.version, target.resource),
    );
    const byKind = (this.kinds ?? []).some((k) => k === 'Pod' || k === target.kind);
    return byRule || byKind;
  }
}
