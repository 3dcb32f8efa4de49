// The built CLI as a child process: exit codes, formats, --git, and the golden pull-request comment.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deployment, folder, statefulSet } from './helpers';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-patterns');
const GOLDEN = path.join(__dirname, 'golden');

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'build', 'lib', 'review', 'cli.js'))) {
    throw new Error('build/lib/review/cli.js is missing: run `npm run build` (npm test does) before this test');
  }
});

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const resized = statefulSet('db', {
  spec: {
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } },
    ],
  },
});

describe('exit codes', () => {
  test('0 when nothing is breaking or data-losing', () => {
    const r = cli(['diff', folder([deployment()]), folder([deployment('web', { spec: { replicas: 5 } })])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('~ spec.replicas: 2 → 5');
  });
  test('0 for risky changes alone', () => {
    expect(cli(['diff', folder([deployment()]), folder([deployment('web', { spec: { replicas: 0 } })])]).code).toBe(0);
  });
  test('1 for a breaking change, 0 once acknowledged with --ack', () => {
    const before = folder([statefulSet()]);
    const after = folder([resized]);
    const r = cli(['diff', before, after]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('statefulset-spec-immutable');
    expect(cli(['diff', before, after, '--ack', 'statefulset-spec-immutable:StatefulSet/db=claims resized by hand']).code).toBe(0);
    expect(cli(['diff', before, after, '--ack=breaking']).code).toBe(0);
  });
  test('1 for data loss', () => {
    expect(cli(['diff', folder([statefulSet()]), folder([])]).code).toBe(1);
  });
  test('2 for usage and input errors', () => {
    expect(cli([]).code).toBe(2);
    expect(cli(['diff', folder([])]).code).toBe(2);
    expect(cli(['diff', folder([]), '/no/such/folder']).stderr).toContain('no such folder');
    expect(cli(['diff', folder([]), folder([]), '--format', 'xml']).code).toBe(2);
    expect(cli(['diff', folder([]), folder([]), '--ack', 'nope']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'review-bad-'));
    fs.writeFileSync(path.join(bad, 'x.yaml'), 'kind: [unclosed\n');
    const r = cli(['diff', folder([]), bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('x.yaml');
    fs.rmSync(bad, { recursive: true });
  });
  test('--help is 0', () => {
    expect(cli(['--help']).code).toBe(0);
  });
});

describe('formats', () => {
  test('json is the report', () => {
    const r = cli(['diff', folder([statefulSet()]), folder([resized]), '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report.exitCode).toBe(1);
    expect(report.changes[0].findings[0].rule).toBe('statefulset-spec-immutable');
  });
  test('terminal colour only on a TTY and without NO_COLOR (a pipe gets none)', () => {
    const r = cli(['diff', folder([statefulSet()]), folder([resized])], { env: { FORCE_COLOR: '1' } });
    expect(r.stdout).not.toContain('\u001b[');
  });
  test('--out writes the report to a file', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'review-out-')), 'review.md');
    const r = cli(['diff', folder([statefulSet()]), folder([resized]), '--format', 'markdown', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain('## Release review');
  });
});

test('the markdown report of the golden pair is exactly test/review/golden/report.md', () => {
  const r = cli(['diff', 'test/review/golden/before', 'test/review/golden/after', '--format', 'markdown']);
  expect(r.code).toBe(1);
  const file = path.join(GOLDEN, 'report.md');
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, r.stdout);
  expect(r.stdout).toBe(fs.readFileSync(file, 'utf8'));
});

test('diff --git <ref> reads the committed folder at the ref as the before side', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'review-git-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  try {
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ci@example.com');
    git('config', 'user.name', 'ci');
    fs.mkdirSync(path.join(repo, 'dist', 'sub'), { recursive: true });
    fs.cpSync(path.join(folder([statefulSet()]), 'app.k8s.yaml'), path.join(repo, 'dist', 'sub', 'app.k8s.yaml'));
    fs.writeFileSync(path.join(repo, 'README.md'), 'x\n');
    git('add', '.');
    git('commit', '-qm', 'release 1');
    fs.cpSync(path.join(folder([resized]), 'app.k8s.yaml'), path.join(repo, 'dist', 'sub', 'app.k8s.yaml'));
    const r = cli(['diff', '--git', 'main', '--format', 'json'], { cwd: repo });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.before).toBe('main:dist');
    expect(report.changes.map((c: any) => [c.file, c.changeType])).toEqual([['sub/app.k8s.yaml', 'changed']]);
    // unchanged at HEAD: nothing to say
    git('commit', '-qam', 'release 2');
    expect(cli(['diff', '--git', 'HEAD', 'dist'], { cwd: repo }).code).toBe(0);
    // a ref without the folder: everything is added
    expect(JSON.parse(cli(['diff', '--git', 'HEAD~1', 'dist', '--format', 'json'], { cwd: repo }).stdout).summary.changed).toBe(1);
    expect(cli(['diff', '--git', 'no-such-ref'], { cwd: repo }).code).toBe(2);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

test('graph writes Mermaid, DOT, JSON and SVG', () => {
  const mermaid = cli(['graph', 'dist']);
  expect(mermaid.code).toBe(0);
  expect(mermaid.stdout.startsWith('flowchart LR\n')).toBe(true);
  expect(cli(['graph', 'dist', '--format', 'dot']).stdout.startsWith('digraph topology {')).toBe(true);
  expect(JSON.parse(cli(['graph', 'dist', '--format', 'json']).stdout).charts).toContain('mysql.k8s.yaml');
  expect(cli(['graph', 'dist', '--format', 'svg']).stdout).toContain('<svg');
  expect(cli(['graph', '/no/such/dir']).code).toBe(2);
});

test('a large diff parses one side on a worker thread and finds the same changes', () => {
  const before = Array.from({ length: 800 }, (_, i) => deployment(`web-${i}`));
  const after = before.map((d, i) => (i === 5 ? statefulSet('db') : { ...d, metadata: { ...d.metadata, labels: { release: '2' } } }));
  const r = cli(['diff', folder(before), folder(after), '--format', 'json']);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout);
  expect(report.summary).toMatchObject({ changed: 799, added: 1, removed: 1, renamed: 0 });
});

test("the README's rule table is `cdk8s-patterns rules` (paste its output when this fails)", () => {
  const table = cli(['rules']).stdout.trim();
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(table);
  expect(JSON.parse(cli(['rules', '--format', 'json']).stdout).map((r: { id: string }) => r.id)).toContain('statefulset-spec-immutable');
});
