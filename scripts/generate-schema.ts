/**
 * Builds the Kubernetes 1.27 type table used by `lib/validation/schema` (see `table.ts` there), offline,
 * from what the registry package cdk8s-plus-27 ships: the jsii assembly (`.jsii`: every L1 type of the
 * `k8s` submodule with its camelCase properties, types and optionality), the generated serializers in
 * `lib/imports/k8s.js` (the real JSON field names) and the `GVK` of each `KubeXxx` class. Nothing is
 * downloaded or copied.
 *
 * Integer formats (int32/int64) and string enums come from the Kubernetes 1.27.1 OpenAPI definitions that
 * the registry package `kubernetes-models@4.3.1` ships (`_schemas/*.js`, with those of
 * `@kubernetes-models/apimachinery`), matched by each jsii property's OpenAPI name
 * (`io.k8s.api.core.v1.ContainerPort#protocol`). It is a devDependency: the generated table carries the
 * data, the library does not need the package at run time.
 *
 * Run `npm run gen:schema` (writes `lib/validation/schema/k8s-1.27.json`). The field type encoding is
 * described on `K8sTypeDef`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { canonical } from '../lib/core/plain';
import { K8sTypeDef, K8sTypeTable, TABLE_FILE } from '../lib/validation/schema/table';

const PKG = 'cdk8s-plus-27';
const PREFIX = `${PKG}.k8s.`;

/**
 * Kinds that never go in a manifest (API requests/responses, or read-only) are left out, so a
 * manifest naming one of them is reported as unknown. `*List` kinds are left out as well.
 */
const SKIPPED_KINDS = new Set([
  'Status',
  'DeleteOptions',
  'Eviction',
  'Binding',
  'Scale',
  'TokenRequest',
  'TokenReview',
  'ComponentStatus',
]);
function skipKind(kind: string): boolean {
  return SKIPPED_KINDS.has(kind) || kind.endsWith('List') || kind.endsWith('Review');
}

/**
 * []byte fields (base64 in JSON). Listed by their OpenAPI name (`docs.custom.schema` in the jsii) rather
 * than found by doc text: the docs of caBundle/binaryData do not say "base64", and
 * JSONSchemaProps.format does. The generator fails if one of them disappears. The CRD conversion
 * webhook's clientConfig has no type of its own in the jsii: it reuses admissionregistration's
 * WebhookClientConfig, so its caBundle is covered too.
 */
const BASE64_FIELDS = [
  'io.k8s.api.core.v1.Secret#data',
  'io.k8s.api.core.v1.ConfigMap#binaryData',
  'io.k8s.api.admissionregistration.v1.WebhookClientConfig#caBundle',
  'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceSpec#caBundle',
  'io.k8s.api.certificates.v1.CertificateSigningRequestSpec#request',
];

/** jsii has one `number`; Kubernetes uses int32/int64 everywhere except these doubles. */
const FLOAT_FIELDS = [
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps#maximum',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps#minimum',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps#multipleOf',
];

/**
 * The cdk8s importer gives same-named definitions of different API groups one jsii type, so a few
 * fields get the other group's shape. These are the uses where that makes the table wrong; each gets
 * a variant of the shared type (keyed by the using property's OpenAPI name).
 */
interface SiteOverride {
  base: string;
  variant: string;
  drop?: string[];
  optional?: string[];
}
const SITE_OVERRIDES: Record<string, SiteOverride> = {
  // discovery.k8s.io/v1 EndpointPort: `port` is optional (unset = all ports); core/v1's requires it.
  'io.k8s.api.discovery.v1.EndpointSlice#ports': { base: 'EndpointPort', variant: 'DiscoveryEndpointPort', optional: ['port'] },
  // apiregistration.k8s.io/v1 ServiceReference has no `path` and no required fields (admissionregistration's has both).
  'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceSpec#service': {
    base: 'ServiceReference',
    variant: 'ApiServiceServiceReference',
    drop: ['path'],
    optional: ['name', 'namespace'],
  },
};

/** Package root, found through the resolver so hoisting or a different cwd does not matter. */
function packageDir(pkg = PKG): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

/** The OpenAPI definitions kubernetes-models ships; checked to be the Kubernetes 1.27 ones. */
const OPENAPI_PKGS = ['kubernetes-models', '@kubernetes-models/apimachinery'];

interface OpenApiProp {
  type?: string;
  format?: string;
  enum?: string[];
  items?: OpenApiProp;
  additionalProperties?: OpenApiProp;
}

