/**
 * Strict, fast validation of Kubernetes manifests (plain JSON objects) against the Kubernetes 1.27 API,
 * using the type table that `generate.ts` derives from cdk8s-plus-27 (`k8s-1.27.json` beside this file).
 *
 * Speed matters (tens of thousands of objects per synth), so there is no JSON-schema engine: the table
 * is compiled once into linked nodes and each object is checked by one direct recursive walk. The walk
 * keeps the current path as a stack of segments and builds a path string only when it reports a problem.
 */
import * as fs from 'fs';
import * as path from 'path';
import { at } from '../json-path';
import type { K8sTypeDef, K8sTypeTable } from '../../../scripts/generate-schema';

/** One schema violation: `path` is a JSON path in the manifest (`spec.template.spec.containers[0].image`). */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** Kubernetes versions known to the validator. 1.13 is the 1.27 table plus two kinds removed since. */
export type K8sVersion = '1.27' | '1.13';

// ---------------------------------------------------------------------------------------------
// Compiled table
// ---------------------------------------------------------------------------------------------

// Node kinds (plain numbers: `const enum` does not survive transpile-only builds).
const STRING = 0;
const INTEGER = 1;
const NUMBER = 2;
const BOOLEAN = 3;
const ANY = 4;
const DATE = 5;
const INT_OR_STRING = 6;
const QUANTITY = 7;
const BASE64 = 8;
const OBJECT = 9;
const ARRAY = 10;
const MAP = 11;
const CONST = 12;

const PRIMITIVES: Record<string, number> = {
  'string': STRING, 'integer': INTEGER, 'number': NUMBER, 'boolean': BOOLEAN, 'any': ANY, 'date': DATE,
  'int-or-string': INT_OR_STRING, 'quantity': QUANTITY, 'base64': BASE64,
};

/** An object type: `fields` has a null prototype so `constructor`, `__proto__`... are unknown fields. */
interface ObjType {
  name: string;
  fields: Record<string, Node>;
  required: string[];
}

/** A field type. `t` is set for OBJECT, `e` (the element/value node) for ARRAY and MAP, `c` for CONST. */
interface Node {
  k: number;
  t?: ObjType;
  e?: Node;
  c?: string;
}

interface Compiled {
  types: Map<string, ObjType>;
  /** apiVersion -> kind -> body type; nested maps so a lookup allocates no key string. */
  kinds: Map<string, Map<string, ObjType>>;
}

/**
 * Kinds that exist in Kubernetes 1.13 but no longer in 1.27, written by hand (the 1.27 jsii cannot know
 * them). Their nested types are the 1.27 ones, which is close enough for the fields they use.
 */
const LEGACY_1_13_TYPES: Record<string, K8sTypeDef> = {
  'v1.13/InitializerConfiguration': { f: { metadata: 'ObjectMeta', initializers: '[]v1.13/Initializer', apiVersion: 'string', kind: 'string' } },
  'v1.13/Initializer': { f: { name: 'string', rules: '[]v1.13/Rule' }, r: ['name'] },
  'v1.13/Rule': { f: { apiGroups: '[]string', apiVersions: '[]string', resources: '[]string' } },
  'v1.13/PodPreset': { f: { metadata: 'ObjectMeta', spec: 'v1.13/PodPresetSpec', apiVersion: 'string', kind: 'string' } },
  'v1.13/PodPresetSpec': {
    f: { selector: 'LabelSelector', env: '[]EnvVar', envFrom: '[]EnvFromSource', volumes: '[]Volume', volumeMounts: '[]VolumeMount' },
  },
};
const LEGACY_1_13_KINDS: { [key: string]: string } = {
  'admissionregistration.k8s.io/v1alpha1/InitializerConfiguration': 'v1.13/InitializerConfiguration',
  'settings.k8s.io/v1alpha1/PodPreset': 'v1.13/PodPreset',
};

let compiled127: Compiled | undefined;
let compiled113: Compiled | undefined;

/** Path of the table; it sits beside the module (copy it next to the compiled .js when building). */
const TABLE_PATH = path.join(__dirname, 'k8s-1.27.json');

