import { Size, SizeRoundingBehavior } from 'cdk8s';
import type { Cpu } from 'cdk8s-plus-27';

const UNITS: Array<[keyof Size, string]> = [
  ['toPebibytes', 'Pi'],
  ['toTebibytes', 'Ti'],
  ['toGibibytes', 'Gi'],
  ['toMebibytes', 'Mi'],
  ['toKibibytes', 'Ki'],
];

/**
 * Renders a cdk8s `Size` as a Kubernetes quantity in the largest binary unit that holds it exactly
 * (`Size.mebibytes(1024)` → `1Gi`). Returns undefined for a size that is not a positive whole number
 * of KiB, so callers can report it against their own field.
 */
export function sizeToQuantity(size: Size): string | undefined {
  for (const [method, suffix] of UNITS) {
    try {
      const n = (size[method] as (o: object) => number).call(size, { rounding: SizeRoundingBehavior.FAIL });
      if (Number.isInteger(n) && n > 0) {
        return `${n}${suffix}`;
      }
    } catch {
      // not a whole number in this unit: try a smaller one
    }
  }
  return undefined;
}

/** A CPU amount from cdk8s-plus `Cpu` (`Cpu.millis(250)`) or a quantity string (`"250m"`). */
export type CpuAmount = Cpu | string;

export function cpuToQuantity(cpu: CpuAmount): string {
  return typeof cpu === 'string' ? cpu : cpu.amount;
}

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** True for a string Kubernetes accepts as a resource quantity. */
export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}