/** Definition name (`io.k8s.api.core.v1.ContainerPort`) -> its properties, read from each `_schemas/*.js` (a JSON literal). */
function loadOpenApi(): { defs: Map<string, Record<string, OpenApiProp>>; source: string } {
  const defs = new Map<string, Record<string, OpenApiProp>>();
  const readme = fs.readFileSync(path.join(packageDir(OPENAPI_PKGS[0]), 'README.md'), 'utf8');
  const k8s = /badge\/kubernetes-(\d+\.\d+)\.\d+/.exec(readme);
  if (!k8s || k8s[1] !== '1.27') throw new Error(`generate: ${OPENAPI_PKGS[0]} is not built from Kubernetes 1.27`);
  const versions: string[] = [];
  for (const pkg of OPENAPI_PKGS) {
    const dir = packageDir(pkg);
    versions.push(`${pkg}@${JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version}`);
    const schemas = path.join(dir, '_schemas');
    for (const file of fs.readdirSync(schemas).sort()) {
      if (!file.endsWith('.js')) continue;
      const text = fs.readFileSync(path.join(schemas, file), 'utf8');
      const body = /const schema = (\{[\s\S]*?\n\});\n/.exec(text);
      const name = /register\)\("([^"]+)"/.exec(text);
      if (!body || !name) continue; // aliases with no schema of their own
      defs.set(name[1], JSON.parse(body[1]).properties ?? {});
    }
  }
  return { defs, source: versions.join(' + ') };
}

/** The encoding of a leaf from its OpenAPI property: int32/int64 for integers, `~A|B` for string enums. */
function openApiLeaf(enc: string, p: OpenApiProp | undefined): string {
  if (!p) return enc;
  if (enc === 'integer' && (p.format === 'int32' || p.format === 'int64')) return p.format;
  if (enc === 'string' && p.enum?.length) {
    for (const v of p.enum) if (typeof v !== 'string' || v.includes('|')) throw new Error(`generate: enum value ${JSON.stringify(v)}`);
    return `~${[...p.enum].sort().join('|')}`;
  }
  return enc;
}

/** `toJson_<Type>` serializers: type name -> (camelCase property -> JSON field name). */
function parseSerializers(source: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const fnRe = /^function toJson_(\w+)\(obj\) \{\n([\s\S]*?)^}/gm;
  for (let m = fnRe.exec(source); m; m = fnRe.exec(source)) {
    const body = /const result = \{\n([\s\S]*?)\n\s*\};/.exec(m[2]);
    if (!body) continue;
    const fields = new Map<string, string>();
    for (const line of body[1].split('\n')) {
      // `'jsonName': <expression over obj.camelName>,` — the first `obj.<name>` is the property read.
      const lm = /^\s*'([^']+)': .*?\bobj\.(\w+)/.exec(line);
      if (lm) fields.set(lm[2], lm[1]);
    }
    out.set(m[1], fields);
  }
  return out;
}

interface JsiiTypeRef {
  primitive?: string;
  fqn?: string;
  collection?: { kind: 'array' | 'map'; elementtype: JsiiTypeRef };
  union?: { types: JsiiTypeRef[] };
}
interface JsiiProperty {
  name: string;
  optional?: boolean;
  type: JsiiTypeRef;
  docs?: { custom?: { schema?: string } };
}
interface JsiiType {
  fqn: string;
  name: string;
  kind: string;
  properties?: JsiiProperty[];
}

