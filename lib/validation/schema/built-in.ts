/**
 * Strict, fast validation of Kubernetes manifests (plain JSON objects) against the built-in types of
 * the type table. Speed matters (tens of thousands of objects per synth), so there is no JSON-schema
 * engine: one direct recursive walk over the compiled table.
 */
import { parseQuantity } from '../../core/quantity';
import { didYouMean } from '../did-you-mean';
import { isPlainObject } from '../../core/plain';
import { isBase64, isRfc3339 } from './formats';
import {
  ANY,
  ARRAY,
  BASE64,
  BOOLEAN,
  CONST,
  DATE,
  ENUM,
  INT32,
  INT64,
  INT_OR_STRING,
  INTEGER,
  K8sVersion,
  lookupKind,
  MAP,
  NUMBER,
  OBJECT,
  ObjType,
  QUANTITY,
  STRING,
  TypeNode,
} from './table';
import { SchemaProblem, SchemaWalk } from './walk';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** `must be one of ...`, with the closest value when the given one looks like a misspelling of it. */
function enumMessage(v: string, values: ReadonlySet<string>): string {
  const near = didYouMean(v, values);
  return `${JSON.stringify(v)} is not one of ${[...values].map((x) => JSON.stringify(x)).join(', ')}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}`;
}

function checkNode(w: SchemaWalk, v: unknown, n: TypeNode): void {
  switch (n.k) {
    case OBJECT:
      checkObject(w, v, n.t!, false);
      return;
    case STRING:
      if (typeof v !== 'string') w.report('must be a string');
      return;
    case INTEGER:
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) w.report('must be an integer');
      return;
    case INT32:
      if (typeof v !== 'number' || !Number.isInteger(v)) w.report('must be an integer');
      else if (v < INT32_MIN || v > INT32_MAX) w.report(`must be a 32-bit integer (${INT32_MIN} to ${INT32_MAX}), not ${v}`);
      return;
    case INT64:
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) w.report('must be an integer');
      return;
    case ENUM:
      if (typeof v !== 'string') w.report('must be a string');
      else if (v !== '' && !n.v!.has(v)) w.report(enumMessage(v, n.v!));
      return;
    case BOOLEAN:
      if (typeof v !== 'boolean') w.report('must be a boolean');
      return;
    case ARRAY: {
      if (!Array.isArray(v)) {
        w.report('must be an array');
        return;
      }
      const e = n.e!;
      const stack = w.stack;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || x === undefined) continue; // decoded as a zero value by the API server
        stack.push(i);
        checkNode(w, x, e);
        stack.pop();
      }
      return;
    }
    case MAP: {
      if (!isPlainObject(v)) {
        w.report('must be an object');
        return;
      }
      const e = n.e!;
      const stack = w.stack;
      for (const key in v) {
        const x = v[key];
        if (x === undefined || x === null) continue; // null: a zero value, as the API server decodes it
        // Fast path for the common map of strings (labels, annotations, data).
        if (e.k === STRING && typeof x === 'string') continue;
        stack.push(key);
        checkNode(w, x, e);
        stack.pop();
      }
      return;
    }
    case NUMBER:
      if (typeof v !== 'number' || !Number.isFinite(v)) w.report('must be a number');
      return;
    case ANY:
      return;
    case INT_OR_STRING:
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v))) w.report('must be a string or an integer');
      return;
    case QUANTITY:
      if (typeof v === 'string') {
        if (!parseQuantity(v)) w.report(`"${v}" is not a Kubernetes quantity (e.g. 250m, 1.5, 128Mi, 10Gi, 1e3)`);
      } else if (!(typeof v === 'number' && Number.isFinite(v))) w.report('must be a string or a number');
      return;
    case DATE:
      if (typeof v !== 'string' || !isRfc3339(v)) w.report('must be an RFC 3339 date-time string');
      return;
    case BASE64:
      if (typeof v !== 'string') w.report('must be a string');
      else if (!isBase64(v)) w.report('must be base64');
      return;
    case CONST:
      if (v !== n.c) w.report(`must be ${JSON.stringify(n.c)}`);
      return;
    default:
      throw new Error(`k8s schema: bad node kind ${n.k}`);
  }
}

