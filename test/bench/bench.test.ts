// The bench's correctness check (what `npm run bench -- --quick` verifies before timing): every
// entry writes the same objects. No timings are asserted here.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// plain-JS modules of the bench runner

const { TOOLS, checkEqual } = require('../../bench/lib/tools');

const { statefulApp } = require('../../bench/lib/reference');

const ENTRIES = TOOLS.filter((t: { external?: boolean }) => !t.external);
const N = 3;
let base: string;

beforeAll(() => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'build', 'lib', 'index.js'))) {
    throw new Error('build/lib is missing: run `npm run build` (npm test does) before this test');
  }
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

test('the floor, cdk8s L1, cdk8s-plus-27 and our entry write the same objects (one chart)', () => {
  expect(ENTRIES.map((t: { id: string }) => t.id)).toEqual(['floor', 'l1', 'plus', 'ours']);
  const { problems } = checkEqual(ENTRIES, N, base);
  expect(Object.fromEntries(problems)).toEqual({});
  expect(fs.readdirSync(path.join(base, `ours-${N}`)).filter((f) => f !== '.cdk8s-patterns')).toEqual(['apps.k8s.yaml']); // and the writer's hidden state folder
}, 60_000);

test('they write the same objects with one chart per app', () => {
  const { problems } = checkEqual(ENTRIES, N, base, ['--chart-per-app']);
  expect(Object.fromEntries(problems)).toEqual({});
  expect(
    fs
      .readdirSync(path.join(base, `ours-${N}`))
      .filter((f) => f !== '.cdk8s-patterns')
      .sort(),
  ).toEqual(['app-0.k8s.yaml', 'app-1.k8s.yaml', 'app-2.k8s.yaml']);
}, 60_000);

test('an entry that writes different objects is caught', () => {
  // the floor's objects with one replica count changed
  const objects = statefulApp('app-0');
  objects[1].spec.replicas = 2;
  const script = `require('fs').mkdirSync(process.argv[1], { recursive: true });
require('fs').writeFileSync(require('path').join(process.argv[1], 'apps.k8s.yaml'), process.argv[2]);`;
  const wrong = {
    id: 'wrong',
    command: ({ outdir }: { outdir: string }) => ({
      cmd: process.execPath,
      args: ['-e', script, outdir, objects.map((o: unknown) => JSON.stringify(o)).join('\n---\n')],
    }),
  };
  const { problems } = checkEqual([ENTRIES[0], wrong], 1, base);
  expect(problems.get('wrong')).toMatch(/object differs:[\s\S]*"replicas":2/);
}, 60_000);
