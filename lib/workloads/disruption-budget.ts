import { Construct } from 'constructs';
import { Problem, problemAt } from '../core/errors';
import { Manifest } from '../core/manifest';
import { OptOut } from '../core/opt-out';
import { addChecks } from '../synth/pipeline';

const PERCENT = /^(100|[1-9]?[0-9])%$/;
const BLOCKS = 'so no pod can ever be evicted (0 disruptions allowed) and node drains hang';

/**
 * How many pods voluntary disruptions (drains, upgrades) may take down: `minAvailable` or
 * `maxUnavailable`, never both (policy/v1 rejects both). A budget that lets no pod go for the
 * workload's replica count is reported at synth, since it makes node drains hang.
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

  /**
   * A majority stays available: minAvailable = floor(replicas / 2) + 1 (consensus systems). Needs at
   * least 3 replicas: the majority of 1 or 2 pods is every pod, which would block node drains
   * (reported at synth).
   */
  public static quorum(): DisruptionBudget {
    return new DisruptionBudget('minAvailable', 'quorum');
  }

  private constructor(
    public readonly field: 'minAvailable' | 'maxUnavailable',
    public readonly value: number | string,
  ) {}

  /** The value written for `replicas` pods. */
  public resolve(replicas: number): number | string {
    return this.value === 'quorum' ? Math.floor(replicas / 2) + 1 : this.value;
  }

  /**
   * Problems of this budget for a workload of `replicas` pods (undefined when unknown). Besides
   * malformed values, a budget that allows no disruption at all is an error: the eviction API then
   * refuses every pod, so `kubectl drain` and node upgrades hang until someone deletes the budget.
   */
  /** @internal */
  public _check(scope: Construct, replicas: number | undefined, field: string): Problem[] {
    const v = this.value;
    const at = (rule: string, hint?: string) => [problemAt(scope, { field: `${field}.${this.field}`, rule, hint })];
    if (typeof v === 'string' && v !== 'quorum' && !PERCENT.test(v))
      return at(`"${v}" must be a whole number or a percentage such as "50%"`);
    if (typeof v === 'number' && (!Number.isInteger(v) || v < 0)) return at(`must be a non-negative integer (got ${v})`);
    if (this.field === 'maxUnavailable') {
      // a percentage of maxUnavailable is rounded up, so only 0 and "0%" allow nothing
      return v === 0 || v === '0%'
        ? at(
            `maxUnavailable ${JSON.stringify(v)} lets no pod be unavailable, ${BLOCKS}`,
            'allow at least one pod: DisruptionBudget.maxUnavailable(1)',
          )
        : [];
    }
    if (v === '100%') return at(`minAvailable "100%" keeps every pod, ${BLOCKS}`, 'use DisruptionBudget.maxUnavailable(1)');
    // with no pod there is nothing to evict; with an unknown count nothing else can be decided
    if (replicas === undefined || replicas === 0) return [];
    const minAvailable = this.minAvailableOf(replicas);
    if (minAvailable < replicas) return [];
    if (v === 'quorum') {
      return at(
        `the quorum of ${replicas} replica${replicas === 1 ? '' : 's'} is ${minAvailable}, all of them, ${BLOCKS}`,
        'a majority of 1 or 2 pods is every pod: run at least 3 replicas, or use DisruptionBudget.maxUnavailable(1) if losing the majority during a drain is acceptable',
      );
    }
    const what = typeof v === 'number' ? `minAvailable ${v}` : `minAvailable "${v}" (${minAvailable} pods, rounded up)`;
    return at(
      `${what} is not below the ${replicas} replicas, ${BLOCKS}`,
      `keep it below ${replicas}, or use DisruptionBudget.maxUnavailable(1)`,
    );
  }

  /** The pods a minAvailable budget keeps, as the disruption controller computes it (percentages rounded up). */
  private minAvailableOf(replicas: number): number {
    const v = this.resolve(replicas);
    return typeof v === 'number' ? v : Math.ceil((Number(v.slice(0, -1)) * replicas) / 100);
  }
}

/** Props of a workload's PodDisruptionBudget object. */
export interface DisruptionBudgetObjectProps {
  /** The PodDisruptionBudget's name (the workload's). */
  readonly name: string;
  /** The workload's pod selector, used as is so the budget covers exactly its pods. */
  readonly selector: { [key: string]: string };
  /** How many pods may be disrupted. */
  readonly budget: DisruptionBudget;
  /** The workload's replica count at synth (undefined when an autoscaler owns it). */
  readonly replicas: () => number | undefined;
  /**
   * Replica count to resolve and check the budget against when `replicas` is undefined (the
   * autoscaler's minimum: a drain must still get through at the smallest size).
   * @default - none: `quorum` resolves against 1, and only count-independent checks run
   */
  readonly minReplicas?: () => number | undefined;
  /**
   * `unhealthyPodEvictionPolicy: AlwaysAllow`: pods that are running but not ready can always be
   * evicted, so a crash-looping workload never blocks a drain (beta and on by default in 1.27).
   * @default false
   */
  readonly evictUnhealthy?: boolean;
  /** Labels of the object. @default - none */
  readonly labels?: { [key: string]: string };
  /** Annotations of the object. @default - none */
  readonly annotations?: { [key: string]: string };
}

/** Adds a policy/v1 PodDisruptionBudget whose selector is exactly the workload's. */
export function addDisruptionBudget(scope: Construct, id: string, props: DisruptionBudgetObjectProps): Manifest {
  const pdb = new Manifest(scope, id, {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: props.name, labels: props.labels, annotations: props.annotations },
    render: () => ({
      spec: {
        selector: { matchLabels: props.selector },
        [props.budget.field]: props.budget.resolve(props.replicas() ?? props.minReplicas?.() ?? 1),
        unhealthyPodEvictionPolicy: props.evictUnhealthy ? 'AlwaysAllow' : undefined,
      },
    }),
  });
  // under an autoscaler the budget must still let a drain through at its smallest size
  addChecks(pdb, () => props.budget._check(scope, props.replicas() ?? props.minReplicas?.(), 'budget'));
  return pdb;
}

/**
 * The budget a workload of up to `maxPods` pods gets: `given`, else `maxUnavailable: 1` when two or more
 * pods can run (it always lets one pod go, so it never blocks a drain) and the default is not opted out
 * app-wide (`appWide`); none for a single pod or an `OptOut`.
 */
export function budgetFor(
  given: DisruptionBudget | OptOut | undefined,
  maxPods: number,
  appWide: OptOut | undefined,
): DisruptionBudget | undefined {
  if (given instanceof DisruptionBudget) return given;
  if (given !== undefined || appWide !== undefined || maxPods < 2) return undefined;
  return DisruptionBudget.maxUnavailable(1);
}
