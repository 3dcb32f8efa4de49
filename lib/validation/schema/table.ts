/**
 * The Kubernetes type table: the JSON form that `scripts/generate-schema.ts` derives from cdk8s-plus-27
 * (`k8s-1.27.json` beside this file), and the linked form the validators walk, compiled once per version.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * One object type: field JSON name -> encoded field type, plus the required JSON names (sorted).
 * Encoding: `string` `integer` `number` `boolean` `any` `date` (RFC 3339) `int-or-string` `quantity`
 * (string|number) `base64` (a []byte field), a type name (`ObjectMeta`), `[]X` an array of X, `{}X` a map
 * from string keys to X, `=text` the string constant `text`, `int32` / `int64` an integer of that OpenAPI
 * format, `~A|B|C` a string that is one of A, B, C (an OpenAPI enum; "" is accepted as unset, which the
 * API server defaults).
 */
export interface K8sTypeDef {
  f: Record<string, string>;
  r?: string[];
}

/** The whole table: `kinds` maps `apiVersion/kind` (e.g. `apps/v1/StatefulSet`) to its body type. */
export interface K8sTypeTable {
  version: string;
  source: string;
  kinds: Record<string, string>;
  types: Record<string, K8sTypeDef>;
}

/** Kubernetes versions known to the validator. 1.13 is the 1.27 table plus two kinds removed since. */
export type K8sVersion = '1.27' | '1.13';

/** The table file. It sits beside the module at runtime too: the build copies it next to the .js. */
export const TABLE_FILE = path.join(__dirname, 'k8s-1.27.json');

// Node kinds (plain numbers: `const enum` does not survive transpile-only builds).
export const STRING = 0;
export const INTEGER = 1;
export const NUMBER = 2;
export const BOOLEAN = 3;
export const ANY = 4;
export const DATE = 5;
export const INT_OR_STRING = 6;
export const QUANTITY = 7;
export const BASE64 = 8;
export const OBJECT = 9;
export const ARRAY = 10;
export const MAP = 11;
export const CONST = 12;
export const INT32 = 13;
export const INT64 = 14;
export const ENUM = 15;

const PRIMITIVES: Record<string, number> = {
  string: STRING,
  integer: INTEGER,
  number: NUMBER,
  boolean: BOOLEAN,
  any: ANY,
  date: DATE,
  'int-or-string': INT_OR_STRING,
  quantity: QUANTITY,
  base64: BASE64,
  int32: INT32,
  int64: INT64,
};

/** An object type: `fields` has a null prototype so `constructor`, `__proto__`... are unknown fields. */
export interface ObjType {
  name: string;
  fields: Record<string, TypeNode>;
  required: string[];
}

/** A field type. `t` is set for OBJECT, `e` (the element/value node) for ARRAY and MAP, `c` for CONST, `v` for ENUM. */
export interface TypeNode {
  k: number;
  t?: ObjType;
  e?: TypeNode;
  c?: string;
  v?: ReadonlySet<string>;
}

/** A compiled table. Shared by every validation run, so never modified after compilation. */
export interface CompiledTable {
  types: Map<string, ObjType>;
  /** apiVersion -> kind -> body type; nested maps so a lookup allocates no key string. */
  kinds: Map<string, Map<string, ObjType>>;
}

/**
 * Kinds that exist in Kubernetes 1.13 but no longer in 1.27, written by hand (the 1.27 jsii cannot know
 * them). Their nested types are the 1.27 ones, which is close enough for the fields they use.
 */
const LEGACY_1_13_TYPES: Record<string, K8sTypeDef> = {
  'v1.13/InitializerConfiguration': {
    f: { metadata: 'ObjectMeta', initializers: '[]v1.13/Initializer', apiVersion: 'string', kind: 'string' },
  },
  'v1.13/Initializer': { f: { name: 'string', rules: '[]v1.13/Rule' }, r: ['name'] },
  'v1.13/Rule': { f: { apiGroups: '[]string', apiVersions: '[]string', resources: '[]string' } },
  'v1.13/PodPreset': { f: { metadata: 'ObjectMeta', spec: 'v1.13/PodPresetSpec', apiVersion: 'string', kind: 'string' } },
  'v1.13/PodPresetSpec': {
    f: { selector: 'LabelSelector', env: '[]EnvVar', envFrom: '[]EnvFromSource', volumes: '[]Volume', volumeMounts: '[]VolumeMount' },
  },
};
const LEGACY_1_13_KINDS: Record<string, string> = {
  'admissionregistration.k8s.io/v1alpha1/InitializerConfiguration': 'v1.13/InitializerConfiguration',
  'settings.k8s.io/v1alpha1/PodPreset': 'v1.13/PodPreset',
};

