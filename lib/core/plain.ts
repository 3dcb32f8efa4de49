/**
 * Turns rendered data into clean manifest JSON in one pass: drops undefined and null fields, sorts
 * object keys (the order cdk8s uses, so our objects and cdk8s-plus ones read alike), and unwraps
 * cdk8s-plus L1 union values (`IntOrString`, `Quantity`) to their `.value`.
 */
export function plain(value: any): any {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      out[i] = plain(value[i]);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    if ('value' in value && (typeof value.value === 'string' || typeof value.value === 'number')) {
      return value.value;
    }
    throw new Error(`cannot render a value of type ${proto?.constructor?.name ?? typeof value}`);
  }
  const keys = sortedKeys(value);
  const out: Record<string, any> = {};
  for (const k of keys) {
    const v = value[k];
    if (v !== undefined && v !== null) {
      setKey(out, k, plain(v));
    }
  }
  return out;
}

/**
 * `o[k] = v`, also for the key `__proto__`, which an assignment would take as the prototype (an own
 * property, as JSON.parse and object spread create it).
 */
export function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * `Object.keys(o).sort()`, sorted in place without `Array.prototype.sort`, which allocates work
 * arrays on every call: over the tens of thousands of small objects of a large synth that was the
 * largest source of garbage. Same order (UTF-16 code units); keys are unique, so stability is moot.
 */
export function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * A shallow copy of `o` with its keys in sorted order (every rendered object has sorted keys), `undefined`
 * values left out.
 */
export function sortedCopy<T>(o: { [key: string]: T | undefined }): { [key: string]: T } {
  const out: { [key: string]: T } = {};
  for (const k of sortedKeys(o)) if (o[k] !== undefined) setKey(out, k, o[k]);
  return out;
}

/** True for a plain JSON object (not null, not an array): manifest JSON from users can hold anything. */
export function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `value` if it is a plain object, else undefined. */
export function obj(value: unknown): Record<string, any> | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** `value` if it is an array, else an empty one. */
export function arr(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Omits a field whose value is an empty array or object, so output carries no noise like `externalIPs: []`. */
export function nonEmpty<T>(value: T[] | undefined): T[] | undefined;
export function nonEmpty<T extends object>(value: T | undefined): T | undefined;
export function nonEmpty(value: any): any {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length > 0 ? value : undefined;
  return Object.keys(value).length > 0 ? value : undefined;
}

/** Canonical JSON: keys sorted, so equal objects give equal strings whatever the key order. */
export function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as any)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
}
