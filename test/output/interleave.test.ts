// Two synths into one folder, forced to interleave: the first is paused in the middle of its commit
// while the second starts. The lock serializes them (or the second fails clearly); never a mix.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commitOutput } from '../../lib/output/transaction';
import { debris, readTree, sameTree } from './tree';

const { fileSet } = require('./fixtures/file-sets.js');
const CHILD = path.join(__dirname, 'fixtures', 'commit-child.js');

interface Run {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
  saw: (s: string) => Promise<void>;
}

function start(root: string, which: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, [CHILD, root, which, '-1'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const waiters: Array<[string, () => void]> = [];
  child.stdout!.on('data', (d) => {
    out += d;
    for (const [s, resolve] of waiters) if (out.includes(s)) resolve();
  });
  return {
    child,
    out: () => out,
    exit: new Promise((resolve) => child.on('exit', resolve)),
    saw: (s) => new Promise((resolve) => (out.includes(s) ? resolve() : waiters.push([s, resolve]))),
  };
}

describe('two synths into one folder', () => {
  let root: string;
  let resume: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-race-'));
    resume = path.join(os.tmpdir(), `resume-${path.basename(root)}`);
    commitOutput(root, fileSet('A'), { managed: [{ dir: '', ext: '.k8s.yaml' }], lockTimeoutMs: 1000, where: '<app>' });
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(resume, { force: true });
  });

  test('the second waits for the first (paused mid-commit), then writes its set whole', async () => {
    const first = start(root, 'B', { PAUSE_AT: '150', RESUME: resume });
    await first.saw('paused');
    const second = start(root, 'A', { LOCK_TIMEOUT_MS: '20000' });
    await second.saw('go');
    await new Promise((r) => setTimeout(r, 300)); // the second is now waiting on the lock
    expect(second.out()).not.toContain('done');
    fs.writeFileSync(resume, '');
    expect(await first.exit).toBe(0);
    expect(await second.exit).toBe(0);
    expect(sameTree(readTree(root), new Map(fileSet('A')))).toBe(true);
    expect(debris(root)).toEqual([]);
  }, 30000);

  test('with a short lock timeout the second fails clearly and the first completes', async () => {
    const first = start(root, 'B', { PAUSE_AT: '150', RESUME: resume });
    await first.saw('paused');
    const second = start(root, 'A', { LOCK_TIMEOUT_MS: '200' });
    expect(await second.exit).toBe(3);
    expect(second.out()).toMatch(/another synth is writing this output folder: process \d+ on host .* holds .*lock/);
    fs.writeFileSync(resume, '');
    expect(await first.exit).toBe(0);
    expect(sameTree(readTree(root), new Map(fileSet('B')))).toBe(true);
    expect(debris(root)).toEqual([]);
  }, 30000);
});
