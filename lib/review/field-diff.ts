// Field-level diff of two JSON values. Lists whose items all have a unique `name` (containers, env, volumes,
// ports, claim templates...) are matched by it, so a reorder is no change and paths read as
// `containers[name=web].image`; lists of scalars are compared whole (`verbs: ["get"] → ["get","list"]`).
import { at as atPath } from '../validation/json-path';
import { canonical } from './identity';
import { isPlainObject } from '../core/plain';

/** One differing leaf or subtree. `segs` are the path's segments: keys, `[name=x]` or `[3]`. */
export interface RawChange {
  readonly segs: string[];
  readonly before: unknown;
  readonly after: unknown;
}

/** `spec.template.metadata.annotations["cdk8s-patterns.io/pod-security"]`. */
export function formatPath(segs: string[]): string {
  return segs.reduce((path, s) => (s.startsWith('[') ? path + s : atPath(path, s)), '');
}

/** Compact JSON of a value for reports, cut at `max` characters. */
export function formatValue(v: unknown, max = 120): string | undefined {
  if (v === undefined) return undefined;
  const s = JSON.stringify(v) ?? 'null';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

const LIST_KEYS = ['name', 'metadata.name', 'mountPath', 'devicePath', 'containerPort', 'ip'];

/** The value of a list key (`metadata.name` for claim templates). */
function keyOf(x: Record<string, unknown>, k: string): unknown {
  return k === 'metadata.name' ? (x.metadata as Record<string, unknown> | undefined)?.name : x[k];
}

/** How a key shows in paths: claim templates read `[name=data]` like containers. */
const keyLabel = (k: string) => (k === 'metadata.name' ? 'name' : k);

/** The field every item has, unique, to match list items by; undefined when none fits. */
function listKey(a: unknown[], b: unknown[]): string | undefined {
  if (a.length + b.length === 0) return undefined;
  const all = [...a, ...b];
  if (!all.every(isPlainObject)) return undefined;
  for (const k of LIST_KEYS) {
    const ok = (xs: unknown[]) => {
      const seen = new Set<unknown>();
      for (const x of xs as Record<string, unknown>[]) {
        const v = keyOf(x, k);
        if ((typeof v !== 'string' && typeof v !== 'number') || seen.has(v)) return false;
        seen.add(v);
      }
      return true;
    };
    if (ok(a) && ok(b)) return k;
  }
  return undefined;
}

export function diffValues(a: unknown, b: unknown, segs: string[] = [], out: RawChange[] = []): RawChange[] {
  if (a === b) return out;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      if (a[k] === undefined && b[k] === undefined) continue;
      diffValues(a[k], b[k], [...segs, k], out);
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = listKey(a, b);
    if (key !== undefined) {
      const byKey = (xs: unknown[]) => new Map((xs as Record<string, unknown>[]).map((x) => [keyOf(x, key), x]));
      const am = byKey(a);
      const bm = byKey(b);
      const order = [...am.keys(), ...[...bm.keys()].filter((k) => !am.has(k))];
      for (const k of order) diffValues(am.get(k), bm.get(k), [...segs, `[${keyLabel(key)}=${k}]`], out);
      return out;
    }
    if (a.every(isPlainObject) && b.every(isPlainObject) && a.length > 0 && b.length > 0) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) diffValues(a[i], b[i], [...segs, `[${i}]`], out);
      return out;
    }
  }
  if (a !== undefined && b !== undefined && canonical(a) === canonical(b)) return out;
  out.push({ segs, before: a, after: b });
  return out;
}

/** True when a change is at or below the path `prefix` (segments). */
export function under(change: RawChange, ...prefix: string[]): boolean {
  if (change.segs.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (change.segs[i] !== prefix[i]) return false;
  return true;
}

/** The value at a path of segments (keys only). */
export function at(v: unknown, ...segs: string[]): any {
  let cur: any = v;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[s];
  }
  return cur;
}
