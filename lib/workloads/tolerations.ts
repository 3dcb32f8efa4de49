import { Duration } from 'cdk8s';
import { NodeTaintQuery, TaintEffect } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { plain } from '../core/plain';
import { checkToleration, renderToleration, TolerationOperator, TolerationSpec } from '../pod/toleration';

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
   * Further tolerations, as specs or cdk8s-plus `NodeTaintQuery`s. `evictAfter` is only valid with
   * effect NoExecute.
   * @default - none
   */
  readonly custom?: Array<TolerationSpec | NodeTaintQuery>;
}

const exists = (key: string, effect: TaintEffect): TolerationSpec => ({ key, operator: TolerationOperator.EXISTS, effect });

/** The tolerations node agents need, as Kubernetes writes them. */
export class DaemonTolerations {
  /**
   * What the DaemonSet controller adds to daemon pods, in its order
   * (pkg/controller/daemon/util.AddOrUpdateDaemonPodTolerations): network-unavailable only for
   * hostNetwork pods.
   */
  public static defaults(hostNetwork: boolean): TolerationSpec[] {
    return [
      exists('node.kubernetes.io/not-ready', TaintEffect.NO_EXECUTE),
      exists('node.kubernetes.io/unreachable', TaintEffect.NO_EXECUTE),
      exists('node.kubernetes.io/disk-pressure', TaintEffect.NO_SCHEDULE),
      exists('node.kubernetes.io/memory-pressure', TaintEffect.NO_SCHEDULE),
      exists('node.kubernetes.io/pid-pressure', TaintEffect.NO_SCHEDULE),
      exists('node.kubernetes.io/unschedulable', TaintEffect.NO_SCHEDULE),
      ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', TaintEffect.NO_SCHEDULE)] : []),
    ];
  }

  /** The taints of control-plane nodes (kubeadm; `master` before Kubernetes 1.24). */
  public static controlPlane(): TolerationSpec[] {
    return [
      exists('node-role.kubernetes.io/control-plane', TaintEffect.NO_SCHEDULE),
      exists('node-role.kubernetes.io/master', TaintEffect.NO_SCHEDULE),
    ];
  }

  private constructor() {}
}

/** A spec with its operator written out; a cdk8s-plus `NodeTaintQuery` as the spec it renders to. */
function normalize(t: TolerationSpec | NodeTaintQuery): TolerationSpec {
  if (t instanceof NodeTaintQuery) {
    const kube = plain((t as any)._toKube());
    return {
      ...kube,
      evictAfter: kube.tolerationSeconds !== undefined ? Duration.seconds(kube.tolerationSeconds) : undefined,
      tolerationSeconds: undefined,
    };
  }
  return { ...t, operator: renderToleration(t).operator };
}

/** Tolerations match the same taints when key, operator, value and effect are equal (Kubernetes' MatchToleration). */
function identity(t: TolerationSpec): string {
  return JSON.stringify([t.key ?? '', t.operator, t.value ?? '', t.effect ?? '']);
}

function evictSeconds(t: TolerationSpec): number | undefined {
  return renderToleration(t).tolerationSeconds;
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
  const controllerOwned = new Map(DaemonTolerations.defaults(true).map((t) => [identity(t), t]));
  custom.forEach((t, i) => {
    const own = controllerOwned.get(identity(t));
    if (own && t.evictAfter !== undefined) {
      problems.push({
        field: `custom[${i}].evictAfter`,
        rule: `the DaemonSet controller replaces this ${t.key} toleration with its own, which has no tolerationSeconds (daemon pods are never evicted for this taint)`,
        hint: 'remove evictAfter',
      });
    }
  });
  if (options.tolerateEverything && custom.length > 0) {
    problems.push({
      field: 'custom',
      rule: 'tolerateEverything already tolerates every taint forever, so custom tolerations would have no effect',
    });
  }
  if (problems.length > 0) return { tolerations: [], problems };
  if (options.tolerateEverything) return { tolerations: [{ operator: TolerationOperator.EXISTS }], problems };

  const all = [
    ...((options.daemonDefaults ?? true) ? DaemonTolerations.defaults(hostNetwork) : []),
    ...(options.controlPlane ? DaemonTolerations.controlPlane() : []),
    ...custom,
  ];
  const seen = new Map<string, TolerationSpec>();
  all.forEach((t, i) => {
    const id = identity(t);
    const prior = seen.get(id);
    if (prior && evictSeconds(prior) !== evictSeconds(t)) {
      problems.push({
        field: `custom[${i - (all.length - custom.length)}].evictAfter`,
        rule: `conflicts with another toleration of the same taint (${t.key}) with a different evictAfter`,
      });
    }
    if (!prior) seen.set(id, t);
  });
  return { tolerations: [...seen.values()], problems };
}