/** Derives the table from the installed cdk8s-plus-27. Deterministic for a given package version. */
function generateK8sTypes(): K8sTypeTable {
  const dir = packageDir();
  const version: string = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  const assembly = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8'));
  const jsiiTypes: Record<string, JsiiType> = assembly.types;
  const serializers = parseSerializers(fs.readFileSync(path.join(dir, 'lib', 'imports', 'k8s.js'), 'utf8'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const k8s = require(PKG).k8s;

  const base64 = new Set(BASE64_FIELDS);
  const floats = new Set(FLOAT_FIELDS);
  const seenSpecial = new Set<string>();

  const lookup = (fqn: string): JsiiType => {
    const t = jsiiTypes[fqn];
    if (!t || !fqn.startsWith(PREFIX)) throw new Error(`generate: unexpected type reference ${fqn}`);
    return t;
  };

  // Encodes one jsii type reference; object types are queued for emission.
  const queue: string[] = [];
  const openApi = loadOpenApi();
  const propOf = (schemaName: string | undefined): OpenApiProp | undefined => {
    if (!schemaName) return undefined;
    const cut = schemaName.indexOf('#');
    return cut < 0 ? undefined : openApi.defs.get(schemaName.slice(0, cut))?.[schemaName.slice(cut + 1)];
  };
  const encode = (ref: JsiiTypeRef, schemaName: string | undefined, prop: OpenApiProp | undefined = propOf(schemaName)): string => {
    if (ref.primitive) {
      switch (ref.primitive) {
        case 'string':
          return openApiLeaf('string', prop);
        case 'boolean':
          return 'boolean';
        case 'number':
          return schemaName && floats.has(schemaName) ? 'number' : openApiLeaf('integer', prop);
        case 'date':
          return 'date';
        case 'any':
        case 'json':
          return 'any';
        default:
          throw new Error(`generate: unknown primitive ${ref.primitive}`);
      }
    }
    if (ref.collection) {
      const el = encode(ref.collection.elementtype, schemaName, ref.collection.kind === 'array' ? prop?.items : prop?.additionalProperties);
      return (ref.collection.kind === 'array' ? '[]' : '{}') + el;
    }
    if (ref.fqn) {
      const t = lookup(ref.fqn);
      if (t.name === 'IntOrString') return 'int-or-string';
      if (t.name === 'Quantity') return 'quantity';
      if (t.kind === 'enum') return 'string';
      if (t.kind !== 'interface') throw new Error(`generate: unexpected ${t.kind} ${t.fqn}`);
      queue.push(t.name);
      return t.name;
    }
    throw new Error(`generate: unsupported type reference ${JSON.stringify(ref)}`);
  };

  // Top-level kinds from the classes' GVKs.
  const kinds: Record<string, string> = {};
  const gvkOfProps = new Map<string, { apiVersion: string; kind: string }>();
  for (const className of Object.keys(k8s).sort()) {
    const gvk = k8s[className]?.GVK;
    if (gvk) gvkOfProps.set(`${className}Props`, gvk);
    if (!gvk || skipKind(gvk.kind)) continue;
    const props = `${className}Props`;
    if (!jsiiTypes[PREFIX + props]) throw new Error(`generate: no props interface for ${className}`);
    kinds[`${gvk.apiVersion}/${gvk.kind}`] = props;
    queue.push(props);
  }

  // Props interfaces used inside another type (StatefulSetSpec.volumeClaimTemplates) are full
  // objects there, so apiVersion/kind are allowed, as constants `=v1` / `=PersistentVolumeClaim`
  // (status is not: manifests do not carry it).
  const nestedProps = new Set<string>();

  const types: Record<string, K8sTypeDef> = {};
  while (queue.length) {
    const name = queue.pop()!;
    if (types[name]) continue;
    const t = lookup(PREFIX + name);
    const jsonNames = serializers.get(name);
    if (!jsonNames) throw new Error(`generate: no serializer toJson_${name}`);
    const def: K8sTypeDef = { f: {} };
    const required: string[] = [];
    for (const p of t.properties ?? []) {
      const json = jsonNames.get(p.name);
      if (!json) throw new Error(`generate: ${name}.${p.name} has no JSON name in toJson_${name}`);
      const schemaName = p.docs?.custom?.schema;
      let enc = encode(p.type, schemaName);
      if (schemaName && base64.has(schemaName)) {
        if (enc !== 'string' && enc !== '{}string') throw new Error(`generate: base64 field ${schemaName} is ${enc}`);
        enc = enc.replace('string', 'base64');
        seenSpecial.add(schemaName);
      }
      if (schemaName && floats.has(schemaName)) seenSpecial.add(schemaName);
      const site = schemaName ? SITE_OVERRIDES[schemaName] : undefined;
      if (site) {
        if (enc.replace(/^(\[\]|\{\})*/, '') !== site.base) throw new Error(`generate: ${schemaName} is ${enc}, expected ${site.base}`);
        enc = enc.replace(site.base, site.variant);
        seenSpecial.add(schemaName!);
      }
      for (const m of enc.matchAll(/^(?:\[\]|\{\})*(Kube\w+Props)$/g)) nestedProps.add(m[1]);
      def.f[json] = enc;
      if (!p.optional) required.push(json);
    }
    if (jsonNames.size !== (t.properties ?? []).length) throw new Error(`generate: toJson_${name} and the jsii disagree on fields`);
    if (required.length) def.r = required.sort();
    types[name] = def;
  }
  for (const name of nestedProps) {
    const gvk = gvkOfProps.get(name);
    if (!gvk) throw new Error(`generate: no GVK for nested ${name}`);
    types[name].f.apiVersion = `=${gvk.apiVersion}`;
    types[name].f.kind = `=${gvk.kind}`;
  }
  for (const site of Object.values(SITE_OVERRIDES)) {
    const base = types[site.base];
    if (!base) throw new Error(`generate: override base ${site.base} was not emitted`);
    const f = { ...base.f };
    for (const d of site.drop ?? []) delete f[d];
    const r = (base.r ?? []).filter((x) => !(site.drop ?? []).includes(x) && !(site.optional ?? []).includes(x));
    types[site.variant] = r.length ? { f, r } : { f };
  }
  for (const s of [...BASE64_FIELDS, ...FLOAT_FIELDS, ...Object.keys(SITE_OVERRIDES)]) {
    if (!seenSpecial.has(s)) throw new Error(`generate: special field ${s} not found in ${PKG}@${version}`);
  }

  return { version: '1.27', source: `${PKG}@${version} .jsii + k8s.js; formats and enums: ${openApi.source}`, kinds, types };
}

/** The exact text of `k8s-1.27.json` (used by `main` and by the up-to-date test). */
export function renderTable(table: K8sTypeTable = generateK8sTypes()): string {
  // canonical JSON (keys sorted at every level, no whitespace): the committed file is byte-stable
  return `${canonical(table)}\n`;
}

export function main(): void {
  const text = renderTable();
  fs.writeFileSync(TABLE_FILE, text);
  const table = JSON.parse(text) as K8sTypeTable;
  console.log(
    `wrote ${path.relative(process.cwd(), TABLE_FILE)}: ${Object.keys(table.kinds).length} kinds, ${Object.keys(table.types).length} types, ${text.length} bytes`,
  );
}
