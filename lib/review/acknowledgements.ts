// Acknowledgements: `<rule>[:<Kind>/<name>|:<Kind>/<namespace>/<name>][=<reason>]`, from `--ack` flags or
// from the `cdk8s-patterns.io/acknowledge` annotation of an object of the AFTER tree (one entry per line).
// An entry without a target acknowledges the findings of the object that carries it; an entry with a target
// acknowledges the findings of that object (the only way to acknowledge a removal in code). `<rule>` is a
// rule id or a severity (`breaking`, `data-loss`, `risky`) for all of that severity.
import { ChangeSeverity } from './types';

export const ACK_ANNOTATION = 'cdk8s-patterns.io/acknowledge';
export const SEVERITY_WORDS: string[] = [ChangeSeverity.BREAKING, ChangeSeverity.DATA_LOSS, ChangeSeverity.RISKY];

export interface Ack {
  readonly rule: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly reason: string;
}

/** Parses one entry; returns an error message instead when it is malformed. */
export function parseAck(spec: string, knownRules: Set<string>): Ack | string {
  const eq = spec.indexOf('=');
  const head = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const reason = eq < 0 ? '' : spec.slice(eq + 1).trim();
  const colon = head.indexOf(':');
  const rule = colon < 0 ? head : head.slice(0, colon);
  if (!knownRules.has(rule) && !SEVERITY_WORDS.includes(rule)) {
    return `"${rule}" is not a rule id or severity (one of ${[...SEVERITY_WORDS, ...knownRules].join(', ')})`;
  }
  if (colon < 0) return { rule, reason };
  const parts = head.slice(colon + 1).split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === ''))
    return `"${head.slice(colon + 1)}" is not <kind>/<name> or <kind>/<namespace>/<name>`;
  return parts.length === 2
    ? { rule, kind: parts[0], name: parts[1], reason }
    : { rule, kind: parts[0], namespace: parts[1], name: parts[2], reason };
}

/** The entries of an annotation value (one per line; malformed lines are skipped). */
export function parseAnnotation(value: unknown, knownRules: Set<string>): Ack[] {
  if (typeof value !== 'string') return [];
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => parseAck(l, knownRules))
    .filter((a): a is Ack => typeof a !== 'string');
}

export function ackCoversRule(ack: Ack, rule: string, severity: ChangeSeverity): boolean {
  return ack.rule === rule || ack.rule === severity;
}

export function ackTargets(ack: Ack, kind: string, namespace: string, name: string): boolean {
  if (ack.kind === undefined) return true;
  return ack.kind.toLowerCase() === kind.toLowerCase() && ack.name === name && (ack.namespace === undefined || ack.namespace === namespace);
}
