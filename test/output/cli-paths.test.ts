// Every way the README runs an app (issue 12, "The cdk8s CLI path loses data"): the user's files
// in dist/ are kept, and dist/ is never left stale with exit 0. Runs the real cdk8s CLI.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CDK8S = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

/** The README's app: `new PatternsApp()` without an outdir; TAG picks the content, BROKEN=1 makes it fail. */
const MAIN = `
require(${JSON.stringify(path.join(ROOT, 'apps', 'ts-hook.js'))}).register();
const { ApiObject, Chart } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))});
const { PatternsApp, StatefulService } = require(${JSON.stringify(path.join(ROOT, 'lib', 'index.ts'))});
const app = new PatternsApp();
new ApiObject(new Chart(app, 'shop'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { tag: process.env.TAG } });
if (process.env.BROKEN) new StatefulService(new Chart(app, 'broken'), 'db', { containers: [{ name: 'db', image: '' }] });
app.synth();

`;

function project(cdk8sYaml: string | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-cli-'));
  fs.writeFileSync(path.join(dir, 'main.js'), MAIN);
  if (cdk8sYaml !== undefined) fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), cdk8sYaml);
  return dir;
}

function run(dir: string, cmd: 'cdk8s' | 'node', env: Record<string, string>, args: string[] = []) {
  const argv = cmd === 'cdk8s' ? [CDK8S, 'synth', ...args] : ['main.js'];
  const r = spawnSync(process.execPath, argv, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_OUTDIR: '', ...env },
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tagOf = (dir: string) => fs.readFileSync(path.join(dir, 'dist', 'shop.k8s.yaml'), 'utf8').match(/tag: (\w+)/)![1];

describe.each([
  ['node main.js', undefined, 'node' as const],
  ['the recommended cdk8s.yaml (output: .cdk8s-out)', 'language: typescript\napp: node main.js\noutput: .cdk8s-out\n', 'cdk8s' as const],
])('%s', (_name, yaml, cmd) => {
  let dir: string;
  beforeEach(() => (dir = project(yaml)));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("writes dist/, keeps the user's files, and a failed synth leaves dist/ as it was with a non-zero exit", () => {
    expect(run(dir, cmd, { TAG: 'one' }).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'dist', 'notes.txt'), 'mine');
    expect(run(dir, cmd, { TAG: 'two' }).status).toBe(0);
    expect(tagOf(dir)).toBe('two');
    expect(fs.readFileSync(path.join(dir, 'dist', 'notes.txt'), 'utf8')).toBe('mine');
    const failed = run(dir, cmd, { TAG: 'three', BROKEN: '1' });
    expect(failed.status).not.toBe(0);
    expect(tagOf(dir)).toBe('two');
    expect(fs.readFileSync(path.join(dir, 'dist', 'notes.txt'), 'utf8')).toBe('mine');
    if (cmd === 'cdk8s') {
      // the CLI's scratch folder holds a copy, so the CLI lists (and --stdout prints) the manifests
      const ok = run(dir, cmd, { TAG: 'four' });
      expect(ok.stdout).toContain('shop.k8s.yaml');
      expect(fs.readFileSync(path.join(dir, '.cdk8s-out', 'shop.k8s.yaml'), 'utf8')).toContain('tag: four');
      const printed = run(dir, cmd, { TAG: 'five' }, ['--stdout']);
      expect(printed.status).toBe(0);
      expect(printed.stdout).toContain('tag: five');
      expect(tagOf(dir)).toBe('five');
    }
  }, 120000);
});

describe('the cdk8s init default (output: dist)', () => {
  let dir: string;
  beforeEach(() => (dir = project('language: typescript\napp: node main.js\n')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the CLI deletes dist/ before the app runs: the app writes it fresh and says so, with the fix', () => {
    const first = run(dir, 'cdk8s', { TAG: 'one' });
    expect(first.status).toBe(0);
    expect(tagOf(dir)).toBe('one');
    expect(first.stderr).toMatch(/cdk8s-patterns: warning: the cdk8s CLI deleted dist\/ .* \(fix: in cdk8s.yaml set `output: .cdk8s-out`/);
    fs.writeFileSync(path.join(dir, 'dist', 'notes.txt'), 'mine');
    const failed = run(dir, 'cdk8s', { TAG: 'two', BROKEN: '1' });
    expect(failed.status).not.toBe(0); // never stale with exit 0
    expect(failed.stderr).toMatch(/the cdk8s CLI deleted dist\/ .*\[cdk8s-cli-output\] \(hint: in cdk8s.yaml set `output: .cdk8s-out`/);
    expect(fs.existsSync(path.join(dir, 'dist', 'shop.k8s.yaml'))).toBe(false); // gone: the CLI deleted it, as the error says
  }, 120000);
});
