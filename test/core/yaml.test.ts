import * as fc from 'fast-check';
import { parseAllDocuments, parseDocument, stringify } from 'yaml';
import { toYaml, toYamlStream } from '../../lib/core/yaml';

/** Parses one document strictly (no errors, no warnings) under the given YAML version. */
function read(out: string, version: '1.1' | '1.2'): unknown {
  const doc = parseDocument(out, { version });
  expect(doc.errors).toEqual([]);
  expect(doc.warnings).toEqual([]);
  return doc.toJS();
}

/** The output must read back as the input under YAML 1.1 (kubectl's go-yaml) and 1.2. */
function roundTrips(value: unknown): void {
  const out = toYaml(value);
  expect(out.endsWith('\n')).toBe(true);
  const expected = JSON.parse(JSON.stringify(value));
  expect(read(out, '1.1')).toStrictEqual(expected);
  expect(read(out, '1.2')).toStrictEqual(expected);
}

/** Strings that YAML 1.1, 1.2 or go-yaml would read as something else if written plain. */
const MUST_QUOTE = [
  '',
  'y',
  'Y',
  'n',
  'N',
  'yes',
  'No',
  'TRUE',
  'false',
  'on',
  'Off',
  'null',
  'NULL',
  '~',
  '=',
  '<<',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '+Inf',
  '-inf',
  '-Infinity',
  'e0',
  'E5',
  '-e1',
  '3306',
  '1.25',
  '0777',
  '0x1F',
  '0o17',
  '0b101',
  '1e3',
  '1E+3',
  '1_000',
  '10.0.0.1',
  '1:20',
  '190:20:30.15',
  '-1',
  '+12',
  '.5',
  '-.5',
  '0x1p-2',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10 -5',
  '-',
  '- a',
  '?',
  '? a',
  ':',
  ':a',
  ',a',
  '[a]',
  ']',
  '{a}',
  '}',
  '#a',
  '&a',
  '*a',
  '!a',
  '|a',
  '>a',
  "'a",
  '"a',
  '%a',
  '@a',
  '`a',
  'a: b',
  'a #b',
  'a:',
  ' a',
  'a ',
  '---',
  '--- a',
  '...',
  'a\tb',
  'héllo',
  '日本',
  '\u2028',
  'a\u0085b',
  'x\x7fy',
  '\ufeff',
];

/** Strings that stay plain, as `yaml` writes them. */
const PLAIN = [
  'nginx',
  'app.kubernetes.io/name',
  '1Gi',
  '100m',
  '200Mi',
  '12h',
  '--flag',
  '-v',
  'a-b',
  'nginx:1.25',
  'http://x:80/a?b=c&d',
  'a#b',
  "it's",
  'say "hi"',
  'a\\b',
  'a,b',
  'a[b]',
  '~a',
  'yesno',
  'Nope',
  'infinity',
  'nan',
  'e',
  '.dockerconfigjson',
  '$(VAR)',
  '1 2',
];

const TRICKY = [
  ...MUST_QUOTE,
  ...PLAIN,
  'a\nb',
  'a\nb\n',
  'a\nb\n\n',
  'a\n\n\n',
  '\n',
  '\n\n',
  '\na',
  ' a\nb',
  '\n a',
  '\t\nb',
  'a\n b\n',
  'a\n\tb',
  'a \nb ',
  'a\n  \n',
  'a\n  ',
  'a\r\nb',
  'a\n\u2028',
  '---\n...\n',
  '# x\n- y\n',
  'key: |\n  x\n',
  '😀',
  'a😀b\n😀',
  '\x00\x01\x1b',
  'quote " and \\ back\nslash',
];

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', labels: { 'app.kubernetes.io/name': 'web', tier: 'frontend' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'web' }, annotations: {} },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25.3',
            args: ['--port', '8080', '-v'],
            ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '1Gi' } },
            env: [
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'RATIO', value: '0.5' },
              { name: 'DEBUG', value: 'false' },
            ],
            securityContext: { readOnlyRootFilesystem: true, runAsUser: 1000 },
            volumeMounts: [],
          },
        ],
        tolerations: [[{ key: 'a' }], []],
      },
    },
  },
};

const CONFIG_MAP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'conf' },
  data: {
    'nginx.conf': 'server {\n  listen 80;\n\n  location / {\n    root /usr/share/nginx/html;\n  }\n}\n',
    'script.sh': '#!/bin/sh\nset -e\necho "starting"  ',
    'keep.txt': 'line\n\n\n',
    list: ['a\nb', { inner: 'c\nd\n' }],
  },
};

