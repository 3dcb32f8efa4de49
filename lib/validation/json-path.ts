const SIMPLE_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Appends a key or an index to a JSON path, in the format the schema validator reports:
 * `spec.template.spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]`.
 */
export function at(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (SIMPLE_KEY.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

/** `value` if it is a plain object, else undefined (manifest JSON from users can hold anything). */
export function obj(value: unknown): Record<string, any> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, any>) : undefined;
}

/** `value` if it is an array, else an empty one. */
export function arr(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** `value` if it is a non-empty string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
