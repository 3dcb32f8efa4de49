import type { NodeLabelQuery } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { plain } from '../core/plain';

/** A preferred node term: nodes matching every query score `weight` more. */
export interface PreferredNodeTerm {
  /** 1–100. */
  readonly weight: number;
  /** Node label queries, all of which must hold (cdk8s-plus `NodeLabelQuery`). */
  readonly match: NodeLabelQuery[];
}

/**
 * Node affinity. A term is a list of cdk8s-plus `NodeLabelQuery`s that must all hold
 * (`NodeLabelQuery.in('kubernetes.io/os', ['linux'])`).
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#node-affinity
 */
export interface NodeAffinitySpec {
  /** Pods run only on nodes matching at least one of these terms. @default - any node */
  readonly required?: NodeLabelQuery[][];
  /** Nodes matching these terms are preferred. @default - none */
  readonly preferred?: PreferredNodeTerm[];
}

function requirements(queries: NodeLabelQuery[]): Array<{ key: string; operator: string; values?: string[] }> {
  return queries.map((q) => plain((q as any)._toKube()));
}

/** Problems of node affinity; fields are relative to the prop. */
export function checkNodeAffinity(spec: NodeAffinitySpec): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  const checkTerm = (queries: NodeLabelQuery[], field: string) => {
    if (queries.length === 0) out.push({ field, rule: 'an empty term matches no node' });
    requirements(queries).forEach((r, i) => {
      const n = r.values?.length ?? 0;
      if ((r.operator === 'In' || r.operator === 'NotIn') && n === 0)
        out.push({ field: `${field}[${i}]`, rule: `${r.operator} on "${r.key}" needs at least one value` });
      if ((r.operator === 'Gt' || r.operator === 'Lt') && (n !== 1 || !/^-?\d+$/.test(r.values![0]))) {
        out.push({ field: `${field}[${i}]`, rule: `${r.operator} on "${r.key}" needs exactly one integer value` });
      }
    });
  };
  if (spec.required?.length === 0)
    out.push({ field: 'required', rule: 'an empty list of terms matches no node', hint: 'leave required unset for any node' });
  (spec.required ?? []).forEach((term, i) => checkTerm(term, `required[${i}]`));
  (spec.preferred ?? []).forEach((p, i) => {
    if (!Number.isInteger(p.weight) || p.weight < 1 || p.weight > 100)
      out.push({ field: `preferred[${i}].weight`, rule: `must be an integer from 1 to 100 (got ${p.weight})` });
    checkTerm(p.match, `preferred[${i}].match`);
  });
  return out;
}

/** The pod's `affinity` JSON for node affinity, or undefined when there is none. */
export function renderNodeAffinity(spec?: NodeAffinitySpec): Record<string, unknown> | undefined {
  if (!spec || (!spec.required && !spec.preferred?.length)) return undefined;
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: spec.required
        ? { nodeSelectorTerms: spec.required.map((term) => ({ matchExpressions: requirements(term) })) }
        : undefined,
      preferredDuringSchedulingIgnoredDuringExecution: spec.preferred?.length
        ? spec.preferred.map((p) => ({ weight: p.weight, preference: { matchExpressions: requirements(p.match) } }))
        : undefined,
    },
  };
}
