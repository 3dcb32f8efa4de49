import { Problem, problemAt } from '../core/errors';
import { IConstruct } from 'constructs';

/** What a relabeling step does (Prometheus `relabel_config` `action`). */
export enum RelabelAction {
  /** Writes `replacement` (with regex groups) to `targetLabel` when `regex` matches the joined source labels. */
  REPLACE = 'replace',
  /** Keeps targets (or series) whose joined source labels match `regex`. */
  KEEP = 'keep',
  /** Drops targets (or series) whose joined source labels match `regex`. */
  DROP = 'drop',
  /** Writes the hash of the joined source labels modulo `modulus` to `targetLabel` (sharding). */
  HASHMOD = 'hashmod',
  /** Copies labels whose name matches `regex` to the names given by `replacement`. */
  LABELMAP = 'labelmap',
  /** Removes labels whose name matches `regex`. */
  LABELDROP = 'labeldrop',
  /** Keeps only labels whose name matches `regex`. */
  LABELKEEP = 'labelkeep',
  /** Writes the joined source labels in lower case to `targetLabel`. */
  LOWERCASE = 'lowercase',
  /** Writes the joined source labels in upper case to `targetLabel`. */
  UPPERCASE = 'uppercase',
  /** Keeps targets whose joined source labels equal `targetLabel`'s value. */
  KEEP_EQUAL = 'keepequal',
  /** Drops targets whose joined source labels equal `targetLabel`'s value. */
  DROP_EQUAL = 'dropequal',
}

/** One relabeling step of a scrape endpoint (`relabelings` before the scrape, `metricRelabelings` on the scraped series). */
export interface Relabeling {
  /** Labels whose values are joined with `separator` and matched against `regex`. @default - none */
  readonly sourceLabels?: string[];
  /** @default ';' */
  readonly separator?: string;
  /** Label the result is written to (required by replace, hashmod, lowercase, uppercase, keepequal, dropequal). @default - none */
  readonly targetLabel?: string;
  /** RE2 regular expression, anchored at both ends. @default '(.*)' */
  readonly regex?: string;
  /** Value written to `targetLabel` (`$1` refers to a regex group). @default '$1' */
  readonly replacement?: string;
  /** Modulus of `HASHMOD`. @default - none */
  readonly modulus?: number;
  /** @default RelabelAction.REPLACE */
  readonly action?: RelabelAction;
}

/** A Prometheus label name (`model.LabelNameRE` of prometheus/common, legacy validation). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const NEEDS_TARGET = new Set<string>([
  RelabelAction.REPLACE,
  RelabelAction.HASHMOD,
  RelabelAction.LOWERCASE,
  RelabelAction.UPPERCASE,
  RelabelAction.KEEP_EQUAL,
  RelabelAction.DROP_EQUAL,
]);

/**
 * Problems of relabeling steps (fields under `field`), after `Config.Validate` of Prometheus'
 * model/relabel/relabel.go: the actions that write need `targetLabel`, hashmod needs a modulus, and
 * source labels are label names. Prometheus would refuse the generated configuration otherwise, and the
 * operator drops the whole monitor.
 */
export function relabelingProblems(scope: IConstruct, field: string, steps: readonly Relabeling[] | undefined): Problem[] {
  const out: Problem[] = [];
  (steps ?? []).forEach((r, i) => {
    const at = (f: string, rule: string, hint?: string) => out.push(problemAt(scope, { field: `${field}[${i}]${f}`, rule, hint }));
    const action = r.action ?? RelabelAction.REPLACE;
    if (!Object.values(RelabelAction).includes(action)) at('.action', `"${action}" is not a relabeling action`);
    if (NEEDS_TARGET.has(action) && !r.targetLabel) at('.targetLabel', `the ${action} action needs a targetLabel`);
    if (action === RelabelAction.HASHMOD && !(Number.isInteger(r.modulus) && r.modulus! > 0))
      at('.modulus', 'the hashmod action needs a positive integer modulus');
    (r.sourceLabels ?? []).forEach((l, j) => {
      if (!LABEL_NAME.test(l))
        at(`.sourceLabels[${j}]`, `"${l}" is not a Prometheus label name`, 'letters, digits and _, not starting with a digit');
    });
  });
  return out;
}

/** The JSON of relabeling steps (the action written out, so the default is visible). */
export function renderRelabelings(steps: readonly Relabeling[] | undefined): unknown[] | undefined {
  if (!steps || steps.length === 0) return undefined;
  return steps.map((r) => ({
    sourceLabels: r.sourceLabels && r.sourceLabels.length > 0 ? [...r.sourceLabels] : undefined,
    separator: r.separator,
    targetLabel: r.targetLabel,
    regex: r.regex,
    replacement: r.replacement,
    modulus: r.modulus,
    action: r.action ?? RelabelAction.REPLACE,
  }));
}
