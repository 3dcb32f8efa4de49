import { ProblemDetails } from '../core/errors';

/** A toleration of a node taint. */
export interface TolerationSpec {
  /** Taint key; omitted with operator Exists to tolerate every taint. @default - all keys */
  readonly key?: string;
  /** @default 'Equal' when a value is given, else 'Exists' */
  readonly operator?: 'Exists' | 'Equal';
  /** @default - none */
  readonly value?: string;
  /** @default - all effects */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** How long a NoExecute taint is tolerated before eviction. Only valid with effect NoExecute. @default - forever */
  readonly tolerationSeconds?: number;
}

/** The toleration as written into a pod: its fields, with the operator Kubernetes would default written out. */
export function withOperator(t: TolerationSpec): TolerationSpec {
  return {
    key: t.key,
    operator: t.operator ?? (t.value !== undefined ? 'Equal' : 'Exists'),
    value: t.value,
    effect: t.effect,
    tolerationSeconds: t.tolerationSeconds,
  };
}

/**
 * The problems of one toleration, as the API server would find them; `field` is the prop path of the
 * toleration (`tolerations[0]`).
 */
export function checkToleration(toleration: TolerationSpec, field: string): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  const at = (f: string, rule: string) => out.push({ field: `${field}.${f}`, rule });
  const t = withOperator(toleration);
  if (t.tolerationSeconds !== undefined) {
    if (t.effect !== 'NoExecute') at('tolerationSeconds', `is only valid with effect NoExecute (got ${t.effect ?? 'all effects'})`);
    if (!Number.isInteger(t.tolerationSeconds)) at('tolerationSeconds', `must be an integer (got ${t.tolerationSeconds})`);
  }
  if (t.operator === 'Exists' && t.value !== undefined) at('value', 'must be empty with operator Exists');
  // a value without a key renders operator Equal, which needs a key
  if (!t.key && t.operator !== 'Exists') at('key', 'an empty key requires operator Exists');
  return out;
}
