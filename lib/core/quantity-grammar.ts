// The grammar of Kubernetes quantities, without cdk8s: the release review reads quantities too, and its
// CLI does not load cdk8s.

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

/** A quantity's value as a number (precise enough to compare requests and limits, or storage sizes), or undefined. */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const p = parseQuantity(q);
  if (!p) return undefined;
  const { base, exponent } = suffixScale(p.suffix);
  return Number(p.number) * (p.negative ? -1 : 1) * base ** exponent;
}