// Compiled lazily (reading and linking the table costs milliseconds), then shared.
const compiled = new Map<K8sVersion, CompiledTable>();

function compileTypes(defs: Record<string, K8sTypeDef>, types: Map<string, ObjType>): void {
  // Two passes: create every type first so references (including cycles: JsonSchemaProps) resolve.
  for (const name of Object.keys(defs)) types.set(name, { name, fields: Object.create(null), required: defs[name].r ?? [] });
  const parse = (enc: string): TypeNode => {
    if (enc.startsWith('[]')) return { k: ARRAY, e: parse(enc.slice(2)) };
    if (enc.startsWith('{}')) return { k: MAP, e: parse(enc.slice(2)) };
    if (enc.startsWith('=')) return { k: CONST, c: enc.slice(1) };
    if (enc.startsWith('~')) return { k: ENUM, v: new Set(enc.slice(1).split('|')) };
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

function addKinds(kinds: Map<string, Map<string, ObjType>>, table: Record<string, string>, types: Map<string, ObjType>): void {
  for (const [key, typeName] of Object.entries(table)) {
    const cut = key.lastIndexOf('/');
    const apiVersion = key.slice(0, cut);
    let byKind = kinds.get(apiVersion);
    if (!byKind) kinds.set(apiVersion, (byKind = new Map()));
    byKind.set(key.slice(cut + 1), types.get(typeName)!);
  }
}

/** The compiled table of a version, compiled on first use. */
export function compiledTable(version: K8sVersion = '1.27'): CompiledTable {
  let v127 = compiled.get('1.27');
  if (!v127) {
    const table: K8sTypeTable = JSON.parse(fs.readFileSync(TABLE_FILE, 'utf8'));
    const types = new Map<string, ObjType>();
    compileTypes(table.types, types);
    const kinds = new Map<string, Map<string, ObjType>>();
    addKinds(kinds, table.kinds, types);
    compiled.set('1.27', (v127 = { types, kinds }));
  }
  if (version === '1.27') return v127;
  if (version !== '1.13') throw new Error(`unsupported Kubernetes version ${version}`);
  let v113 = compiled.get('1.13');
  if (!v113) {
    // Share the 1.27 type objects; only the kind index and the legacy types are new.
    const types = new Map(v127.types);
    compileTypes(LEGACY_1_13_TYPES, types);
    const kinds = new Map<string, Map<string, ObjType>>();
    for (const [v, byKind] of v127.kinds) kinds.set(v, new Map(byKind));
    addKinds(kinds, LEGACY_1_13_KINDS, types);
    compiled.set('1.13', (v113 = { types, kinds }));
  }
  return v113;
}

/** The body type of an apiVersion/kind, or undefined when either is not a string or the kind is unknown. */
export function lookupKind(apiVersion: unknown, kind: unknown, version: K8sVersion): ObjType | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined;
  return compiledTable(version).kinds.get(apiVersion)?.get(kind);
}

/** Whether the table has a schema for this apiVersion/kind (e.g. `apps/v1`, `StatefulSet`). */
export function isKnownKind(apiVersion: string, kind: string, version: K8sVersion = '1.27'): boolean {
  return lookupKind(apiVersion, kind, version) !== undefined;
}

/** Every known `apiVersion/kind`, sorted (for messages such as "did you mean"). */
export function knownKinds(version: K8sVersion = '1.27'): string[] {
  const out: string[] = [];
  for (const [v, byKind] of compiledTable(version).kinds) for (const k of byKind.keys()) out.push(`${v}/${k}`);
  return out.sort();
}
