import { Duration } from 'cdk8s';
import { TaintEffect } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';

/** How a toleration matches a taint's value. */
export enum TolerationOperator {
  /** Any value (or every taint, without a key). */
  EXISTS = 'Exists',
  /** The taint's value equals `value`. */
  EQUAL = 'Equal',
}

/** A toleration of a node taint. */
export interface TolerationSpec {
  /** Taint key; omitted with operator Exists to tolerate every taint. @default - all keys */
  readonly key?: string;
  /** @default TolerationOperator.EQUAL when a value is given, else TolerationOperator.EXISTS */
  readonly operator?: TolerationOperator;
  /** @default - none */
  readonly value?: string;
  /** A cdk8s-plus `TaintEffect`. @default - all effects */
  readonly effect?: TaintEffect;
  /**
   * How long a NoExecute taint is tolerated before the pod is evicted (`tolerationSeconds`), a whole
   * number of seconds. Only valid with effect NoExecute.
   * @default - forever
   */
  readonly evictAfter?: Duration;
}

/** The toleration as written into a pod, with the operator Kubernetes would default written out. */
export function renderToleration(t: TolerationSpec): { [key: string]: any } {
  return {
    key: t.key,
    operator: t.operator ?? (t.value !== undefined ? TolerationOperator.EQUAL : TolerationOperator.EXISTS),
    value: t.value,
    effect: t.effect,
    tolerationSeconds: t.evictAfter ? wholeSeconds(t.evictAfter) : undefined,
  };
}

function wholeSeconds(d: Duration): number | undefined {
  try {
    return d.toSeconds();
  } catch {
    return undefined;
  }
}

/**
 * The problems of one toleration, as the API server would find them; `field` is the prop path of the
 * toleration (`tolerations[0]`).
 */
export function checkToleration(toleration: TolerationSpec, field: string): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  const at = (f: string, rule: string) => out.push({ field: `${field}.${f}`, rule });
  const t = renderToleration(toleration);
  if (toleration.evictAfter !== undefined) {
    if (t.effect !== TaintEffect.NO_EXECUTE) at('evictAfter', `is only valid with effect NoExecute (got ${t.effect ?? 'all effects'})`);
    if (t.tolerationSeconds === undefined)
      at('evictAfter', `must be a whole number of seconds (got ${toleration.evictAfter.toHumanString()})`);
  }
  if (t.operator === TolerationOperator.EXISTS && t.value !== undefined) at('value', 'must be empty with operator Exists');
  // a value without a key renders operator Equal, which needs a key
  if (!t.key && t.operator !== TolerationOperator.EXISTS) at('key', 'an empty key requires operator Exists');
  return out;
}
