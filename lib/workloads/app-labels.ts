import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { labelValueViolation } from '../core/names';
import { LABEL_COMPONENT, LABEL_INSTANCE, LABEL_NAME, LABEL_PART_OF, LABEL_VERSION } from '../core/recommended-labels';

/**
 * The recommended `app.kubernetes.io/*` labels of a workload's objects
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). They go on every
 * object the workload creates and on its pods, never into selectors: selectors stay the minimal,
 * immutable `selectorLabels`. `app.kubernetes.io/managed-by: cdk8s-patterns` is always added.
 */
export interface AppLabels {
  /**
   * `app.kubernetes.io/name`: the application. Must equal the selector's value when `selectorLabels`
   * has this key.
   * @default - the selector's `app.kubernetes.io/name`; none when the selector does not use the key (a
   * derived one could make the pods match another workload's default selector)
   */
  readonly name?: string;
  /** `app.kubernetes.io/instance`: this instance of the application. @default - the workload's name, when it is a valid label value */
  readonly instance?: string;
  /** `app.kubernetes.io/version`. @default - the tag of the first app container's image, when it is a valid label value */
  readonly version?: string;
  /** `app.kubernetes.io/component` (`database`, `cache`, `frontend`...). @default - none */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`: the larger application. @default - `PatternDefaults.partOf`, else the chart's id */
  readonly partOf?: string;
}

const KEYS: Array<[keyof AppLabels, string]> = [
  ['name', LABEL_NAME],
  ['instance', LABEL_INSTANCE],
  ['version', LABEL_VERSION],
  ['component', LABEL_COMPONENT],
  ['partOf', LABEL_PART_OF],
];

/** Checks the labels given to the workload at `scope` (field `appLabels`) against label value rules and its selector. */
export function checkAppLabels(scope: IConstruct, given: AppLabels, selector: { [key: string]: string }): void {
  for (const [field, key] of KEYS) {
    const value = given[field];
    if (value === undefined) continue;
    const why = labelValueViolation(value);
    if (why) fail(scope, `appLabels.${field}`, why);
    if (selector[key] !== undefined && selector[key] !== value) {
      fail(
        scope,
        `appLabels.${field}`,
        `"${value}" differs from the selector's ${key}: "${selector[key]}", and the pods carry the selector's`,
        'leave it out (it follows the selector), or change selectorLabels',
      );
    }
  }
}

/**
 * The recommended labels of a workload: `base` (managed-by, part-of), then its own, derived where not
 * given; derived values that are not valid label values are left out.
 */
export function appLabelsOf(
  base: { [key: string]: string },
  given: AppLabels,
  derived: { name?: string; instance: string; image?: string },
): { [key: string]: string } {
  const labels = { ...base };
  const values: AppLabels = { name: derived.name, instance: derived.instance, version: imageTag(derived.image), ...given };
  for (const [field, key] of KEYS) {
    const value = values[field];
    if (value !== undefined && !labelValueViolation(value)) labels[key] = value;
  }
  return labels;
}

/** The tag of an image reference (`mysql:8.0` → `8.0`), none for digests and untagged images. */
function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const ref = image.split('@')[0];
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(colon + 1) : undefined;
}