function compileTypes(defs: Record<string, K8sTypeDef>, types: Map<string, ObjType>): void {
  // Two passes: create every type first so references (including cycles: JsonSchemaProps) resolve.
  for (const name of Object.keys(defs)) types.set(name, { name, fields: Object.create(null), required: defs[name].r ?? [] });
  const parse = (enc: string): Node => {
    if (enc.startsWith('[]')) return { k: ARRAY, e: parse(enc.slice(2)) };
    if (enc.startsWith('{}')) return { k: MAP, e: parse(enc.slice(2)) };
    if (enc.startsWith('=')) return { k: CONST, c: enc.slice(1) };
    const prim = PRIMITIVES[enc];
    if (prim !== undefined) return { k: prim };
    const t = types.get(enc);
    if (!t) throw new Error(`k8s schema table: unknown type ${enc}`);
    return { k: OBJECT, t };
  };
  for (const name of Object.keys(defs)) {
    const t = types.get(name)!;
    for (const [field, enc] of Object.entries(defs[name].f)) t.fields[field] = parse(enc);
  }
}

function addKinds(kinds: Map<string, Map<string, ObjType>>, table: { [key: string]: string }, types: Map<string, ObjType>): void {
  for (const [key, typeName] of Object.entries(table)) {
    const cut = key.lastIndexOf('/');
    const apiVersion = key.slice(0, cut);
    let byKind = kinds.get(apiVersion);
    if (!byKind) kinds.set(apiVersion, (byKind = new Map()));
    byKind.set(key.slice(cut + 1), types.get(typeName)!);
  }
}

function load(version: K8sVersion = '1.27'): Compiled {
  if (!compiled127) {
    const table: K8sTypeTable = JSON.parse(fs.readFileSync(TABLE_PATH, 'utf8'));
    const types = new Map<string, ObjType>();
    compileTypes(table.types, types);
    const kinds = new Map<string, Map<string, ObjType>>();
    addKinds(kinds, table.kinds, types);
    compiled127 = { types, kinds };
  }
  if (version === '1.27') return compiled127;
  if (version !== '1.13') throw new Error(`unsupported Kubernetes version ${version}`);
  if (!compiled113) {
    // Share the 1.27 type objects; only the kind index and the legacy types are new.
    const types = new Map(compiled127.types);
    compileTypes(LEGACY_1_13_TYPES, types);
    const kinds = new Map<string, Map<string, ObjType>>();
    for (const [v, byKind] of compiled127.kinds) kinds.set(v, new Map(byKind));
    addKinds(kinds, LEGACY_1_13_KINDS, types);
    compiled113 = { types, kinds };
  }
  return compiled113;
}

function lookupKind(apiVersion: unknown, kind: unknown, version: K8sVersion): ObjType | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return load(version).kinds.get(apiVersion)?.get(kind);
}

/** Whether the table has a schema for this apiVersion/kind (e.g. `apps/v1`, `StatefulSet`). */
export function isKnownKind(apiVersion: string, kind: string, version: K8sVersion = '1.27'): boolean {
  return lookupKind(apiVersion, kind, version) !== undefined;
}

