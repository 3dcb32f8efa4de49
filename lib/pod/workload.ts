import { IConstruct } from 'constructs';
import { PodTemplate } from './pod-template';

/**
 * A workload construct: something with a name and a pod template (every `Workload` of this library).
 * Granting it API access (`Access.forWorkload`) gives its pods a ServiceAccount of their own, named
 * after it, with the token mounted; a workload never granted access keeps
 * `automountServiceAccountToken: false`.
 */
export interface IPodWorkload extends IConstruct {
  /** The workload's pod template. */
  readonly pod: PodTemplate;
  /** The workload's name (its own ServiceAccount is named after it). */
  readonly name: string;
}

/** True for a workload construct (structurally: it has a `PodTemplate` and a name). */
export function isPodWorkload(x: unknown): x is IPodWorkload {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { pod?: unknown }).pod instanceof PodTemplate &&
    typeof (x as { name?: unknown }).name === 'string'
  );
}
