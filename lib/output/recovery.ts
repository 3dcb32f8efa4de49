import * as fs from 'fs';
import * as path from 'path';
import { finishCommit, rollBack, rollForward } from './commit-steps';
import { discardTransaction, readJournal, TRASH_PREFIX, TXN_PREFIX } from './journal';
import { LOCK_FILE } from './lock';

/** What recovery found and did in one output folder. */
export interface Recovered {
  /** Interrupted commits completed (the crash came after the commit point). */
  readonly rolledForward: string[];
  /** Interrupted transactions undone (the crash came before the commit point, or during a rollback). */
  readonly rolledBack: string[];
  /** Leftovers removed: folders of finished transactions, temporary files. */
  readonly cleaned: string[];
}

/**
 * Completes or undoes whatever a synth that died left in `stateDir`. Must hold the folder's lock, so
 * every transaction found here belongs to a process that is gone:
 * - no journal, or `prepared`: nothing had changed in the output folder; the staging is deleted;
 * - `committing`: every new file is staged, so the commit is completed; if that fails, rolled back;
 * - `rolling-back`: the rollback is completed;
 * - `done`, and `trash-*`: only the cleanup is left.
 */
export function recoverLocked(root: string, stateDir: string): Recovered {
  const result = { rolledForward: [] as string[], rolledBack: [] as string[], cleaned: [] as string[] };
  let names: string[];
  try {
    names = fs.readdirSync(stateDir);
  } catch {
    return result;
  }
  for (const name of names.sort()) {
    const full = path.join(stateDir, name);
    if (name.startsWith(TXN_PREFIX)) {
      const j = readJournal(full);
      const id = name.slice(TXN_PREFIX.length);
      if (j === undefined || j.state === 'prepared') {
        discardTransaction(stateDir, full);
        result.rolledBack.push(id);
      } else if (j.state === 'committing') {
        try {
          rollForward(root, full, j);
          finishCommit(stateDir, full, j);
          result.rolledForward.push(id);
        } catch {
          rollBack(root, full, j);
          discardTransaction(stateDir, full);
          result.rolledBack.push(id);
        }
      } else if (j.state === 'rolling-back') {
        rollBack(root, full, j);
        discardTransaction(stateDir, full);
        result.rolledBack.push(id);
      } else {
        discardTransaction(stateDir, full);
        result.cleaned.push(name);
      }
    } else if (name.startsWith(TRASH_PREFIX) || name.includes('.tmp-') || name.startsWith(`${LOCK_FILE}.stale-`)) {
      fs.rmSync(full, { recursive: true, force: true });
      result.cleaned.push(name);
    }
  }
  return result;
}