/** Every known `apiVersion/kind`, sorted (for messages such as "did you mean"). */
export function knownKinds(version: K8sVersion = '1.27'): string[] {
  const out: string[] = [];
  for (const [v, byKind] of load(version).kinds) for (const k of byKind.keys()) out.push(`${v}/${k}`);
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// Walk state: one module-level stack and problem list (validation is synchronous and not re-entered
// from outside), so a valid object allocates nothing but the stack pushes.
// ---------------------------------------------------------------------------------------------

const stack: Array<string | number> = [];
let problems: SchemaProblem[] | null = null;
let prefix = '';

/** Renders the current stack: `a.b[0].c`; keys that are not identifiers use `["app.kubernetes.io/name"]`. */
function currentPath(): string {
  return stack.reduce<string>(at, prefix);
}

function report(message: string): void {
  (problems ??= []).push({ path: currentPath(), message });
}

function reportAt(key: string, message: string): void {
  stack.push(key);
  report(message);
  stack.pop();
}

function begin(pathPrefix: string): void {
  stack.length = 0;
  problems = null;
  prefix = pathPrefix;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Go's encoding/json decodes []byte with base64.StdEncoding: padded, '\r' and '\n' ignored.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NEWLINES_RE = /[\r\n]/g;
function isBase64(s: string): boolean {
  return BASE64_RE.test(s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 ? s.replace(NEWLINES_RE, '') : s);
}

// metav1.Time / MicroTime: RFC 3339 with an optional fraction, as Go's time.Parse(RFC3339) accepts it.
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
function isRfc3339(s: string): boolean {
  const m = RFC3339_RE.exec(s);
  if (!m) return false;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}

// ---------------------------------------------------------------------------------------------
// Kubernetes table walk
// ---------------------------------------------------------------------------------------------

function checkNode(v: unknown, n: Node): void {
  switch (n.k) {
    case OBJECT: checkObject(v, n.t!, false); return;
    case STRING: if (typeof v !== 'string') report('must be a string'); return;
    case INTEGER: if (typeof v !== 'number' || !Number.isSafeInteger(v)) report('must be an integer'); return;
    case BOOLEAN: if (typeof v !== 'boolean') report('must be a boolean'); return;
    case ARRAY: {
      if (!Array.isArray(v)) { report('must be an array'); return; }
      const e = n.e!;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || x === undefined) continue; // decoded as a zero value by the API server
        stack.push(i);
        checkNode(x, e);
        stack.pop();
      }
      return;
    }
    case MAP: {
      if (!isPlainObject(v)) { report('must be an object'); return; }
      const e = n.e!;
      for (const key in v) {
        const x = v[key];
        if (x === undefined || x === null) continue; // null: a zero value, as the API server decodes it
        // Fast path for the common map of strings (labels, annotations, data).
        if (e.k === STRING && typeof x === 'string') continue;
        stack.push(key);
        checkNode(x, e);
        stack.pop();
      }
      return;
    }
    case NUMBER: if (typeof v !== 'number' || !Number.isFinite(v)) report('must be a number'); return;
    case ANY: return;
    case INT_OR_STRING:
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v))) report('must be a string or an integer');
      return;
    case QUANTITY:
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) report('must be a string or a number');
      return;
    case DATE: if (typeof v !== 'string' || !isRfc3339(v)) report('must be an RFC 3339 date-time string'); return;
    case BASE64:
      if (typeof v !== 'string') report('must be a string');
      else if (!isBase64(v)) report('must be base64');
      return;
    case CONST: if (v !== n.c) report(`must be ${JSON.stringify(n.c)}`); return;
    default: throw new Error(`k8s schema: bad node kind ${n.k}`);
  }
}

/** Checks an object against a type: unknown fields, each field's type, then required fields. */
function checkObject(v: unknown, t: ObjType, topLevel: boolean): void {
  if (!isPlainObject(v)) { report('must be an object'); return; }
  const fields = t.fields;
  for (const key in v) {
    const x = v[key];
    if (x === undefined) continue; // absent in JSON
    const f = fields[key];
    if (f === undefined) {
      // apiVersion/kind of a top-level object were checked by the caller.
      if (topLevel && (key === 'apiVersion' || key === 'kind')) continue;
      reportAt(key, `unknown field "${key}"`);
      continue;
    }
    // Inline the commonest leaf check; everything else goes through checkNode.
    if (f.k === STRING && typeof x === 'string') continue;
    // null means "unset" to the API server (kubectl output has `creationTimestamp: null`); a null
    // required field is reported below.
    if (x === null) continue;
    stack.push(key);
    checkNode(x, f);
    stack.pop();
  }
  const req = t.required;
  for (let i = 0; i < req.length; i++) {
    const x = v[req[i]];
    if (x === undefined) reportAt(req[i], 'required field missing');
    else if (x === null) reportAt(req[i], expected(fields[req[i]]));
  }
}

/** The type message of a node, for a null where a value is required. */
function expected(n: Node): string {
  switch (n.k) {
    case STRING: case BASE64: return 'must be a string';
    case CONST: return `must be ${JSON.stringify(n.c)}`;
    case INTEGER: return 'must be an integer';
    case NUMBER: return 'must be a number';
    case BOOLEAN: return 'must be a boolean';
    case DATE: return 'must be an RFC 3339 date-time string';
    case INT_OR_STRING: return 'must be a string or an integer';
    case QUANTITY: return 'must be a string or a number';
    case ARRAY: return 'must be an array';
    default: return 'must be an object';
  }
}

