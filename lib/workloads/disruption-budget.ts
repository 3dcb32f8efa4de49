import { Construct } from 'constructs';
import { Problem, problemAt } from '../core/errors';
import { Manifest } from '../core/manifest';
import { addChecks } from '../core/checks';

const PERCENT = /^(100|[1-9]?[0-9])%$/;

/**
 * How many pods voluntary disruptions (drains, upgrades) may take down: `minAvailable` or
 * `maxUnavailable`, never both (policy/v1 rejects both).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
 */
export class DisruptionBudget {
  /** At least this many pods (or percent, `"50%"`) stay available. */
  public static minAvailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('minAvailable', value);
  }

  /** At most this many pods (or percent) may be unavailable. */
  public static maxUnavailable(value: number | string): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', value);
  }

  /** A majority stays available: minAvailable = floor(replicas / 2) + 1 (consensus systems). */
  public static quorum(): DisruptionBudget {
    return new DisruptionBudget('minAvailable', 'quorum');
  }

  private constructor(public readonly field: 'minAvailable' | 'maxUnavailable', public readonly value: number | string) {}

  /** The value written for `replicas` pods. */
  public resolve(replicas: number): number | string {
    return this.value === 'quorum' ? Math.floor(replicas / 2) + 1 : this.value;
  }

  /** Problems of this budget for a workload of `replicas` pods. */
  public check(scope: Construct, replicas: number | undefined, field: string): Problem[] {
    const v = this.value;
    const at = (rule: string, hint?: string) => [problemAt(scope, { field: `${field}.${this.field}`, rule, hint })];
    if (typeof v === 'string') {
      if (v !== 'quorum' && !PERCENT.test(v)) return at(`"${v}" must be a whole number or a percentage such as "50%"`);
      return [];
    }
    if (!Number.isInteger(v) || v < 0) return at(`must be a non-negative integer (got ${v})`);
    if (this.field === 'minAvailable' && replicas !== undefined && v > replicas) {
      return at(`minAvailable ${v} is more than the ${replicas} replicas, so no pod could ever be evicted and node drains would hang`,
        'lower it, or use DisruptionBudget.quorum()');
    }
    if (this.field === 'maxUnavailable' && v === 0) {
      return at('maxUnavailable 0 blocks every voluntary eviction (node drains hang)');
    }
    return [];
  }
}

/** Props of a workload's PodDisruptionBudget object. */
export interface DisruptionBudgetObjectProps {
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly budget: DisruptionBudget;
  /** The workload's replica count at synth (undefined when an autoscaler owns it). */
  readonly replicas: () => number | undefined;
  /** Replica count to resolve `quorum` against when `replicas` is undefined (the autoscaler's minimum). */
  readonly minReplicas?: () => number | undefined;
}

/** Adds a policy/v1 PodDisruptionBudget whose selector is exactly the workload's. */
export function addDisruptionBudget(scope: Construct, id: string, props: DisruptionBudgetObjectProps): Manifest {
  const pdb = new Manifest(scope, id, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: props.name },
    render: () => ({
      spec: {
        selector: { matchLabels: props.selector },
        [props.budget.field]: props.budget.resolve(props.replicas() ?? props.minReplicas?.() ?? 1),
      },
    }),
  });
  // under an autoscaler the budget must still let a drain through at its smallest size
  addChecks(pdb, () => props.budget.check(scope, props.replicas() ?? props.minReplicas?.(), 'disruptionBudget'));
  return pdb;
}
