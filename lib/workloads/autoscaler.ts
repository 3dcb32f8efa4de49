import { Construct } from 'constructs';
import type { Metric } from 'cdk8s-plus-27';
import { addChecks } from '../synth/pipeline';
import { fail, Problem, problemAt } from '../core/errors';
import { Manifest } from '../core/manifest';
import { plain } from '../core/plain';
import { PodTemplate } from '../pod/pod-template';
import { checkInt } from './fields';

/** Options of a HorizontalPodAutoscaler (autoscaling/v2). */
export interface AutoscalingOptions {
  /** Fewest pods. @default 1 */
  readonly minReplicas?: number;
  /** Most pods. */
  readonly maxReplicas: number;
  /**
   * Target average CPU use, in percent of the pods' CPU requests (every container needs a CPU request).
   * @default 80 when no other target is given, else none
   */
  readonly cpuUtilization?: number;
  /** Target average memory use, in percent of the pods' memory requests. @default - none */
  readonly memoryUtilization?: number;
  /** Further metrics, as cdk8s-plus `Metric`s (`Metric.pods(...)`, `Metric.external(...)`...). @default - none */
  readonly metrics?: Metric[];
}

/** What an autoscaler scales. */
export interface ScaleTarget {
  /** API version of the scaled object (`apps/v1`). */
  readonly apiVersion: string;
  /** Kind of the scaled object (`Deployment`). */
  readonly kind: string;
  /** Name of the scaled object. */
  readonly name: string;
}

/** Props of `addAutoscaler`. */
export interface AutoscalerObjectProps {
  /** The HorizontalPodAutoscaler's name (the workload's). */
  readonly name: string;
  /** The object it scales. */
  readonly target: ScaleTarget;
  /** Bounds and targets. */
  readonly options: AutoscalingOptions;
  /** The scaled pods, to check that utilization targets have requests to be measured against. */
  readonly pod: PodTemplate;
  /** Prop name the options came from, for messages. @default 'autoscaling' */
  readonly field?: string;
  /** Labels of the object. @default - none */
  readonly labels?: { [key: string]: string };
  /** Annotations of the object. @default - none */
  readonly annotations?: { [key: string]: string };
}

const DEFAULT_CPU_UTILIZATION = 80;

/** The `minReplicas` an autoscaler keeps. */
export function minReplicasOf(options: AutoscalingOptions): number {
  return options.minReplicas ?? 1;
}

/**
 * Adds an autoscaling/v2 HorizontalPodAutoscaler for `target`. Checks the bounds at construction
 * (throwing at `scope`) and, at synth, that every app container requests each resource a
 * utilization target is measured against.
 */
export function addAutoscaler(scope: Construct, id: string, props: AutoscalerObjectProps): Manifest {
  const o = props.options;
  const field = props.field ?? 'autoscaling';
  // scale-to-zero needs the alpha HPAScaleToZero gate, so 1 is the floor
  checkInt(scope, `${field}.minReplicas`, o.minReplicas, 1);
  checkInt(scope, `${field}.maxReplicas`, o.maxReplicas, 1);
  if (o.maxReplicas === undefined) fail(scope, `${field}.maxReplicas`, 'is required');
  if (minReplicasOf(o) > o.maxReplicas) {
    fail(scope, `${field}.minReplicas`, `minReplicas ${minReplicasOf(o)} is above maxReplicas ${o.maxReplicas}`);
  }
  checkInt(scope, `${field}.cpuUtilization`, o.cpuUtilization, 1);
  checkInt(scope, `${field}.memoryUtilization`, o.memoryUtilization, 1);

  // each metric with the prop it came from, for messages
  const metrics = (): Array<{ json: any; from: string }> => {
    const cpu = o.cpuUtilization ?? (o.memoryUtilization === undefined && !o.metrics?.length ? DEFAULT_CPU_UTILIZATION : undefined);
    const own = (['cpu', 'memory'] as const)
      .map((name) => ({ name, averageUtilization: name === 'cpu' ? cpu : o.memoryUtilization }))
      .filter((t) => t.averageUtilization !== undefined)
      .map(({ name, averageUtilization }) => ({
        json: { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } },
        from: `${field}.${name}Utilization`,
      }));
    const extra = (o.metrics ?? []).map((m, i) => ({ json: plain((m as any)._toKube()), from: `${field}.metrics[${i}]` }));
    return [...own, ...extra];
  };

  const hpa = new Manifest(scope, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: props.name, labels: props.labels, annotations: props.annotations },
    render: () => ({
      spec: {
        scaleTargetRef: { apiVersion: props.target.apiVersion, kind: props.target.kind, name: props.target.name },
        minReplicas: o.minReplicas,
        maxReplicas: o.maxReplicas,
        metrics: metrics().map((m) => m.json),
      },
    }),
  });
  addChecks(hpa, () => checkRequests(scope, props.pod, metrics()));
  return hpa;
}

/** Every resource a Utilization target names must be requested by every app container. */
function checkRequests(scope: Construct, pod: PodTemplate, metrics: Array<{ json: any; from: string }>): Problem[] {
  const problems: Problem[] = [];
  for (const { json, from } of metrics) {
    const name: string | undefined =
      json.type === 'Resource' && json.resource?.target?.type === 'Utilization' ? json.resource.name : undefined;
    if (name !== 'cpu' && name !== 'memory') continue;
    for (const c of pod.containerSpecs) {
      const r = pod.resourcesOf(c);
      if ((name === 'cpu' ? r?.cpu?.request : r?.memory?.request) === undefined) {
        problems.push(
          problemAt(scope, {
            field: from,
            rule: `container "${c.name}" has no ${name} request, so the autoscaler cannot compute ${name} utilization and will not scale`,
            hint: `give every container resources.${name}.request`,
          }),
        );
      }
    }
  }
  return problems;
}