/**
 * Validates one manifest object. Returns the problems found (empty when valid), or `undefined` when
 * its apiVersion/kind is not in the table for this version (the caller decides what that means).
 * A missing or non-string apiVersion/kind is a problem, not `undefined`.
 */
export function validateObject(obj: any, version: K8sVersion = '1.27'): SchemaProblem[] | undefined {
  begin('');
  if (!isPlainObject(obj)) return [{ path: '', message: 'must be an object' }];
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    for (const [key, value] of [['apiVersion', apiVersion], ['kind', kind]] as const) {
      if (value === undefined) reportAt(key, 'required field missing');
      else if (typeof value !== 'string') reportAt(key, 'must be a string');
    }
    return takeProblems();
  }
  const t = lookupKind(apiVersion, kind, version);
  if (!t) return undefined;
  checkObject(obj, t, true);
  return takeProblems();
}

function takeProblems(): SchemaProblem[] {
  const out = problems ?? [];
  problems = null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// CRD openAPIV3Schema walk (structural subset)
// ---------------------------------------------------------------------------------------------

const patternCache = new Map<string, RegExp | null>();
/** Compiles a CRD `pattern` once. Go's RE2 syntax is mostly valid JS; unusable patterns are skipped. */
function compilePattern(p: string): RegExp | null {
  let re = patternCache.get(p);
  if (re === undefined) {
    try {
      re = new RegExp(p, 'u');
    } catch {
      try { re = new RegExp(p); } catch { re = null; }
    }
    patternCache.set(p, re);
  }
  return re;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as any)[k], (b as any)[k]));
}

function typeName(t: string): string {
  return t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`;
}

/**
 * Checks one value. `strict` is false inside allOf/anyOf/oneOf/not branches: structural schemas
 * declare every field at the top level, so a branch listing a subset of properties must not turn the
 * others into unknown fields. `root` is true for the object itself and embedded resources, where
 * apiVersion, kind and metadata are always allowed.
 */
function checkSchema(v: unknown, s: any, root: boolean, strict: boolean): void {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return; // (not isPlainObject: keep `s: any`)
  if (v === null) {
    if (s.nullable !== true && (s.type !== undefined || s['x-kubernetes-int-or-string'] === true)) {
      report(s['x-kubernetes-int-or-string'] === true ? 'must be a string or an integer' : `must be ${typeName(s.type)}`);
    }
    return;
  }
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (s['x-kubernetes-int-or-string'] === true) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v))) { report('must be a string or an integer'); return; }
  } else {
    switch (s.type) {
      case 'object': if (!isPlainObject(v)) { report('must be an object'); return; } break;
      case 'array': if (!Array.isArray(v)) { report('must be an array'); return; } break;
      case 'string': if (typeof v !== 'string') { report('must be a string'); return; } break;
      case 'integer': if (typeof v !== 'number' || !Number.isSafeInteger(v)) { report('must be an integer'); return; } break;
      case 'number': if (typeof v !== 'number' || !Number.isFinite(v)) { report('must be a number'); return; } break;
      case 'boolean': if (typeof v !== 'boolean') { report('must be a boolean'); return; } break;
      default: break; // no type: anything (e.g. preserve-unknown-fields), still check what applies
    }
  }

  if (typeof v === 'string') {
    if (typeof s.minLength === 'number' || typeof s.maxLength === 'number') {
      const len = [...v].length; // characters, not UTF-16 units, as the API server counts them
      if (typeof s.minLength === 'number' && len < s.minLength) report(`must be at least ${s.minLength} characters long`);
      if (typeof s.maxLength === 'number' && len > s.maxLength) report(`must be at most ${s.maxLength} characters long`);
    }
    if (typeof s.pattern === 'string') {
      const re = compilePattern(s.pattern);
      if (re && !re.test(v)) report(`must match pattern ${JSON.stringify(s.pattern)}`);
    }
  } else if (typeof v === 'number') {
    if (typeof s.minimum === 'number') {
      if (s.exclusiveMinimum === true ? v <= s.minimum : v < s.minimum) report(`must be ${s.exclusiveMinimum === true ? '>' : '>='} ${s.minimum}`);
    }
    if (typeof s.maximum === 'number') {
      if (s.exclusiveMaximum === true ? v >= s.maximum : v > s.maximum) report(`must be ${s.exclusiveMaximum === true ? '<' : '<='} ${s.maximum}`);
    }
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) report(`must be a multiple of ${s.multipleOf}`);
  } else if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) report(`must have at least ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) report(`must have at most ${s.maxItems} items`);
    if (isPlainObject(s.items)) {
      for (let i = 0; i < v.length; i++) {
        stack.push(i);
        checkSchema(v[i], s.items, false, strict);
        stack.pop();
      }
    }
  } else if (isPlainObject(v)) {
    checkSchemaObject(v, s, root || embedded, strict);
  }

  if (Array.isArray(s.enum) && !s.enum.some((e: unknown) => deepEqual(e, v))) {
    report(`must be one of ${s.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`);
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) checkSchema(v, sub, root, false);
  if (Array.isArray(s.anyOf) && s.anyOf.length && !s.anyOf.some((sub: unknown) => passes(v, sub, root))) report('must match at least one schema in anyOf');
  if (Array.isArray(s.oneOf) && s.oneOf.length && s.oneOf.filter((sub: unknown) => passes(v, sub, root)).length !== 1) report('must match exactly one schema in oneOf');
  if (isPlainObject(s.not) && passes(v, s.not, root)) report('must not match the schema in not');
}

