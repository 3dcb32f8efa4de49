import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConstructState } from './state';

/** The recommended labels' keys (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_VERSION = 'app.kubernetes.io/version';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The value of `app.kubernetes.io/managed-by` on every object of this library. */
export const MANAGED_BY = 'cdk8s-patterns';

type Labels = { [key: string]: string };

/** What a construct adds to the metadata of the objects at and below it, read at render. */
export interface AddedMetadata {
  /** Labels (the object's own win). */
  readonly labels?: Labels;
  /** Annotations (the object's own win). */
  readonly annotations?: Labels;
}

const sources = new ConstructState<(obj: IConstruct) => AddedMetadata>();

/** The labels of objects below no labelled construct; the pod layer sets it to read `PatternDefaults`. */
let outside: (scope: IConstruct) => Labels | undefined = () => ({ [LABEL_MANAGED_BY]: MANAGED_BY });

/**
 * Adds what `source(obj)` returns at render to the metadata of every object `obj` rendered at or below
 * `scope` (instead of the library-wide labels). Workloads call it: their recommended labels on every
 * object, their opt-out annotations on the main one.
 */
export function setAddedMetadata(scope: IConstruct, source: (obj: IConstruct) => AddedMetadata): void {
  sources.set(scope, source);
}

/** Sets the labels of objects below no labelled construct (the pod layer, which owns `PatternDefaults`). */
export function setOutsideLabels(labels: (scope: IConstruct) => Labels | undefined): void {
  outside = labels;
}

/**
 * What the library adds to the metadata of `obj`: that of the nearest construct that adds some (its
 * workload), else the library-wide labels (`managed-by`, `part-of`).
 */
export function addedMetadataOf(obj: IConstruct): AddedMetadata {
  const source = sources.nearest(obj);
  return source ? source(obj) : { labels: outside(obj) };
}

/**
 * The recommended labels of the pods rendered at `scope` (a pod template's owner): those of its objects,
 * with the chart's own `app.kubernetes.io/*` labels over them as on the objects (cdk8s puts chart labels
 * on objects, not on pod templates), so `kubectl get -l` finds the pods with the objects.
 */
export function recommendedLabelsOf(scope: IConstruct): Labels | undefined {
  const labels = addedMetadataOf(scope).labels;
  if (!labels) return undefined;
  const chartLabels = chartOf(scope)?.labels ?? {};
  const out = { ...labels };
  for (const key of Object.keys(chartLabels)) if (key.startsWith(PREFIX)) out[key] = chartLabels[key];
  return out;
}

const PREFIX = 'app.kubernetes.io/';

function chartOf(scope: IConstruct): Chart | undefined {
  for (let s: IConstruct | undefined = scope; s; s = s.node.scope) if (Chart.isChart(s)) return s;
  return undefined;
}
