import * as fs from 'fs';
import * as path from 'path';
import { errorCode, exists, keepCopy, unlinkIfExists } from './files';
import { discardTransaction, Journal, keptFile, stagedFile, writeJournal } from './journal';
import { writeOwned } from './ownership';

/** Test seam: called before each change to the output folder (see test/output). Never set by the library. */
export const commitHooks: { beforeChange?: (op: string, file: string) => void } = {};

function change(op: string, file: string): void {
  commitHooks.beforeChange?.(op, file);
}

/**
 * Moves every staged file into place, in journal order. Idempotent, so the next run can finish a
 * commit a crash interrupted: an entry whose staged file is gone is already in place; a replaced
 * file is first kept as `old/<i>` (a hard link: the path never goes missing), then the staged file
 * is renamed over it (atomic).
 */
export function rollForward(root: string, txnDir: string, j: Journal): void {
  for (const dir of j.dirs) {
    const full = path.join(root, dir);
    if (!exists(full)) {
      change('mkdir', full);
      fs.mkdirSync(full);
    }
  }
  j.entries.forEach((e, i) => {
    const target = path.join(root, e.path);
    const kept = keptFile(txnDir, i);
    if (e.write) {
      const staged = stagedFile(txnDir, i);
      if (!exists(staged)) return;
      if (e.existed && !exists(kept)) {
        change('keep', target);
        try {
          keepCopy(target, kept);
        } catch (err) {
          if (errorCode(err) !== 'ENOENT') throw err; // removed by someone else meanwhile: nothing to keep
        }
      }
      change('rename', target);
      fs.renameSync(staged, target);
    } else if (!exists(kept)) {
      change('remove', target);
      try {
        fs.renameSync(target, kept);
      } catch (err) {
        if (errorCode(err) !== 'ENOENT') throw err;
      }
    }
  });
  // folders emptied by removing our files go too (never the output folder itself)
  for (const e of j.entries) {
    for (let dir = path.dirname(e.path); !e.write && dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(path.join(root, dir));
      } catch {
        break; // not empty, or gone
      }
    }
  }
}

/**
 * Puts the output folder back as it was before the commit. Idempotent as well: an entry whose staged
 * file is still there was never moved in; a kept old version is renamed back over the new file.
 * Folders the commit created are removed when empty.
 */
export function rollBack(root: string, txnDir: string, j: Journal): void {
  if (j.state !== 'rolling-back') writeJournal(txnDir, { ...j, state: 'rolling-back' });
  for (let i = j.entries.length - 1; i >= 0; i--) {
    const e = j.entries[i];
    const target = path.join(root, e.path);
    const kept = keptFile(txnDir, i);
    if (e.write && exists(stagedFile(txnDir, i))) continue;
    if (exists(kept)) {
      change('restore', target);
      fs.mkdirSync(path.dirname(target), { recursive: true }); // its folder may have been emptied and removed
      fs.renameSync(kept, target);
    } else if (e.write && !e.existed) {
      change('unlink', target);
      unlinkIfExists(target);
    }
  }
  for (const dir of [...j.dirs].reverse()) {
    try {
      fs.rmdirSync(path.join(root, dir));
    } catch {
      // not empty (files of the user's) or already gone
    }
  }
}

/** After a roll forward: the ownership record, the `done` state, and the transaction folder removed. */
export function finishCommit(stateDir: string, txnDir: string, j: Journal): void {
  writeOwned(stateDir, j.owned);
  writeJournal(txnDir, { ...j, state: 'done' }, false); // `done` and `committing` recover alike
  discardTransaction(stateDir, txnDir);
}
