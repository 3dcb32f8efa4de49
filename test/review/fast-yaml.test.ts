import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { toYaml } from '../../lib/core/yaml';
import { fastParseYaml } from '../../lib/review/fast-yaml';

// The fast path of the review's reader must read exactly what `yaml` reads (YAML 1.1, as kubectl), or
// give up: every document below is parsed both ways.
const slow = (text: string) => YAML.parseDocument(text, { version: '1.1' }).toJS({ maxAliasCount: 1000 });

function agrees(text: string): 'fast' | 'gave up' {
  const fast = fastParseYaml(text);
  if (fast === undefined) return 'gave up';
  expect({ text, value: fast }).toEqual({ text, value: slow(text) });
  return 'fast';
}

const word = fc.constantFrom(
  'a',
  'name',
  'true',
  'false',
  'null',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  '~',
  '0755',
  '0',
  '-1',
  '12',
  '1e3',
  '0.5',
  '.inf',
  '100m',
  '1Gi',
  '25%',
  '30s',
  'nginx:1.25',
  'a: b',
  'a #b',
  '#c',
  '/data',
  'x y',
  ' lead',
  'trail ',
  '-',
  '- x',
  '[1]',
  '{}',
  '[]',
  "it's",
  '"q"',
  'line\nnext',
  'two\n\nlines\n',
  '\t',
  'ü',
  '',
  '__proto__',
  'app.kubernetes.io/name',
  'k=v',
  '*a',
  '&a',
  '!t',
  '|',
  '>',
  '@x',
  '`x`',
);
const scalarValue = fc.oneof(
  word,
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const key = fc.oneof(word, fc.string({ maxLength: 8 }));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, scalarValue, tie('map'), tie('list')),
  map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  list: fc.array(tie('node'), { maxLength: 3 }),
})).node;
const objectDoc = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });

describe('fast YAML reader', () => {
  test('agrees with yaml on what yaml writes (both sequence styles) and on what our writer writes', () => {
    let fast = 0;
    fc.assert(
      fc.property(objectDoc, fc.boolean(), (doc, indentSeq) => {
        for (const text of [YAML.stringify(doc, { version: '1.1', indentSeq, lineWidth: 0 }), toYaml(doc)]) {
          if (agrees(text) === 'fast') fast++;
        }
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 1500) },
    );
    expect(fast).toBeGreaterThan(200); // the fast path is taken, not only given up
  });

  test('agrees with yaml on text that is edited at random (it gives up or reads the same)', () => {
    fc.assert(
      fc.property(objectDoc, fc.nat(), fc.constantFrom(' ', '#', ':', '- ', '"', "'", '|', '\n', '  ', 'x'), (doc, at, insert) => {
        const text = YAML.stringify(doc, { version: '1.1', lineWidth: 0 });
        const i = at % (text.length + 1);
        agrees(text.slice(0, i) + insert + text.slice(i));
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 1500) },
    );
  });

  test('reads every document of dist/ the way yaml does, most of them on the fast path', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (e.name.endsWith('.yaml')) files.push(path.join(dir, e.name));
      }
    };
    walk(path.join(__dirname, '..', '..', 'dist'));
    let docs = 0;
    let fast = 0;
    for (const f of files) {
      for (const text of fs.readFileSync(f, 'utf8').split(/^---$/m)) {
        if (text.trim() === '') continue;
        docs++;
        if (agrees(text) === 'fast') fast++;
      }
    }
    expect(docs).toBeGreaterThan(40);
    expect(fast / docs).toBeGreaterThan(0.8);
  });

  test('gives up on what it does not take: flow collections, anchors, tags, comments after values, folded scalars, odd numbers', () => {
    for (const text of [
      'a: [1, 2]\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: 1 # c\n',
      'a: >\n  x\n',
      'a: 0755\n',
      'a: 1.5\n',
      'a: yes\n',
      'a: b\na: c\n',
    ]) {
      expect({ text, fast: fastParseYaml(text) }).toEqual({ text, fast: undefined });
    }
  });
});
