import type { NodeTaintQuery } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { plain } from '../core/plain';
import { checkToleration, TolerationSpec, withOperator } from '../pod/toleration';

/** Which node taints a node agent tolerates. */
export interface NodeAgentTolerations {
  /**
   * Write the tolerations the DaemonSet controller adds to every daemon pod: not-ready and
   * unreachable (NoExecute), disk-pressure, memory-pressure, pid-pressure and unschedulable
   * (NoSchedule), and network-unavailable (NoSchedule) for hostNetwork pods. The controller adds
   * them anyway; writing them makes the agent's reach visible in review and testable.
   * @default true
   */
  readonly daemonDefaults?: boolean;
  /**
   * Also run on control-plane nodes: tolerate `node-role.kubernetes.io/control-plane` and the
   * legacy `node-role.kubernetes.io/master` NoSchedule taints (the controller adds neither).
   * @default false
   */
  readonly controlPlane?: boolean;
  /**
   * Tolerate every taint (`operator: Exists` without a key), as CNI and storage agents do. Written
   * alone: it already covers the daemon defaults and the control-plane taints.
   * @default false
   */
  readonly tolerateEverything?: boolean;
  /**
   * Further tolerations, as specs or cdk8s-plus `NodeTaintQuery`s. `tolerationSeconds` is only
   * valid with effect NoExecute.
   * @default - none
   */
  readonly custom?: Array<TolerationSpec | NodeTaintQuery>;
}

const exists = (key: string, effect: 'NoSchedule' | 'NoExecute'): TolerationSpec => ({ key, operator: 'Exists', effect });

/**
 * What the DaemonSet controller adds to daemon pods, in its order
 * (pkg/controller/daemon/util.AddOrUpdateDaemonPodTolerations).
 */
export function daemonTolerations(hostNetwork: boolean): TolerationSpec[] {
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

/** The taints of control-plane nodes (kubeadm; `master` before Kubernetes 1.24). */
export const CONTROL_PLANE_TOLERATIONS: TolerationSpec[] = [
  exists('node-role.kubernetes.io/control-plane', 'NoSchedule'),
  exists('node-role.kubernetes.io/master', 'NoSchedule'),
];

function normalize(t: TolerationSpec | NodeTaintQuery): TolerationSpec {
  return withOperator('_toKube' in t ? plain((t as any)._toKube()) : t);
}

/** Tolerations match the same taints when key, operator, value and effect are equal (Kubernetes' MatchToleration). */
function identity(t: TolerationSpec): string {
  return JSON.stringify([t.key ?? '', t.operator, t.value ?? '', t.effect ?? '']);
}

/** The result of `resolveTolerations`: the list to write, or the problems of the input. */
export interface ResolvedTolerations {
  readonly tolerations: TolerationSpec[];
  readonly problems: ProblemDetails[];
}

/**
 * The tolerations a node agent writes, in a stable order (everything / daemon defaults /
 * control-plane / custom) without duplicates. Fields of problems are relative to the prop.
 */
export function resolveTolerations(options: NodeAgentTolerations, hostNetwork: boolean): ResolvedTolerations {
  const problems: ProblemDetails[] = [];
  const custom = (options.custom ?? []).map(normalize);
  custom.forEach((t, i) => problems.push(...checkToleration(t, `custom[${i}]`)));
  // the controller overwrites a toleration that matches one of its own, so a different one here would silently not apply
  const controllerOwned = new Map(daemonTolerations(true).map((t) => [identity(t), t]));
  custom.forEach((t, i) => {
    const own = controllerOwned.get(identity(t));
    if (own && t.tolerationSeconds !== undefined) {
      problems.push({
        field: `custom[${i}].tolerationSeconds`,
        rule: `the DaemonSet controller replaces this ${t.key} toleration with its own, which has no tolerationSeconds (daemon pods are never evicted for this taint)`,
        hint: 'remove tolerationSeconds',
      });
    }
  });
  if (options.tolerateEverything && custom.length > 0) {
    problems.push({ field: 'custom', rule: 'tolerateEverything already tolerates every taint forever, so custom tolerations would have no effect' });
  }
  if (problems.length > 0) return { tolerations: [], problems };
  if (options.tolerateEverything) return { tolerations: [{ operator: 'Exists' }], problems };

  const all = [
    ...(options.daemonDefaults ?? true ? daemonTolerations(hostNetwork) : []),
    ...(options.controlPlane ? CONTROL_PLANE_TOLERATIONS : []),
    ...custom,
  ];
  const seen = new Map<string, TolerationSpec>();
  all.forEach((t, i) => {
    const id = identity(t);
    const prior = seen.get(id);
    if (prior && prior.tolerationSeconds !== t.tolerationSeconds) {
      problems.push({ field: `custom[${i - (all.length - custom.length)}].tolerationSeconds`, rule: `conflicts with another toleration of the same taint (${t.key}) with a different tolerationSeconds` });
    }
    if (!prior) seen.set(id, t);
  });
  return { tolerations: [...seen.values()], problems };
}
