import { arr, obj } from './json-path';

/** Labels, as found in manifest JSON. */
export type Labels = { [key: string]: string };

/** Whether every `key: value` of an equality selector (a Service's `spec.selector`) is in `labels`. */
export function mapMatches(selector: Labels, labels: Labels): boolean {
  for (const k in selector) {
    if (labels[k] !== selector[k]) return false;
  }
  return true;
}

/**
 * Whether a `LabelSelector` (`matchLabels` + `matchExpressions`) selects `labels`. An empty selector
 * selects everything; an unknown operator selects nothing (the API server rejects it anyway).
 */
export function selectorMatches(selector: Record<string, any>, labels: Labels): boolean {
  const matchLabels = obj(selector.matchLabels);
  if (matchLabels && !mapMatches(matchLabels, labels)) return false;
  for (const e of arr(selector.matchExpressions)) {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values = arr(e?.values);
    switch (e?.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a LabelSelector has no terms (it then selects every pod). */
export function isEmptySelector(selector: Record<string, any>): boolean {
  return Object.keys(obj(selector.matchLabels) ?? {}).length === 0 && arr(selector.matchExpressions).length === 0;
}

/** A selector as people write it: `app=web,tier in (a,b)`. */
export function describeSelector(selector: Record<string, any>): string {
  const terms = Object.entries(obj(selector.matchLabels) ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of arr(selector.matchExpressions)) {
    const values = arr(e?.values);
    terms.push(values.length > 0 ? `${e?.key} ${e?.operator} (${values.join(',')})` : `${e?.key} ${e?.operator}`);
  }
  return terms.join(',') || '(everything)';
}
