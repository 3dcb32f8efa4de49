import { ApiObject } from 'cdk8s';
import { PatternError, Problem } from '../core/errors';
import { isPlainRendered } from '../core/manifest';
import { toYaml } from '../core/yaml';

/** A lone UTF-16 surrogate: not a Unicode character, so it has no UTF-8 encoding and YAML cannot carry it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

/** `a.b[0]["odd key"]`: a JSON path as the problems of this library write them. */
function at(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key) && !/[\ud800-\udfff]/.test(key);
  return plain ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;
}

/**
 * The first value of `json` that cannot be written as a YAML manifest, with its JSON path: a number
 * that is not finite (NaN, ±Infinity: JSON has none, and `JSON.stringify` would silently write null),
 * a string or key with a lone surrogate, or something that is not JSON data (function, symbol, bigint).
 */
export function findUnwritable(json: unknown, base = ''): { field: string; rule: string } | undefined {
  switch (typeof json) {
    case 'number':
      return Number.isFinite(json)
        ? undefined
        : { field: base || '<value>', rule: `${json} is not a number a manifest can hold (JSON has no NaN or Infinity)` };
    case 'string':
      return LONE_SURROGATE.test(json)
        ? {
            field: base || '<value>',
            rule: `the string ${JSON.stringify(json)} holds a lone UTF-16 surrogate, which has no UTF-8 encoding (kubectl cannot read it)`,
          }
        : undefined;
    case 'boolean':
    case 'undefined':
      return undefined;
    case 'object':
      break;
    default:
      return { field: base || '<value>', rule: `a ${typeof json} is not JSON data` };
  }
  if (json === null) return undefined;
  if (Array.isArray(json)) {
    for (let i = 0; i < json.length; i++) {
      const found = findUnwritable(json[i], at(base, i));
      if (found) return found;
    }
    return undefined;
  }
  const value = typeof (json as { toJSON?: unknown }).toJSON === 'function' ? (json as { toJSON(): unknown }).toJSON() : json;
  if (value !== json) return findUnwritable(value, base);
  for (const key of Object.keys(json)) {
    if (LONE_SURROGATE.test(key)) {
      return {
        field: at(base, key),
        rule: `the key ${JSON.stringify(key)} holds a lone UTF-16 surrogate, which has no UTF-8 encoding (kubectl cannot read it)`,
      };
    }
    const found = findUnwritable((json as Record<string, unknown>)[key], at(base, key));
    if (found) return found;
  }
  return undefined;
}

function objectName(obj: ApiObject): string {
  return `${obj.kind}/${obj.name}`;
}

function problem(obj: ApiObject, field: string, rule: string, hint: string): Problem {
  return { path: obj.node.path, object: objectName(obj), field, rule, ruleId: 'writable', hint };
}

/**
 * `obj.toJson()`, with every failure reported as a `PatternError` at the object's construct: a value
 * set through `addJsonPatch` that is not JSON (cdk8s clones patches through JSON, which turns NaN into
 * null), a patch to a path that does not exist, or any other exception while rendering (`transform`,
 * the app's transforms, included).
 */
export function renderObject(obj: ApiObject, transform?: (json: any) => any): any {
  const patches: any[] = (obj as any).patches ?? [];
  patches.forEach((p, i) => {
    const op = typeof p?._toJson === 'function' ? p._toJson() : undefined;
    const found = op && 'value' in op ? findUnwritable(op.value, 'value') : undefined;
    if (found) {
      throw new PatternError([
        problem(
          obj,
          `addJsonPatch #${i + 1} (${op.op} ${op.path}) ${found.field}`,
          found.rule,
          'patch with finite numbers and well-formed strings',
        ),
      ]);
    }
  });
  const props = (obj as any).props;
  // our Manifest keeps every key itself; cdk8s's resolver (raw ApiObject, cdk8s-plus) drops `__proto__`
  const proto = !isPlainRendered(obj) && props !== null && typeof props === 'object' ? protoKeyPath(props, '') : undefined;
  if (proto !== undefined) {
    throw new PatternError([
      problem(
        obj,
        proto,
        'cdk8s drops a key named "__proto__" when it renders a raw object (its resolver assigns keys)',
        'give the value through a construct of this library, whose objects keep every key',
      ),
    ]);
  }
  try {
    const json = obj.toJson();
    return transform ? transform(json) : json;
  } catch (e) {
    if (e instanceof PatternError) throw e;
    const message = (e as Error)?.message ?? String(e);
    const patch = patches.length > 0 && rendersWithoutPatches(obj);
    if (!patch && /non-simple object of type/.test(message)) {
      // cdk8s's own resolver (raw ApiObject, Include, cdk8s-plus objects) tells plain objects by their `constructor`
      throw new PatternError([
        problem(
          obj,
          '<render>',
          `cdk8s cannot render this object: it holds a key named "constructor" or a value that is not plain data (${message})`,
          'a key named "constructor" can be written through this library\'s constructs, not through a raw cdk8s ApiObject',
        ),
      ]);
    }
    throw new PatternError([
      problem(
        obj,
        patch ? 'addJsonPatch' : '<render>',
        `rendering the object failed: ${message}`,
        patch
          ? 'a JSON patch must name a path that exists in the rendered object (use `add` on the parent to create it)'
          : 'check the values given to this construct and the initializers that apply to it',
      ),
    ]);
  }
}

/** The JSON path of the first own `__proto__` key in `v`, if any. */
function protoKeyPath(v: unknown, base: string): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = protoKeyPath(v[i], at(base, i));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return undefined;
  for (const k of Object.keys(v)) {
    if (k === '__proto__') return at(base, k);
    const found = protoKeyPath((v as Record<string, unknown>)[k], at(base, k));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True when `obj` renders once its JSON patches are left out: then a patch is what failed. */
function rendersWithoutPatches(obj: ApiObject): boolean {
  const o = obj as any;
  const saved = o.patches;
  o.patches = [];
  try {
    obj.toJson();
    return true;
  } catch {
    return false;
  } finally {
    o.patches = saved;
  }
}

/** One YAML document per object, joined as cdk8s does; a value YAML cannot carry is reported at its field. */
export function toYamlChecked(objects: Array<{ obj: ApiObject; json: any }>): string {
  const docs = new Array<string>(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const { obj, json } = objects[i];
    try {
      docs[i] = toYaml(json);
    } catch (e) {
      const found = findUnwritable(json);
      if (!found) throw e;
      throw new PatternError([problem(obj, found.field, found.rule, 'give a finite number or a well-formed string')]);
    }
  }
  return docs.join('---\n');
}