describe('toYaml', () => {
  test('matches yaml.stringify on plain-safe documents', () => {
    for (const doc of [DEPLOYMENT, CONFIG_MAP, { a: [[1, 2], [[3]]], b: -1.5, c: null, d: [] }]) {
      expect(toYaml(doc)).toBe(stringify(doc, { lineWidth: 0, version: '1.1' }));
    }
  });

  test('layout', () => {
    expect(toYaml({ a: [{ b: 1, c: [2] }, [3, 4]], e: {}, f: [], g: 'x\ny\n' })).toBe(
      'a:\n  - b: 1\n    c:\n      - 2\n  - - 3\n    - 4\ne: {}\nf: []\ng: |\n  x\n  y\n',
    );
    expect(toYaml({ a: 'x\ny', b: 'x\n\n', c: 'x\n\ny' })).toBe('a: |-\n  x\n  y\nb: |+\n  x\n\nc: |-\n  x\n\n  y\n');
    expect(toYaml({ b: 1, a: 2 })).toBe('b: 1\na: 2\n'); // key order kept
    expect(toYaml({ a: undefined, b: { c: undefined }, d: [undefined] })).toBe('b: {}\nd:\n  - null\n');
    expect(toYaml('a\nb')).toBe('|-\n  a\n  b\n');
    expect(toYaml(null)).toBe('null\n');
    expect(toYaml([1e21, 5e-7, -0.25, 42])).toBe('- 1.0e+21\n- 5.0e-7\n- -0.25\n- 42\n');
  });

  test('quotes every string that could read back as something else', () => {
    for (const s of MUST_QUOTE) expect(toYaml(s)).toMatch(/^"/);
    expect(toYaml('a\u2028\u0085\x7f\ufeff\tb"\\')).toBe('"a\\u2028\\u0085\\u007f\\ufeff\\tb\\"\\\\"\n');
    for (const s of PLAIN) expect(toYaml(s)).toBe(`${s}\n`);
    expect(toYaml({ yes: 1, 'a: b': 2, '3306': 3 })).toBe('"3306": 3\n"yes": 1\n"a: b": 2\n'); // integer-like keys come first in JS
  });

  test('falls back to double quotes when a literal block cannot hold the string', () => {
    for (const s of [' a\nb', '\n\n', 'a\r\nb', '\t\nb', 'a\n\u2028']) expect(toYaml({ k: s }).startsWith('k: "')).toBe(true);
  });

  test('round-trips tricky values under YAML 1.1 and 1.2', () => {
    roundTrips(TRICKY);
    roundTrips(Object.fromEntries(TRICKY.map((s, i) => [s, i % 2 ? s : [s, { [s]: s }]])));
    roundTrips({
      deployment: DEPLOYMENT,
      configMap: CONFIG_MAP,
      nested: [[[]], [{}], [[{ a: [[1]] }]]],
      nums: [0, -7, 3.14, -2.5e-300, 1e300, 2 ** 53],
    });
    roundTrips({ ['k'.repeat(1100)]: { a: 'v'.repeat(2000) }, list: [{ ['q'.repeat(1100)]: [1], b: 'x\ny' }] });
  });

  test('rejects values JSON cannot represent', () => {
    for (const v of [NaN, Infinity, -Infinity]) expect(() => toYaml({ a: v })).toThrow(TypeError);
    // a lone surrogate has no UTF-8 encoding; go-yaml (kubectl) refuses the `\ud800` escape
    for (const v of ['\ud800', 'a\udc00', 'x\ud800\n\ny', '\udfff\ud800']) {
      expect(() => toYaml({ a: v })).toThrow(/lone UTF-16 surrogate/);
      expect(() => toYaml({ [v]: 1 })).toThrow(/lone UTF-16 surrogate/);
    }
    roundTrips(['\ud83d\ude00', '\\ud800', 'a\\udc00 "b']); // a pair, and escapes written out by the user
    expect(() => toYaml({ a: BigInt(1) })).toThrow(TypeError);
    expect(() => toYaml([() => 1])).toThrow(TypeError);
  });

  test('property: any JSON value round-trips', () => {
    fc.assert(fc.property(fc.jsonValue(), roundTrips), { numRuns: 1000 });
  });

  test('property: string-heavy objects round-trip', () => {
    const chars = fc.constantFrom(
      'a',
      'y',
      'n',
      'e',
      'x',
      '0',
      '1',
      '9',
      ' ',
      '\n',
      '\t',
      '\r',
      '-',
      '+',
      '.',
      ':',
      '#',
      '?',
      ',',
      '[',
      '{',
      '|',
      '>',
      '!',
      '&',
      '*',
      '%',
      '@',
      '`',
      '"',
      "'",
      '\\',
      '~',
      '=',
      '<',
      '_',
      '/',
      'é',
      '\u0085',
      '\u2028',
      '\ufeff',
      '\x7f',
      '\x00',
      '😀',
    );
    const tricky = fc.oneof(
      fc.stringOf(chars, { maxLength: 12 }),
      fc.constantFrom(...TRICKY),
      fc.string(),
      fc.unicodeString(),
      fc.fullUnicodeString(),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tricky, tie('obj'), fc.array(tie('node'), { maxLength: 4 })),
      obj: fc.dictionary(tricky, tie('node'), { maxKeys: 5 }),
    })).node;
    fc.assert(fc.property(value, roundTrips), { numRuns: 2000 });
  });
});

describe('toYamlStream', () => {
  test('joins documents as cdk8s does', () => {
    const docs = [{ a: 1 }, { b: 'x\n\n' }, ['c']];
    const out = toYamlStream(docs);
    expect(out).toBe('a: 1\n---\nb: |+\n  x\n\n---\n- c\n');
    expect(parseAllDocuments(out).map((d) => d.toJS())).toEqual(docs);
    expect(toYamlStream([])).toBe('');
  });
});
