import { IConstruct } from 'constructs';
import { checkLabels, checkObjectName } from '../core/names';

/** Name, labels and annotations of a companion object of a workload (its budget, autoscaler…). */
export interface CompanionOptions {
  /** Name of the object. @default - the workload's name */
  readonly name?: string;
  /** Labels of the object (besides the chart's). @default - none */
  readonly labels?: { [key: string]: string };
  /** Annotations of the object. @default - none */
  readonly annotations?: { [key: string]: string };
}

/** The checked name, labels and annotations of a companion: `options`, else the workload's `name`. */
export function companion(
  scope: IConstruct,
  field: string,
  options: CompanionOptions | undefined,
  name: string,
  group: string,
  kind: string,
): { name: string; labels?: { [key: string]: string }; annotations?: { [key: string]: string } } {
  return {
    name: options?.name !== undefined ? checkObjectName(scope, `${field}.name`, options.name, group, kind) : name,
    labels: options?.labels && checkLabels(scope, `${field}.labels`, options.labels),
    annotations: options?.annotations,
  };
}
