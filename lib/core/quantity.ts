import { Size, SizeRoundingBehavior } from 'cdk8s';
import type { Cpu } from 'cdk8s-plus-27';

/** Binary units, largest first, with their size in KiB (powers of two, so the divisions below are exact). */
const UNITS: Array<[number, string]> = [
  [1024 ** 4, 'Pi'],
  [1024 ** 3, 'Ti'],
  [1024 ** 2, 'Gi'],
  [1024, 'Mi'],
  [1, 'Ki'],
];

/**
 * Renders a cdk8s `Size` as a Kubernetes quantity in the largest binary unit that holds it exactly
 * (`Size.mebibytes(1024)` → `1Gi`). Returns undefined for a size that is not a positive whole number
 * of KiB, so callers can report it against their own field.
 */
export function sizeToQuantity(size: Size): string | undefined {
  // One conversion that cannot throw: Size's rounding FAIL throws per unit tried, and thousands of
  // thrown errors dominated synth time.
  if (typeof (size as Partial<Size> | undefined)?.toKibibytes !== 'function') return undefined; // e.g. '512Mi' from JavaScript
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(kib) || kib <= 0) return undefined;
  for (const [inKib, suffix] of UNITS) {
    const n = kib / inKib;
    if (Number.isInteger(n)) return `${n}${suffix}`;
  }
  return undefined;
}

/** A CPU amount from cdk8s-plus `Cpu` (`Cpu.millis(250)`) or a quantity string (`"250m"`). */
export type CpuAmount = Cpu | string;

export function cpuToQuantity(cpu: CpuAmount): string {
  return typeof cpu === 'string' ? cpu : cpu.amount;
}

export { BINARY_SUFFIXES, DECIMAL_SUFFIXES, parseQuantity, QuantityParts, quantityValue, suffixScale } from './quantity-grammar';