/**
 * Checks an object against a type: unknown fields, each field's type, then required fields. `topLevel`
 * skips apiVersion/kind, which the caller of a top-level object has checked.
 */
export function checkObject(w: SchemaWalk, v: unknown, t: ObjType, topLevel: boolean): void {
  if (!isPlainObject(v)) {
    w.report('must be an object');
    return;
  }
  const fields = t.fields;
  const stack = w.stack;
  for (const key in v) {
    const x = v[key];
    if (x === undefined) continue; // absent in JSON
    const f = fields[key];
    if (f === undefined) {
      // `status` is written by the cluster; the API server ignores it on create (PrepareForCreate resets
      // it), so kubectl dry-run output and exported objects carry it. Accepted unchecked, kept as written.
      if (topLevel && (key === 'apiVersion' || key === 'kind' || key === 'status')) continue;
      // a whole object nested in another (a StatefulSet's claim templates, `kubectl get -o yaml` output)
      if (key === 'status' && t.name.startsWith('Kube') && t.name.endsWith('Props')) continue;
      const whole = topLevel || (t.name.startsWith('Kube') && t.name.endsWith('Props'));
      const near = didYouMean(key, whole ? [...Object.keys(fields), 'status'] : Object.keys(fields));
      w.reportAt(key, `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}`);
      continue;
    }
    // Inline the commonest leaf check; everything else goes through checkNode.
    if (f.k === STRING && typeof x === 'string') continue;
    // null means "unset" to the API server (kubectl output has `creationTimestamp: null`); a null
    // required field is reported below.
    if (x === null) continue;
    stack.push(key);
    checkNode(w, x, f);
    stack.pop();
  }
  const req = t.required;
  for (let i = 0; i < req.length; i++) {
    const x = v[req[i]];
    if (x === undefined) w.reportAt(req[i], 'required field missing');
    else if (x === null) w.reportAt(req[i], expected(fields[req[i]]));
  }
}

/** The type message of a node, for a null where a value is required. */
function expected(n: TypeNode): string {
  switch (n.k) {
    case STRING:
    case BASE64:
    case ENUM:
      return 'must be a string';
    case CONST:
      return `must be ${JSON.stringify(n.c)}`;
    case INTEGER:
    case INT32:
    case INT64:
      return 'must be an integer';
    case NUMBER:
      return 'must be a number';
    case BOOLEAN:
      return 'must be a boolean';
    case DATE:
      return 'must be an RFC 3339 date-time string';
    case INT_OR_STRING:
      return 'must be a string or an integer';
    case QUANTITY:
      return 'must be a string or a number';
    case ARRAY:
      return 'must be an array';
    default:
      return 'must be an object';
  }
}

/**
 * Validates one manifest object. Returns the problems found (empty when valid), or `undefined` when
 * its apiVersion/kind is not in the table for this version (the caller decides what that means).
 * A missing or non-string apiVersion/kind is a problem, not `undefined`.
 */
export function validateObject(obj: unknown, version: K8sVersion = '1.27'): SchemaProblem[] | undefined {
  if (!isPlainObject(obj)) return [{ path: '', message: 'must be an object' }];
  const w = new SchemaWalk();
  const apiVersion = obj.apiVersion;
  const kind = obj.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    for (const [key, value] of [
      ['apiVersion', apiVersion],
      ['kind', kind],
    ] as const) {
      if (value === undefined) w.reportAt(key, 'required field missing');
      else if (typeof value !== 'string') w.reportAt(key, 'must be a string');
    }
    return w.result();
  }
  const t = lookupKind(apiVersion, kind, version);
  if (!t) return undefined;
  checkObject(w, obj, t, true);
  return w.result();
}
