import { Topology } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';

/** How a workload's pods are spread over failure domains. */
export interface TopologySpreadOptions {
  /** Node labels whose values are the domains to spread over (cdk8s-plus `Topology`). @default [Topology.ZONE, Topology.HOSTNAME] */
  readonly topologies?: Topology[];
  /** Largest allowed difference in pod count between two domains. @default 1 */
  readonly maxSkew?: number;
  /**
   * Refuse to schedule a pod that would break `maxSkew` (`DoNotSchedule`) instead of only preferring
   * the spread (`ScheduleAnyway`). Hard spreading leaves pods Pending when a domain is full or when
   * nodes lack the topology label (single-zone clusters without zone labels).
   * @default false
   */
  readonly required?: boolean;
}

/** Problems of spread options; fields are relative to the prop that holds them. */
export function checkSpread(options: TopologySpreadOptions): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  if (options.maxSkew !== undefined && (!Number.isInteger(options.maxSkew) || options.maxSkew < 1)) {
    out.push({ field: 'maxSkew', rule: `must be a positive integer (got ${options.maxSkew})` });
  }
  if (options.topologies !== undefined && options.topologies.length === 0) {
    out.push({ field: 'topologies', rule: 'must name at least one topology', hint: 'or turn spreading off with spread: false' });
  }
  const keys = (options.topologies ?? []).map((t) => t.key);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) out.push({ field: 'topologies', rule: `"${dup}" is listed twice` });
  return out;
}

/**
 * `topologySpreadConstraints` for pods with `selector` labels. `matchLabelKeys: [pod-template-hash]`
 * (beta and on by default in 1.27) makes a Deployment count only the pods of its current ReplicaSet,
 * so a rollout does not skew the spread of the new pods.
 */
export function renderSpread(
  options: TopologySpreadOptions,
  selector: { [key: string]: string },
  matchLabelKeys?: string[],
): Array<Record<string, unknown>> {
  const topologies = options.topologies ?? [Topology.ZONE, Topology.HOSTNAME];
  return topologies.map((t) => ({
    topologyKey: t.key,
    maxSkew: options.maxSkew ?? 1,
    whenUnsatisfiable: options.required ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
    matchLabelKeys,
  }));
}
