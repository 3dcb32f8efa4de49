import { ApiObject, App, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { setKey, sortedKeys } from './plain';

/** Returned by `sanitize` when a value is not plain data, so cdk8s must resolve it. */
const NOT_PLAIN = Symbol('not plain');

/**
 * The metadata JSON of `obj`, the same as `obj.metadata.toJson()`. cdk8s resolves every metadata value
 * through the App's resolvers (a context object and a walk to the App per value) and then sanitizes
 * it; at thousands of objects that was half of our render time. When the App has only cdk8s's built-in
 * resolvers and every value is plain data, resolving changes nothing, so the result is the sanitized
 * copy made here in one pass. Anything else (a `Lazy`, a token, an L1 union value, a user resolver,
 * or a cdk8s that keeps metadata differently) goes through cdk8s.
 */
export function metadataJson(obj: ApiObject): any {
  const m = obj.metadata as any;
  const extra = m._additionalAttributes;
  if (
    extra !== null &&
    typeof extra === 'object' &&
    m.labels &&
    m.annotations &&
    m.finalizers &&
    m.ownerReferences &&
    onlyBuiltInResolvers(obj)
  ) {
    // the object cdk8s's toJson resolves, built the same way
    const fields: Record<string, unknown> = {};
    for (const k of Object.keys(extra)) fields[k] = extra[k];
    fields.name = m.name;
    fields.namespace = m.namespace;
    fields.annotations = m.annotations;
    fields.finalizers = m.finalizers;
    fields.ownerReferences = m.ownerReferences;
    fields.labels = m.labels;
    const json = sanitize(fields);
    if (json !== NOT_PLAIN) return json;
  }
  return obj.metadata.toJson();
}

const BUILT_IN = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];

function onlyBuiltInResolvers(obj: ApiObject): boolean {
  return App.of(obj).resolvers.every((r) => BUILT_IN.some((c) => r.constructor === c));
}

/**
 * cdk8s's `sanitizeValue(v, { filterEmptyArrays, filterEmptyObjects })` for plain data: null and
 * undefined fields dropped, empty arrays and objects dropped (array items kept in place), keys sorted.
 * Returns NOT_PLAIN for anything a resolver could change or sanitizing would reject.
 */
function sanitize(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
      return v;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = sanitize(v[i]);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      out[i] = item;
    }
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return NOT_PLAIN;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const k of sortedKeys(o)) {
    const item = sanitize(o[k]);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    if (item !== undefined) {
      setKey(out, k, item);
      empty = false;
    }
  }
  return empty ? undefined : out;
}
