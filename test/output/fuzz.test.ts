// Fuzz over the public API and the escape hatches (issue 12, "Never crash"): whatever the keys,
// numbers and strings, a synth gives valid YAML that reads back as the rendered objects, or a
// PatternError; never another exception. Fixed seed: a failure prints its replay path.
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { CustomResourceDefinition, JsonSchema, PatternError, PatternsApp, WebService } from '../../lib';
import { Manifest } from '../../lib/core/manifest';
import { checkAndRender } from '../../lib/synth/pipeline';

const SEED = 20240612;

const KEYS = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'prototype',
  '__defineGetter__',
  'then',
  'length',
  'name',
  'caller',
  '0',
  '-1',
  '1e3',
  'yes',
  'null',
  '~',
  '<<',
  'a',
  'app.kubernetes.io/name',
  'k-1',
  '',
];
const NUMBERS = [NaN, -0, 0, 1, -1, 2 ** 31, 2 ** 31 - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1.5, 1e21, 5e-324, Infinity, -Infinity];
const STRINGS = [
  '',
  'a',
  'yes',
  'No',
  'null',
  '~',
  '0x1F',
  '1e3',
  '- a',
  'a: b',
  '#c',
  '&a',
  '*a',
  '!x',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  '---',
  '...',
  '? q',
  '{a}',
  '[b]',
  '"q"',
  "'s'",
  'a\nb',
  'a\r\nb',
  ' lead',
  'trail ',
  '\t',
  '\x00',
  '\x01',
  '\x1b',
  '\x7f',
  '\x85',
  '\u2028',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '😀',
  'a\ud800',
  '\udc00b',
  '\ud83d',
  'x\ud83d\ude00y',
  'é',
  '日本',
];

const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 }));
const str = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.string({ maxLength: 8 }),
  fc.array(fc.constantFrom(...STRINGS), { maxLength: 3 }).map((a) => a.join('')),
);
const num = fc.oneof(fc.constantFrom(...NUMBERS), fc.double(), fc.integer());

/** An object with own properties only (also `__proto__`), as JSON.parse builds it. */
function record<T>(entries: Array<[string, T]>): Record<string, T> {
  const o: Record<string, T> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
const dict = <T>(v: fc.Arbitrary<T>) => fc.array(fc.tuple(key, v), { maxLength: 4 }).map(record);
/** Label keys and values that are mostly valid, so that the writer (not only the checks) is exercised. */
const labelKey = fc.oneof(
  fc.constantFrom(
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'then',
    'length',
    'yes',
    'null',
    'a',
    '0',
    'app.kubernetes.io/part-of',
  ),
  key,
);
const labelValue = fc.oneof(fc.constantFrom('', 'yes', 'No', 'null', '0x1F', '1e3', '1.0', 'on', 'a-b', 'x'), str);
const labels = fc.array(fc.tuple(labelKey, labelValue), { maxLength: 3 }).map(record);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, str, num, fc.boolean(), fc.constant(null), tie('arr'), tie('obj')),
  arr: fc.array(tie('node'), { maxLength: 3 }),
  obj: fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map(record),
})).node;

/** The outcome rule: a PatternError, or YAML that reads back (1.1 and 1.2) as the rendered objects. */
function check(app: PatternsApp): 'ok' | 'error' {
  let text: string;
  try {
    text = app.synthYaml();
  } catch (e) {
    if (e instanceof PatternError) return 'error';
    throw e;
  }
  const expected = checkAndRender(app).flatMap((c) => c.objects.map((o) => JSON.parse(JSON.stringify(o.json)))); // -0 is 0, as in JSON
  const sortKey = (o: any) => JSON.stringify([o.kind, o.metadata?.name, o.metadata?.namespace]);
  const bySortKey = (a: any, b: any) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0);
  for (const version of ['1.1', '1.2'] as const) {
    const docs = parseAllDocuments(text, { version, uniqueKeys: true });
    for (const d of docs) expect(d.errors).toEqual([]);
    const read = docs.map((d) => JSON.parse(JSON.stringify(d.toJS())));
    expect(read.sort(bySortKey)).toEqual([...expected].sort(bySortKey));
  }
  return 'ok';
}

