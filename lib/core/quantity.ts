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

/**
 * The grammar of a Kubernetes quantity (apimachinery `resource.Quantity`): a sign, a decimal number,
 * and a binary suffix (Ki…Ei), a decimal suffix (m, k, M…E) or a decimal exponent (`e3`, `E-2`).
 * The library's only copy of it: read it through `parseQuantity`.
 */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** The parts of a quantity string, as written. */
export interface QuantityParts {
  /** True when the quantity starts with `-`. */
  readonly negative: boolean;
  /** The decimal number without its sign (`1.5`, `.5`, `100`). */
  readonly number: string;
  /** The suffix (`Mi`, `m`, `e3`), or `''` when there is none. */
  readonly suffix: string;
}

/** Splits a Kubernetes quantity into its parts; undefined when `value` is not a quantity. */
export function parseQuantity(value: string): QuantityParts | undefined {
  const m = typeof value === 'string' ? QUANTITY.exec(value) : null;
  return m ? { negative: m[1] === '-', number: m[2], suffix: m[3] ?? '' } : undefined;
}

/** Binary suffixes, smallest first: the i-th stands for 1024^(i+1). */
export const BINARY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
/** Decimal suffixes, smallest first: the i-th stands for 1000^(i+1). */
export const DECIMAL_SUFFIXES = ['k', 'M', 'G', 'T', 'P', 'E'];

/**
 * The factor a quantity suffix stands for, as `base ** exponent`: `Mi` → 1024², `k` → 10³, `m` → 10⁻³,
 * `e6` → 10⁶, no suffix → 10⁰. The library's only table of them.
 */
export function suffixScale(suffix: string): { base: 1024 | 10; exponent: number } {
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (binary >= 0) return { base: 1024, exponent: binary + 1 };
  const decimal = DECIMAL_SUFFIXES.indexOf(suffix);
  if (decimal >= 0) return { base: 10, exponent: 3 * (decimal + 1) };
  if (suffix === 'm') return { base: 10, exponent: -3 };
  return { base: 10, exponent: suffix === '' ? 0 : Number(suffix.slice(1)) };
}
