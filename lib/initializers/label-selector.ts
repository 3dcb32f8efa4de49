import { ProblemDetails } from '../core/errors';
import { labelKeyViolation, labelValueViolation, labelViolations } from '../core/names';

/** Operators of a label selector requirement. */
export enum LabelSelectorOperator {
  IN = 'In',
  NOT_IN = 'NotIn',
  EXISTS = 'Exists',
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One requirement of a label selector (`tier In (web, api)`). */
export interface LabelRequirement {
  /** Label key. */
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  /** Values; required for In/NotIn, forbidden for Exists/DoesNotExist. @default - none */
  readonly values?: string[];
}

/**
 * A Kubernetes label selector: every `matchLabels` entry and every requirement must hold.
 * An empty selector matches everything.
 */
export interface LabelSelectorSpec {
  /** @default - none */
  readonly matchLabels?: { [key: string]: string };
  /** @default - none */
  readonly matchExpressions?: LabelRequirement[];
}

/** The problems of a selector (keys, values, operators and their values). */
export function checkSelector(selector: LabelSelectorSpec, field: string): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  for (const { key, rule } of labelViolations(selector.matchLabels ?? {})) out.push({ field: `${field}.matchLabels.${key}`, rule });
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const keyWhy = labelKeyViolation(e.key);
    if (keyWhy) out.push({ field: `${at}.key`, rule: keyWhy });
    const valued = e.operator === LabelSelectorOperator.IN || e.operator === LabelSelectorOperator.NOT_IN;
    if (!Object.values(LabelSelectorOperator).includes(e.operator)) {
      out.push({ field: `${at}.operator`, rule: `"${e.operator}" is not one of In, NotIn, Exists, DoesNotExist` });
    } else if (valued && !e.values?.length) {
      out.push({ field: `${at}.values`, rule: `operator ${e.operator} needs at least one value` });
    } else if (!valued && e.values?.length) {
      out.push({ field: `${at}.values`, rule: `operator ${e.operator} takes no values` });
    }
    (e.values ?? []).forEach((v, j) => {
      const why = labelValueViolation(v);
      if (why) out.push({ field: `${at}.values[${j}]`, rule: why });
    });
  });
  return out;
}

/** The `LabelSelector` JSON (empty parts omitted; an empty selector renders as `{}`). */
export function renderSelector(selector: LabelSelectorSpec): Record<string, unknown> {
  const labels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  return {
    matchLabels: Object.keys(labels).length > 0 ? { ...labels } : undefined,
    matchExpressions:
      expressions.length > 0
        ? expressions.map((e) => ({ key: e.key, operator: e.operator, values: e.values?.length ? [...e.values] : undefined }))
        : undefined,
  };
}