/** Whether a value passes a (lenient) sub-schema, without recording its problems. */
function passes(v: unknown, s: unknown, root: boolean): boolean {
  const saved = problems;
  const depth = stack.length;
  problems = null;
  checkSchema(v, s, root, false);
  const ok = problems === null;
  problems = saved;
  stack.length = depth;
  return ok;
}

const RESOURCE_KEYS = new Set(['apiVersion', 'kind', 'metadata']);

const requiredSets = new WeakMap<object, Set<string>>();
function requiredSet(s: any): Set<string> {
  let set = requiredSets.get(s);
  if (!set) requiredSets.set(s, (set = new Set(Array.isArray(s.required) ? s.required : [])));
  return set;
}

function checkSchemaObject(v: Record<string, unknown>, s: any, resource: boolean, strict: boolean): void {
  const props = isPlainObject(s.properties) ? s.properties : undefined;
  const ap = s.additionalProperties;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
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
      if (key === 'metadata') checkObject(x, load().types.get('ObjectMeta')!, false);
      else if (sub === undefined && typeof x !== 'string') report('must be a string');
      if (sub !== undefined) checkSchema(x, sub, false, key !== 'metadata' && strict);
    } else if (sub !== undefined) {
      checkSchema(x, sub, false, strict);
    } else if (isPlainObject(ap)) {
      checkSchema(x, ap, false, strict);
    } else if (ap === false || (strict && props !== undefined && !preserve && ap !== true)) {
      report(`unknown field "${key}"`);
    }
    stack.pop();
  }
  if (Array.isArray(s.required)) {
    for (const r of s.required) if (typeof r === 'string' && v[r] === undefined) reportAt(r, 'required field missing');
  }
  if (s['x-kubernetes-embedded-resource'] === true) {
    // The API server requires apiVersion and kind on an embedded resource.
    for (const r of ['apiVersion', 'kind']) if (v[r] === undefined) reportAt(r, 'required field missing');
  }
  const count = typeof s.minProperties === 'number' || typeof s.maxProperties === 'number' ? Object.keys(v).length : 0;
  if (typeof s.minProperties === 'number' && count < s.minProperties) report(`must have at least ${s.minProperties} properties`);
  if (typeof s.maxProperties === 'number' && count > s.maxProperties) report(`must have at most ${s.maxProperties} properties`);
}

/**
 * Validates a custom resource (or any value) against a CRD version's `openAPIV3Schema`. `path` prefixes
 * every reported path. At the root, `apiVersion`, `kind` and `metadata` are always allowed (metadata is
 * checked as an ObjectMeta). Unknown fields are errors where the schema lists `properties` and neither
 * `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` allows more.
 */
export function validateOpenApiV3(value: any, schema: any, path = ''): SchemaProblem[] {
  begin(path);
  checkSchema(value, schema, true, true);
  return takeProblems();
}
