// Rename detection. A removed and an added object of the same kind are one object renamed when they play
// the same role: the same pod template, or the same selector and claim templates (workloads); the same
// selector and ports (Services); the same spec (claims), data (ConfigMaps, Secrets), rules (roles),
// roleRef and subjects (bindings); for any other kind the same content. Every comparison is made after
// replacing the object's own name and namespace, as whole tokens, by placeholders (labels like
// `app: <name>` and serviceName follow the name). Candidates are bucketed by these keys (no pairwise scan of
// thousands), and among several candidates the one with the most fields in common wins (Jaccard over the
// flattened fields), same namespace and file first.
import { Entry, canonical, groupKind, isWorkload, podTemplateOf } from './identity';

export interface RenamePair {
  readonly before: Entry;
  readonly after: Entry;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A deep copy of `v` with `name` and `namespace` (as whole tokens) replaced by placeholders. */
function normalize(v: unknown, name: string, namespace: string): unknown {
  const subs: [RegExp, string][] = [];
  if (name.length >= 1) subs.push([new RegExp(`(^|[^A-Za-z0-9])${escape(name)}(?=[^A-Za-z0-9]|$)`, 'g'), '$1<name>']);
  if (namespace.length >= 1) subs.push([new RegExp(`(^|[^A-Za-z0-9])${escape(namespace)}(?=[^A-Za-z0-9]|$)`, 'g'), '$1<namespace>']);
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return subs.reduce((s, [re, to]) => s.replace(re, to), x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) out[walk(k) as string] = walk(val);
      return out;
    }
    return x;
  };
  return walk(v);
}

/**
 * The keys that say "same role": objects sharing any one of them are rename candidates. Each key is computed on
 * the object as it is and with its own name replaced (labels that follow the name), so either matches; the
 * selector counts only as it is (the same selector selects the same pods).
 */
export function roleKeys(o: Entry['obj']): string[] {
  const bare = { ...o, metadata: { labels: o.metadata.labels ?? {} } };
  return [...new Set([...keysOf(o, bare, true), ...keysOf(o, normalize(bare, o.metadata.name, o.metadata.namespace ?? ''), false)])];
}

function keysOf(o: Entry['obj'], n: any, literal: boolean): string[] {
  const gk = groupKind(o);
  const k = (tag: string, v: unknown) => `${tag}:${canonical(v)}`;
  if (isWorkload(o)) {
    const tpl = podTemplateOf(n);
    const keys = [k('pod', tpl?.spec ?? null)];
    // the same selector (literally: the same pods) and the same claim templates
    if (literal) keys.push(k('selector+claims', [n.spec?.selector ?? tpl?.metadata?.labels ?? null, n.spec?.volumeClaimTemplates ?? []]));
    return keys;
  }
  switch (gk) {
    case 'Service':
      return [k('service', [n.spec?.selector ?? null, n.spec?.ports ?? []])];
    case 'PersistentVolumeClaim':
      return [k('claim', n.spec ?? null)];
    case 'ConfigMap':
      return [k('data', [n.data ?? {}, n.binaryData ?? {}])];
    case 'Secret':
      return [k('data', [n.data ?? {}, n.stringData ?? {}, n.type ?? 'Opaque'])];
    case 'rbac.authorization.k8s.io/Role':
    case 'rbac.authorization.k8s.io/ClusterRole':
      return [k('rules', [n.rules ?? [], n.aggregationRule ?? null])];
    case 'rbac.authorization.k8s.io/RoleBinding':
    case 'rbac.authorization.k8s.io/ClusterRoleBinding':
      return [k('binding', [n.roleRef, n.subjects ?? []])];
    case 'policy/PodDisruptionBudget':
      return [k('budget', n.spec?.selector ?? null)];
    default: {
      const { metadata, ...rest } = n;
      return [k('all', { ...rest, labels: metadata.labels })];
    }
  }
}

function leaves(v: unknown, prefix: string, out: Set<string>): Set<string> {
  if (Array.isArray(v)) v.forEach((x, i) => leaves(x, `${prefix}[${(x as any)?.name ?? i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leaves(x, `${prefix}.${k}`, out);
  else out.add(`${prefix}=${String(v)}`);
  return out;
}

function similarity(a: Entry, b: Entry): number {
  const la = leaves(
    normalize({ ...a.obj, metadata: { labels: a.obj.metadata.labels } }, a.obj.metadata.name, a.obj.metadata.namespace ?? ''),
    '',
    new Set(),
  );
  const lb = leaves(
    normalize({ ...b.obj, metadata: { labels: b.obj.metadata.labels } }, b.obj.metadata.name, b.obj.metadata.namespace ?? ''),
    '',
    new Set(),
  );
  let common = 0;
  for (const x of la) if (lb.has(x)) common++;
  const union = la.size + lb.size - common;
  let score = union === 0 ? 1 : common / union;
  if ((a.obj.metadata.namespace ?? '') === (b.obj.metadata.namespace ?? '')) score += 1;
  if (a.file === b.file) score += 0.5;
  return score;
}

/** Pairs of (removed, added) that are renames; each object is in at most one pair. */
export function detectRenames(removed: Entry[], added: Entry[]): RenamePair[] {
  const buckets = new Map<string, Entry[]>();
  for (const a of added) {
    for (const key of roleKeys(a.obj)) {
      const b = `${groupKind(a.obj)}|${key}`;
      const bucket = buckets.get(b);
      if (bucket) bucket.push(a);
      else buckets.set(b, [a]);
    }
  }
  const candidates: { before: Entry; after: Entry; score: number }[] = [];
  for (const r of removed) {
    const seen = new Set<Entry>();
    for (const key of roleKeys(r.obj)) {
      for (const a of buckets.get(`${groupKind(r.obj)}|${key}`) ?? []) {
        if (seen.has(a)) continue;
        seen.add(a);
        candidates.push({ before: r, after: a, score: similarity(r, a) });
      }
    }
  }
  candidates.sort(
    (x, y) =>
      y.score - x.score || (x.before.key < y.before.key ? -1 : x.before.key > y.before.key ? 1 : 0) || (x.after.key < y.after.key ? -1 : 1),
  );
  const usedBefore = new Set<Entry>();
  const usedAfter = new Set<Entry>();
  const pairs: RenamePair[] = [];
  for (const c of candidates) {
    if (usedBefore.has(c.before) || usedAfter.has(c.after)) continue;
    usedBefore.add(c.before);
    usedAfter.add(c.after);
    pairs.push({ before: c.before, after: c.after });
  }
  return pairs;
}
