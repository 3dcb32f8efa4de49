/**
 * Validation of custom resources against a CRD version's `openAPIV3Schema` (the structural subset the
 * API server enforces). The schema is user JSON, so every keyword is type-checked before it is used.
 */
import { checkObject } from './built-in';
import { didYouMean } from '../did-you-mean';
import { isPlainObject } from '../../core/plain';
import { compiledTable } from './table';
import { SchemaProblem, SchemaWalk } from './walk';

/** A schema node as found in the CRD: any keywords, with values of any type. */
type OpenApiSchema = Record<string, unknown>;

const patternCache = new Map<string, RegExp | null>();
/** Compiles a CRD `pattern` once. Go's RE2 syntax is mostly valid JS; unusable patterns are skipped. */
function compilePattern(p: string): RegExp | null {
  let re = patternCache.get(p);
  if (re === undefined) {
    try {
      re = new RegExp(p, 'u');
    } catch {
      try {
        re = new RegExp(p);
      } catch {
        re = null;
      }
    }
    patternCache.set(p, re);
  }
  return re;
}

/** JSON equality, for `enum`. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function typeName(t: unknown): string {
  return t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : `a ${String(t)}`;
}

/**
 * Checks one value. `strict` is false inside allOf/anyOf/oneOf/not branches: structural schemas
 * declare every field at the top level, so a branch listing a subset of properties must not turn the
 * others into unknown fields. `root` is true for the object itself and embedded resources, where
 * apiVersion, kind and metadata are always allowed.
 */
