import { failOutsideConstruct } from '../core/errors';
import { BINARY_SUFFIXES, DECIMAL_SUFFIXES, parseQuantity, suffixScale } from '../core/quantity';
import { locatePodTemplate } from './pod-bearing';

/** A pod's effective requests and limits, per resource name (`cpu`, `memory`, `ephemeral-storage`...). */
export interface EffectiveResources {
  readonly requests: { [key: string]: string };
  readonly limits: { [key: string]: string };
}

/** The containers of a rendered pod spec (`spec.template.spec` of a manifest). */
interface PodSpecJson {
  readonly containers?: any[];
  readonly initContainers?: any[];
}

/**
 * The requests and limits the scheduler, quota and the pod cgroup use: per resource, the larger of
 * the largest init container value (init containers run one at a time) and the sum over the app
 * containers (they run together). Containers that state no value for a resource do not count for it.
 * For a workload's pod template, `pod.effectiveResources()` gives the same.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 */
export class PodResources {
  /**
   * The effective resources of the pod template in `manifest`: the JSON of any pod-bearing object
   * (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob...) as it is written, so after synth-time
   * initializers. Undefined for an object without a pod template.
   */
  public static ofManifest(manifest: any): EffectiveResources | undefined {
    const loc = locatePodTemplate(manifest);
    return loc ? effectiveResourcesOf(loc.template.spec) : undefined;
  }

  /** The effective resources of a rendered pod spec (`{ containers, initContainers }`). */
  public static ofPodSpec(spec: any): EffectiveResources {
    return effectiveResourcesOf(spec);
  }

  private constructor() {}
}

/** The effective resources of a rendered pod spec. */
export function effectiveResourcesOf(spec: PodSpecJson): EffectiveResources {
  const result = (kind: 'requests' | 'limits') => {
    const init = new Map<string, bigint>();
    const app = new Map<string, bigint>();
    for (const c of spec.initContainers ?? []) {
      for (const [name, q] of amounts(c, kind)) init.set(name, init.has(name) && init.get(name)! > q ? init.get(name)! : q);
    }
    for (const c of spec.containers ?? []) {
      for (const [name, q] of amounts(c, kind)) app.set(name, (app.get(name) ?? 0n) + q);
    }
    const out: { [key: string]: string } = {};
    for (const name of [...new Set([...init.keys(), ...app.keys()])].sort()) {
      const a = init.get(name) ?? 0n;
      const b = app.get(name) ?? 0n;
      out[name] = formatMilli(a > b ? a : b, name);
    }
    return out;
  };
  return { requests: result('requests'), limits: result('limits') };
}

function* amounts(container: any, kind: 'requests' | 'limits'): Generator<[string, bigint]> {
  const values: { [key: string]: unknown } = container?.resources?.[kind] ?? {};
  for (const [name, v] of Object.entries(values)) {
    if (v === undefined || v === null) continue;
    yield [name, parseMilli(String(v), `${container.name}.resources.${kind}.${name}`)];
  }
}

/** A Kubernetes quantity in thousandths of its unit, rounded up as Kubernetes does. */
export function parseMilli(quantity: string, field = 'quantity'): bigint {
  const q = parseQuantity(quantity.trim());
  if (!q) failOutsideConstruct('PodResources', field, `"${quantity}" is not a Kubernetes quantity`);
  if (q.negative) failOutsideConstruct('PodResources', field, `"${quantity}" is negative; requests and limits cannot be`);
  const [int, frac = ''] = q.number.split('.');
  let num = BigInt((int || '0') + frac) * 1000n;
  let den = 10n ** BigInt(frac.length);
  const { base, exponent } = suffixScale(q.suffix);
  if (exponent >= 0) num *= BigInt(base) ** BigInt(exponent);
  else den *= BigInt(base) ** BigInt(-exponent);
  return (num + den - 1n) / den;
}

/** Thousandths as a quantity: `1500m`, `2` (cpu), `192Mi`, `1k`, `1000`. */
function formatMilli(milli: bigint, resource: string): string {
  if (milli % 1000n !== 0n) return `${milli}m`;
  const n = milli / 1000n;
  if (resource === 'cpu' || n === 0n) return `${n}`;
  for (let i = BINARY_SUFFIXES.length - 1; i >= 0; i--) {
    const unit = 1024n ** BigInt(i + 1);
    if (n % unit === 0n) return `${n / unit}${BINARY_SUFFIXES[i]}`;
  }
  for (let i = DECIMAL_SUFFIXES.length - 1; i >= 0; i--) {
    const unit = 1000n ** BigInt(i + 1);
    if (n % unit === 0n) return `${n / unit}${DECIMAL_SUFFIXES[i]}`;
  }
  return `${n}`;
}
