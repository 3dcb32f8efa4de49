import { ApiObject } from 'cdk8s';

/**
 * The order in which an applier (`kubectl apply -f`, Argo CD, Flux) needs kinds to exist: what other
 * objects live in or refer to comes first. Adapted from Helm's `InstallOrder`
 * (helm/helm pkg/releaseutil/kind_sorter.go, Helm 3: Namespace, NetworkPolicy, ResourceQuota,
 * LimitRange, PodSecurityPolicy, PodDisruptionBudget, ServiceAccount, Secret, ConfigMap,
 * StorageClass, PersistentVolume, PersistentVolumeClaim, CustomResourceDefinition, ClusterRole,
 * ClusterRoleBinding, Role, RoleBinding, Service, DaemonSet, Pod, ReplicationController, ReplicaSet,
 * Deployment, HorizontalPodAutoscaler, StatefulSet, Job, CronJob, IngressClass, Ingress, APIService),
 * with three changes: CustomResourceDefinitions come right after Namespaces (custom resources of any
 * later kind may need them); PodDisruptionBudgets and autoscalers come after the workloads they
 * govern; admission webhook configurations come last, so a webhook whose Service is not up yet cannot
 * block the objects applied with it. Kinds not listed come after all of these (as in Helm), sorted by
 * kind.
 */
export const APPLY_ORDER: string[] = [
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'RuntimeClass',
  'StorageClass',
  'PodSecurityPolicy',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'ServiceAccount',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Secret',
  'ConfigMap',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Service',
  'Endpoints',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'StatefulSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'IngressClass',
  'Ingress',
  'APIService',
  'InitializerConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const RANK = new Map(APPLY_ORDER.map((kind, i) => [kind, i]));

interface Keyed<T> {
  readonly item: T;
  readonly rank: number;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly apiVersion: string;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function keyOf<T extends { json: any }>(item: T): Keyed<T> {
  const j = item.json ?? {};
  const kind = str(j.kind);
  return {
    item,
    rank: RANK.get(kind) ?? APPLY_ORDER.length,
    kind,
    name: str(j.metadata?.name),
    namespace: str(j.metadata?.namespace),
    apiVersion: str(j.apiVersion),
  };
}

/** Kind rank, then kind (for kinds not listed), name, namespace and apiVersion; code-unit order, no locale. */
function compare<T>(a: Keyed<T>, b: Keyed<T>): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  for (const k of ['kind', 'name', 'namespace', 'apiVersion'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

/**
 * The objects of one file in apply order: by kind (APPLY_ORDER), then name, then namespace, so the
 * same objects give the same bytes whatever order the code created them in. Explicit dependencies
 * between the objects (`node.addDependency`) still win: an object never comes before one it depends
 * on; among the objects that are free to go next, the order above decides.
 */
export function sortForApply<T extends { obj: ApiObject; json: any }>(items: T[]): T[] {
  const keyed = items.map(keyOf);
  const index = new Map(items.map((it, i) => [it.obj as object, i]));
  const deps = keyed.map((k) =>
    k.item.obj.node.dependencies.map((d) => index.get(d)).filter((i): i is number => i !== undefined && items[i] !== k.item),
  );
  if (deps.every((d) => d.length === 0)) return keyed.sort(compare).map((k) => k.item);
  // Kahn's algorithm, taking the smallest ready object each time
  const waiting = deps.map((d) => new Set(d).size);
  const dependents: number[][] = items.map(() => []);
  deps.forEach((d, i) => new Set(d).forEach((j) => dependents[j].push(i)));
  const ready = keyed.map((_, i) => i).filter((i) => waiting[i] === 0);
  const out: T[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => compare(keyed[a], keyed[b]));
    const next = ready.shift()!;
    out.push(items[next]);
    for (const d of dependents[next]) {
      if (--waiting[d] === 0) ready.push(d);
    }
  }
  // a cycle (cdk8s would have refused it already): the rest in plain order
  const placed = new Set(out);
  out.push(
    ...keyed
      .filter((k) => !placed.has(k.item))
      .sort(compare)
      .map((k) => k.item),
  );
  return out;
}