function checkSchema(w: SchemaWalk, v: unknown, s: unknown, root: boolean, strict: boolean): void {
  if (!isPlainObject(s)) return;
  if (v === null) {
    if (s.nullable !== true && (s.type !== undefined || s['x-kubernetes-int-or-string'] === true)) {
      w.report(s['x-kubernetes-int-or-string'] === true ? 'must be a string or an integer' : `must be ${typeName(s.type)}`);
    }
    return;
  }
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (s['x-kubernetes-int-or-string'] === true) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v))) {
      w.report('must be a string or an integer');
      return;
    }
  } else {
    switch (s.type) {
      case 'object':
        if (!isPlainObject(v)) {
          w.report('must be an object');
          return;
        }
        break;
      case 'array':
        if (!Array.isArray(v)) {
          w.report('must be an array');
          return;
        }
        break;
      case 'string':
        if (typeof v !== 'string') {
          w.report('must be a string');
          return;
        }
        break;
      case 'integer':
        if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
          w.report('must be an integer');
          return;
        }
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          w.report('must be a number');
          return;
        }
        break;
      case 'boolean':
        if (typeof v !== 'boolean') {
          w.report('must be a boolean');
          return;
        }
        break;
      default:
        break; // no type: anything (e.g. preserve-unknown-fields), still check what applies
    }
  }

  if (typeof v === 'string') {
    if (typeof s.minLength === 'number' || typeof s.maxLength === 'number') {
      const len = [...v].length; // characters, not UTF-16 units, as the API server counts them
      if (typeof s.minLength === 'number' && len < s.minLength) w.report(`must be at least ${s.minLength} characters long`);
      if (typeof s.maxLength === 'number' && len > s.maxLength) w.report(`must be at most ${s.maxLength} characters long`);
    }
    if (typeof s.pattern === 'string') {
      const re = compilePattern(s.pattern);
      if (re && !re.test(v)) w.report(`must match pattern ${JSON.stringify(s.pattern)}`);
    }
  } else if (typeof v === 'number') {
    if (typeof s.minimum === 'number') {
      if (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum)
        w.report(`must be ${s.exclusiveMinimum === true ? '>' : '>='} ${s.minimum}`);
    }
    if (typeof s.maximum === 'number') {
      if (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum)
        w.report(`must be ${s.exclusiveMaximum === true ? '<' : '<='} ${s.maximum}`);
    }
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf))
      w.report(`must be a multiple of ${s.multipleOf}`);
  } else if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) w.report(`must have at least ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) w.report(`must have at most ${s.maxItems} items`);
    const items = s.items;
    if (isPlainObject(items)) {
      for (let i = 0; i < v.length; i++) {
        w.stack.push(i);
        checkSchema(w, v[i], items, false, strict);
        w.stack.pop();
      }
    }
  } else if (isPlainObject(v)) {
    checkSchemaObject(w, v, s, root || embedded, strict);
  }

  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => deepEqual(e, v))) {
    w.report(`must be one of ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`);
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) checkSchema(w, v, sub, root, false);
  if (Array.isArray(s.anyOf) && s.anyOf.length && !s.anyOf.some((sub: unknown) => passes(w, v, sub, root)))
    w.report('must match at least one schema in anyOf');
  if (Array.isArray(s.oneOf) && s.oneOf.length && s.oneOf.filter((sub: unknown) => passes(w, v, sub, root)).length !== 1)
    w.report('must match exactly one schema in oneOf');
  if (isPlainObject(s.not) && passes(w, v, s.not, root)) w.report('must not match the schema in not');
}

/** Whether a value passes a (lenient) sub-schema. Its problems are dropped: they are not the value's. */
function passes(w: SchemaWalk, v: unknown, s: unknown, root: boolean): boolean {
  const saved = w.problems;
  const depth = w.stack.length;
  w.problems = null;
  checkSchema(w, v, s, root, false);
  const ok = w.problems === null;
  w.problems = saved;
  w.stack.length = depth;
  return ok;
}

const RESOURCE_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

// Keyed by the schema object: a CRD schema is checked against many objects.
const requiredSets = new WeakMap<object, Set<string>>();
function requiredSet(s: OpenApiSchema): Set<string> {
  let set = requiredSets.get(s);
  if (!set) requiredSets.set(s, (set = new Set(Array.isArray(s.required) ? s.required : [])));
  return set;
}

function checkSchemaObject(w: SchemaWalk, v: Record<string, unknown>, s: OpenApiSchema, resource: boolean, strict: boolean): void {
  const props = isPlainObject(s.properties) ? s.properties : undefined;
  const ap = s.additionalProperties;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const stack = w.stack;
  for (const key in v) {
    const x = v[key];
    if (x === undefined) continue;
    stack.push(key);
    const sub = props && Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
    if (x === null && sub !== undefined && !(isPlainObject(sub) && sub.nullable === true) && !requiredSet(s).has(key)) {
      // The API server prunes a null optional non-nullable property before validation: it is unset.
      stack.pop();
      continue;
    }
    if (resource && RESOURCE_KEYS.has(key)) {
      // A resource's metadata is always an ObjectMeta; the schema may only narrow it (name patterns...).
      if (key === 'metadata') checkObject(w, x, compiledTable().types.get('ObjectMeta')!, false);
      else if (sub === undefined && typeof x !== 'string') w.report('must be a string');
      if (sub !== undefined) checkSchema(w, x, sub, false, key !== 'metadata' && strict);
    } else if (sub !== undefined) {
      checkSchema(w, x, sub, false, strict);
    } else if (isPlainObject(ap)) {
      checkSchema(w, x, ap, false, strict);
    } else if (ap === false || (strict && props !== undefined && !preserve && ap !== true)) {
      const near = props ? didYouMean(key, Object.keys(props)) : undefined;
      w.report(`unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    stack.pop();
  }
  if (Array.isArray(s.required)) {
    for (const r of s.required) if (typeof r === 'string' && v[r] === undefined) w.reportAt(r, 'required field missing');
  }
  if (s['x-kubernetes-embedded-resource'] === true) {
    // The API server requires apiVersion and kind on an embedded resource.
    for (const r of ['apiVersion', 'kind']) if (v[r] === undefined) w.reportAt(r, 'required field missing');
  }
  const count = typeof s.minProperties === 'number' || typeof s.maxProperties === 'number' ? Object.keys(v).length : 0;
  if (typeof s.minProperties === 'number' && count < s.minProperties) w.report(`must have at least ${s.minProperties} properties`);
  if (typeof s.maxProperties === 'number' && count > s.maxProperties) w.report(`must have at most ${s.maxProperties} properties`);
}

/**
 * Validates a custom resource (or any value) against a CRD version's `openAPIV3Schema`. `path` prefixes
 * every reported path. At the root, `apiVersion`, `kind` and `metadata` are always allowed (metadata is
 * checked as an ObjectMeta). Unknown fields are errors where the schema lists `properties` and neither
 * `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` allows more.
 */
export function validateOpenApiV3(value: unknown, schema: unknown, path = ''): SchemaProblem[] {
  const w = new SchemaWalk(path);
  checkSchema(w, value, schema, true, true);
  return w.result();
}