function newApp(): { app: PatternsApp; chart: Chart } {
  const app = new PatternsApp({ outdir: '/nonexistent/never-written', logger: { warn: () => undefined } });
  return { app, chart: new Chart(app, 'c', { namespace: 'ns' }) };
}

/** Builds the app; a PatternError at construction is an accepted outcome too. */
function run(build: (chart: Chart) => void): 'ok' | 'error' {
  const { app, chart } = newApp();
  try {
    build(chart);
  } catch (e) {
    if (e instanceof PatternError) return 'error';
    throw e;
  }
  return check(app);
}

const outcomes: Record<string, Record<string, number>> = {};
function property<T>(name: string, arb: fc.Arbitrary<T>, build: (chart: Chart, input: T) => void, numRuns = 150): void {
  test(name, () => {
    const seen = (outcomes[name] = { ok: 0, error: 0 });
    fc.assert(
      fc.property(arb, (input) => {
        seen[run((chart) => build(chart, input))]++;
      }),
      { seed: SEED, numRuns },
    );
    expect(seen.ok + seen.error).toBe(numRuns);
  });
}

describe('fuzz: valid YAML that reads back equal, or a PatternError', () => {
  property(
    'WebService: labels, annotations, selector labels, replicas, env',
    fc.record({
      labels,
      annotations: dict(str),
      selector: labels,
      replicas: fc.oneof(fc.integer({ min: 0, max: 5 }), num),
      env: dict(str),
    }),
    (chart, p) => {
      new WebService(chart, 'web', {
        replicas: p.replicas,
        podLabels: p.labels,
        podAnnotations: p.annotations,
        selectorLabels: Object.keys(p.selector).length ? p.selector : undefined,
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            ports: [{ name: 'http', number: 80 }],
            env: record(Object.entries(p.env).map(([k, v]) => [k.replace(/[^A-Za-z0-9_]/g, '') || 'X', v])) as any,
          },
        ],
      });
    },
  );

  property('Manifest (our escape hatch): any body', fc.record({ data: dict(str), extra: json }), (chart, p) => {
    new Manifest(chart, 'm', {
      apiVersion: 'example.com/v1',
      kind: 'Thing',
      metadata: { name: 'm' },
      render: () => ({ spec: { data: p.data, extra: p.extra } }),
    });
  });

  property('Manifest ConfigMap: any data', fc.record({ data: dict(str), extra: json }), (chart, p) => {
    new Manifest(chart, 'm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'm' },
      render: () => ({ data: p.data, binaryData: p.extra as any }),
    });
  });

  property('raw ApiObject: any body', fc.record({ spec: json, labels: dict(str) }), (chart, p) => {
    new ApiObject(chart, 'raw', {
      apiVersion: 'example.com/v1',
      kind: 'Thing',
      metadata: { name: 'raw', labels: p.labels },
      spec: p.spec,
    } as any);
  });

  property(
    'addJsonPatch: any value at an existing or missing path',
    fc.record({
      path: fc.constantFrom('/spec/replicas', '/spec/template/metadata/labels/x', '/metadata/annotations', '/spec/nothing/here', '/spec/x'),
      op: fc.constantFrom('add', 'replace'),
      value: json,
    }),
    (chart, p) => {
      const w = new WebService(chart, 'web', { replicas: 2, exposeService: false, containers: [{ name: 'web', image: 'nginx:1.25' }] });
      w.apiObject.addJsonPatch(p.op === 'add' ? JsonPatch.add(p.path, p.value) : JsonPatch.replace(p.path, p.value));
    },
  );

  property(
    'CustomResourceDefinition: property names, descriptions, defaults',
    fc.record({ names: fc.array(key, { maxLength: 4 }), description: str, def: num }),
    (chart, p) => {
      const props = record(
        p.names.map((n) => [n, JsonSchema.integer({ description: p.description, default: p.def } as any)] as [string, JsonSchema]),
      );
      new CustomResourceDefinition(chart, 'widgets', {
        group: 'example.com',
        names: { kind: 'Widget' },
        versions: [{ name: 'v1', schema: JsonSchema.object(props) }],
      });
    },
  );

  afterAll(() => {
    if (process.env.SHOW_OUTCOMES) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
  });
});
