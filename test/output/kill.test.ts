// SIGKILL at many points of a 400-file synth (issue 12, "Not transactional across files"): after
// the next run (a synth, or the explicit recovery), the output holds exactly the old set or exactly
// the new set, the user's files are untouched, and nothing is left behind. Replayable: fixed seed.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OutputFolder } from '../../lib';
import { commitOutput } from '../../lib/output/transaction';
import { debris, prng, readTree, sameTree } from './tree';

const { fileSet } = require('./fixtures/file-sets.js');
const CHILD = path.join(__dirname, 'fixtures', 'commit-child.js');
const SEED = 1207;
const KILLS_AT_CHANGES = 45; // killed right before the k-th change to the output folder (k spread over the whole commit)
const KILLS_AT_TIMES = 30; // killed after a random delay from the moment the child is about to commit

const USER_FILES = new Map([
  ['notes.txt', 'mine'],
  ['mine.k8s.yaml', 'kind: Mine\n'], // our extension, but not ours: written by the user after the first synth
  ['k8s-1.13/extra.yaml', 'kind: Extra\n'],
]);

function expected(which: 'A' | 'B'): Map<string, string> {
  const m = new Map<string, string>(fileSet(which));
  for (const [k, v] of USER_FILES) m.set(k, v);
  return m;
}

function runChild(root: string, which: string, killAt: number, delayMs?: number): Promise<{ killed: boolean; goToExitMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, root, which, String(killAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let go = 0;
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      if (go === 0 && d.toString().includes('go')) {
        go = Date.now();
        if (delayMs !== undefined) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      const goToExitMs = Date.now() - go;
      if (signal === 'SIGKILL') resolve({ killed: true, goToExitMs });
      else if (code === 0) resolve({ killed: false, goToExitMs });
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

test(`SIGKILL at ${KILLS_AT_CHANGES} change points and ${KILLS_AT_TIMES} random times: old set or new set, never a mix, no debris`, async () => {
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-kill-'));
  const random = prng(SEED);
  const A = expected('A');
  const B = expected('B');
  try {
    commitOutput(root, fileSet('A'), { managed: [{ dir: '', ext: '.k8s.yaml' }], lockTimeoutMs: 1000, where: '<app>' });
    for (const [k, v] of USER_FILES) fs.writeFileSync(path.join(root, k), v);
    // one unkilled run A -> B: its duration from "go" bounds the random kill times
    const { goToExitMs: commitMs } = await runChild(root, 'B', -1);
    expect(sameTree(readTree(root), B)).toBe(true);
    const changes = 560; // changes to the output folder of a commit A <-> B (280 renames, 220 kept old files, 60 removals)

    const counts = { killed: 0, completed: 0, old: 0, new: 0, mixed: 0, debris: 0, nextRun: { recover: 0, synth: 0 } };
    let current: 'A' | 'B' = 'B';
    for (let i = 0; i < KILLS_AT_CHANGES + KILLS_AT_TIMES; i++) {
      const target: 'A' | 'B' = current === 'A' ? 'B' : 'A';
      const r =
        i < KILLS_AT_CHANGES
          ? await runChild(root, target, Math.floor(random() * changes))
          : await runChild(root, target, -1, Math.floor(random() * commitMs));
      if (r.killed) counts.killed++;
      else counts.completed++;
      if (i % 3 !== 2) {
        // the next run is the explicit recovery: exactly the old set or exactly the new one
        OutputFolder.recover(root);
        counts.nextRun.recover++;
        const tree = readTree(root);
        if (sameTree(tree, current === 'A' ? A : B)) counts.old++;
        else if (sameTree(tree, target === 'A' ? A : B)) {
          counts.new++;
          current = target;
        } else counts.mixed++;
      } else {
        // the next run is a synth (of the other set): it recovers first, then writes exactly its set
        const next: 'A' | 'B' = current === 'A' ? 'B' : 'A';
        commitOutput(root, fileSet(next), { managed: [{ dir: '', ext: '.k8s.yaml' }], lockTimeoutMs: 1000, where: '<app>' });
        counts.nextRun.synth++;
        if (sameTree(readTree(root), next === 'A' ? A : B)) current = next;
        else counts.mixed++;
      }
      if (debris(root).length > 0) counts.debris++;
    }
    process.stdout.write(`kill test: ${JSON.stringify({ ...counts, seed: SEED, commitMs, totalMs: Date.now() - started })}\n`);
    expect(counts.mixed).toBe(0);
    expect(counts.debris).toBe(0);
    expect(counts.killed).toBeGreaterThanOrEqual(50);
    // nothing beside the output folder either
    expect(fs.readdirSync(path.dirname(root)).filter((f) => f.startsWith(`.${path.basename(root)}`))).toEqual([]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}, 120000);
