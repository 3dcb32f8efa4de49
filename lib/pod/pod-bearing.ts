/** How a pod-bearing kind holds its pod template. */
export interface PodBearingKind {
  /** Keys from the object to the template (`{ metadata, spec }`); empty for a Pod itself. */
  readonly path: readonly string[];
  /** The resource name admission rules use for the kind (`deployments`). */
  readonly resource: string;
  /** What restartPolicy its pods need: controllers keep pods running, jobs run them to completion. */
  readonly restart: 'always' | 'completion' | 'any';
}

const controller = (resource: string): PodBearingKind => ({ path: ['spec', 'template'], resource, restart: 'always' });

/**
 * Every kind that carries a pod template, by `group/kind` (group '' is the core group): the one table
 * that validation (which checks pod templates) and initializers (which mutate them) both read.
 */
const KINDS: Record<string, PodBearingKind> = {
  '/Pod': { path: [], resource: 'pods', restart: 'any' },
  '/PodTemplate': { path: ['template'], resource: 'podtemplates', restart: 'any' },
  '/ReplicationController': controller('replicationcontrollers'),
  'apps/Deployment': controller('deployments'),
  'apps/ReplicaSet': controller('replicasets'),
  'apps/StatefulSet': controller('statefulsets'),
  'apps/DaemonSet': controller('daemonsets'),
  'extensions/Deployment': controller('deployments'),
  'extensions/ReplicaSet': controller('replicasets'),
  'extensions/DaemonSet': controller('daemonsets'),
  'batch/Job': { path: ['spec', 'template'], resource: 'jobs', restart: 'completion' },
  'batch/CronJob': { path: ['spec', 'jobTemplate', 'spec', 'template'], resource: 'cronjobs', restart: 'completion' },
};

/** Where the pod template of `group/kind` sits, or undefined for kinds without one. */
export function podBearingKind(group: string, kind: string): PodBearingKind | undefined {
  return KINDS[`${group}/${kind}`];
}

/** The kinds that carry a pod template (`Pod`, `Deployment`...), each once whatever its groups. */
export function podBearingKinds(): string[] {
  return [...new Set(Object.keys(KINDS).map((key) => key.slice(key.indexOf('/') + 1)))];
}
