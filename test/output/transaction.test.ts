// The transactional writer without crashes: rollback on errors, what is owned, the lock, recovery
// of each journal state, and the multi-app transaction.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Duration } from 'cdk8s';
import { OutputFolder, PatternError, PatternsApp, StatefulService } from '../../lib';
import { commitHooks } from '../../lib/output/commit-steps';
import { commitOutput } from '../../lib/output/transaction';
import { debris, readTree, STATE } from './tree';

const opts = { managed: [{ dir: '', ext: '.k8s.yaml' }], lockTimeoutMs: 200, where: '<app>' };
const files = (tag: string, names: string[]) => new Map(names.map((n) => [n, `kind: ConfigMap\n# ${tag} ${n}\n`]));
const names = (n: number, prefix = 'f') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}.k8s.yaml`);

function app(outdir: string, charts: string[], tag = 'v1', props = {}): PatternsApp {
  const a = new PatternsApp({ outdir, ...props });
  for (const id of charts) {
    new ApiObject(new Chart(a, id), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id }, data: { tag } });
  }
  return a;
}

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-txn-'));
});
afterEach(() => {
  commitHooks.beforeChange = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

describe('commit', () => {
  test('state folder: a self-ignoring .gitignore and the ownership record, nothing else', () => {
    commitOutput(root, files('a', names(3)), opts);
    expect(fs.readdirSync(path.join(root, STATE)).sort()).toEqual(['.gitignore', 'owned']);
    expect(fs.readFileSync(path.join(root, STATE, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(JSON.parse(fs.readFileSync(path.join(root, STATE, 'owned'), 'utf8')).files).toEqual(names(3));
  });

  test('a folder in the way of a manifest fails before any change, naming it', () => {
    commitOutput(root, files('a', names(59)), opts);
    const before = readTree(root);
    fs.mkdirSync(path.join(root, 'f-30.k8s.yaml.dir'));
    const next = files('b', names(59));
    fs.mkdirSync(path.join(root, 'f-59.k8s.yaml'));
    next.set('f-59.k8s.yaml', 'new');
    let error: PatternError | undefined;
    try {
      commitOutput(root, next, opts);
    } catch (e) {
      error = e as PatternError;
    }
    expect(error).toBeInstanceOf(PatternError);
    expect(error!.problems[0]).toMatchObject({ ruleId: 'output-path', field: path.join(root, 'f-59.k8s.yaml') });
    expect(readTree(root)).toEqual(before);
    expect(debris(root)).toEqual([]);
  });

  test('an error in the rename phase (EISDIR: a folder appears in the way mid-commit) rolls every file back', () => {
    commitOutput(root, files('a', names(59)), opts);
    fs.writeFileSync(path.join(root, 'user.txt'), 'mine');
    const before = readTree(root);
    let n = 0;
    commitHooks.beforeChange = (op, file) => {
      if (op === 'rename' && ++n === 30) {
        fs.rmSync(file, { force: true });
        fs.mkdirSync(file);
        fs.writeFileSync(path.join(file, 'x'), 'blocks the rename');
      }
    };
    const next = files('b', names(59));
    expect(() => commitOutput(root, next, opts)).toThrow(/every file was put back/);
    commitHooks.beforeChange = undefined;
    const after = readTree(root);
    const blocked = [...after.keys()].find((k) => k.endsWith('/x'))!;
    after.delete(blocked); // the folder put in the way (the old file it replaced is restored... as far as the folder allows)
    for (const [k, v] of before) if (!blocked.startsWith(k)) expect(after.get(k)).toBe(v);
    expect([...after.values()].filter((v) => v.includes('# b '))).toEqual([]);
    expect(debris(root)).toEqual([]);
  });

  test("only files we wrote are removed; the user's, even with our extension, stay", () => {
    commitOutput(root, files('a', ['one.k8s.yaml', 'two.k8s.yaml', 'sub/three.k8s.yaml']), opts);
    fs.writeFileSync(path.join(root, 'mine.k8s.yaml'), 'user');
    fs.writeFileSync(path.join(root, 'sub', 'mine.k8s.yaml'), 'user');
    const r = commitOutput(root, files('a', ['one.k8s.yaml']), opts);
    expect(r.removed.sort()).toEqual(['sub/three.k8s.yaml', 'two.k8s.yaml']);
    expect([...readTree(root).keys()].sort()).toEqual(['mine.k8s.yaml', 'one.k8s.yaml', 'sub/mine.k8s.yaml']);
  });

  test('without a record (older output), files with the extension directly in the folder are ours', () => {
    fs.writeFileSync(path.join(root, 'old.k8s.yaml'), 'x');
    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(path.join(root, 'sub', 'keep.k8s.yaml'), 'x');
    commitOutput(root, files('a', ['one.k8s.yaml']), opts);
    expect([...readTree(root).keys()].sort()).toEqual(['one.k8s.yaml', 'sub/keep.k8s.yaml']);
  });

  test('unchanged files are not rewritten, and an unchanged synth stages nothing', () => {
    commitOutput(root, files('a', names(3)), opts);
    const past = new Date('2020-01-01T00:00:00Z');
    for (const n of names(3)) fs.utimesSync(path.join(root, n), past, past);
    const r = commitOutput(root, files('a', names(3)), opts);
    expect(r).toMatchObject({ written: [], removed: [], unchanged: names(3) });
    for (const n of names(3)) expect(fs.statSync(path.join(root, n)).mtime.toISOString()).toBe(past.toISOString());
  });
});

describe('recovery of each journal state', () => {
  /** Runs a commit v1 -> v2 and stops it (as a crash would) right before the k-th change. */
  function crashAt(k: number): void {
    commitOutput(root, files('v1', names(6)), opts);
    let n = 0;
    commitHooks.beforeChange = () => {
      if (n++ === k) throw new Error('crash');
    };
    const rollBack = require('../../lib/output/commit-steps').rollBack;
    require('../../lib/output/commit-steps').rollBack = () => {
      throw new Error('no rollback: simulate a dead process');
    };
    try {
      commitOutput(root, new Map([...files('v2', names(4)), ['new/x.k8s.yaml', 'n']]), opts);
    } catch {
      // expected
    } finally {
      require('../../lib/output/commit-steps').rollBack = rollBack;
      commitHooks.beforeChange = undefined;
    }
    fs.rmSync(path.join(root, STATE, 'lock'), { force: true });
  }

  test('committing: the next recovery completes the commit', () => {
    crashAt(3);
    const journalDir = fs.readdirSync(path.join(root, STATE)).find((f) => f.startsWith('txn-'))!;
    expect(JSON.parse(fs.readFileSync(path.join(root, STATE, journalDir, 'journal'), 'utf8')).state).toBe('committing');
    const r = OutputFolder.recover(root);
    expect(r.rolledForward).toHaveLength(1);
    expect([...readTree(root).entries()].sort()).toEqual([...files('v2', names(4)), ['new/x.k8s.yaml', 'n']].sort());
    expect(debris(root)).toEqual([]);
  });

  test('staging without a journal, and prepared: rolled back, nothing had changed', () => {
    commitOutput(root, files('v1', names(3)), opts);
    const before = readTree(root);
    fs.mkdirSync(path.join(root, STATE, 'txn-dead1', 'new'), { recursive: true });
    fs.writeFileSync(path.join(root, STATE, 'txn-dead1', 'new', '0'), 'half');
    fs.mkdirSync(path.join(root, STATE, 'txn-dead2', 'new'), { recursive: true });
    fs.writeFileSync(
      path.join(root, STATE, 'txn-dead2', 'journal'),
      JSON.stringify({
        version: 1,
        state: 'prepared',
        entries: [{ path: 'f-00.k8s.yaml', write: true, existed: true }],
        dirs: [],
        owned: [],
      }),
    );
    fs.writeFileSync(path.join(root, STATE, 'owned.tmp-123'), 'x');
    fs.mkdirSync(path.join(root, STATE, 'trash-old'));
    const r = OutputFolder.recover(root);
    expect(r.rolledBack.sort()).toEqual(['dead1', 'dead2']);
    expect(readTree(root)).toEqual(before);
    expect(debris(root)).toEqual([]);
  });

  test('a stale lock (dead pid on this host) is taken over; a live one makes the synth wait, then fail clearly', () => {
    commitOutput(root, files('v1', names(2)), opts);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(path.join(root, STATE, 'lock'), JSON.stringify({ pid: Number(dead), host: os.hostname(), time: 'then', id: 'x' }));
    commitOutput(root, files('v2', names(2)), opts);
    expect(readTree(root).get('f-00.k8s.yaml')).toContain('v2');
    expect(debris(root)).toEqual([]);
    fs.writeFileSync(path.join(root, STATE, 'lock'), JSON.stringify({ pid: process.ppid, host: os.hostname(), time: 'now', id: 'y' }));
    const a = app(root, ['one'], 'v3', { lockTimeout: Duration.millis(300) });
    expect(() => a.synth()).toThrow(/another synth is writing this output folder: process \d+ on host/);
    fs.rmSync(path.join(root, STATE, 'lock'));
  });
});

describe('PatternsApp.synthAll: several apps, one transaction', () => {
  test("an error in the second app leaves the first app's files unchanged", () => {
    PatternsApp.synthAll([app(root, ['one', 'two']), app(path.join(root, 'k8s-1.13'), ['old'])]);
    const before = readTree(root);
    const second = app(path.join(root, 'k8s-1.13'), ['old'], 'v2');
    new StatefulService(new Chart(second, 'broken'), 'db', { containers: [{ name: 'db', image: '' }] });
    expect(() => PatternsApp.synthAll([app(root, ['one', 'three'], 'v2'), second])).toThrow(PatternError);
    expect(readTree(root)).toEqual(before);
  });

  test("a write error in the second app's folder rolls back the first app's files too", () => {
    PatternsApp.synthAll([app(root, ['one', 'two']), app(path.join(root, 'k8s-1.13'), ['old'])]);
    const before = readTree(root);
    commitHooks.beforeChange = (op, file) => {
      if (op === 'rename' && file.includes('k8s-1.13')) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
    };
    expect(() => PatternsApp.synthAll([app(root, ['one', 'two'], 'v2'), app(path.join(root, 'k8s-1.13'), ['old'], 'v2')])).toThrow(
      /put back/,
    );
    expect(readTree(root)).toEqual(before);
    expect(debris(root)).toEqual([]);
  });

  test('outdirs outside one tree are refused', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-other-'));
    try {
      expect(() => PatternsApp.synthAll([app(root, ['a']), app(other, ['b'])])).toThrow(/one folder tree/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

test('the recover command', () => {
  commitOutput(root, files('v1', names(2)), opts);
  fs.mkdirSync(path.join(root, STATE, 'txn-dead', 'new'), { recursive: true });
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(path.join(__dirname, '..', '..', 'apps', 'ts-hook.js'))}).register(); process.argv = [process.argv[0], 'x', ${JSON.stringify(root)}]; require(${JSON.stringify(path.join(__dirname, '..', '..', 'lib', 'output', 'recover-cli.ts'))})`,
    ],
    { encoding: 'utf8' },
  );
  expect(out).toBe(`${root}: rolled back 1 interrupted synth(s)\n`);
  expect(debris(root)).toEqual([]);
});
