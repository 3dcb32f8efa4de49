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

// the JSON readers live in core, where the pod layer's passes read manifest JSON too
export { arr, obj } from '../core/plain';

/** `value` if it is a non-empty string, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
