import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PatternError, Problem } from '../core/errors';
import { finishCommit, rollBack, rollForward } from './commit-steps';
import { errorCode, lstatIfExists, STATE_DIR, writeFileAtomic } from './files';
import { discardTransaction, Journal, JournalEntry, stagedFile, TXN_PREFIX, writeJournal } from './journal';
import { acquireLock } from './lock';
import { legacyOwned, ManagedDir, readOwned, writeOwned } from './ownership';
import { Recovered, recoverLocked } from './recovery';

export interface CommitOptions {
  /** The folders the apps write and their manifest extensions (for output written before records). */
  readonly managed: ManagedDir[];
  /** How long to wait for another synth of the same folder. */
  readonly lockTimeoutMs: number;
  /** Construct path errors are reported at. */
  readonly where: string;
}

export interface CommitResult {
  readonly written: string[];
  readonly removed: string[];
  readonly unchanged: string[];
  readonly recovered: Recovered;
}

/** Content of `.cdk8s-patterns/.gitignore`: git ignores the whole state folder. */
const GITIGNORE = "# state of cdk8s-patterns' transactional writer; never commit it\n*\n";

/**
 * Makes the output folder `root` hold exactly `files` (path relative to `root` → content) among the
 * files this library owns, in one transaction:
 * 1. lock the folder (`.cdk8s-patterns/lock`), then recover what a dead synth left;
 * 2. plan: unchanged files are skipped; files we owned that are no longer produced are removed;
 *    anything in the way (a folder named like a manifest) fails here, before any change;
 * 3. stage every new file in `.cdk8s-patterns/txn-<id>/new/` (same file system, so renames are
 *    atomic), then write the journal `prepared`, then `committing` (the commit point);
 * 4. move the files into place (rollForward); an error rolls everything back (rollBack);
 * 5. update the ownership record, mark the journal `done`, delete the transaction folder, unlock.
 */
export function commitOutput(root: string, files: Map<string, string>, opts: CommitOptions): CommitResult {
  const stateDir = path.join(root, STATE_DIR);
  try {
    fs.mkdirSync(stateDir, { recursive: true });
  } catch (e) {
    throw fsError(opts.where, root, e, 'the output folder (or its hidden .cdk8s-patterns/ sub-folder) cannot be created');
  }
  const gitignore = path.join(stateDir, '.gitignore');
  if (!fs.existsSync(gitignore)) writeFileAtomic(gitignore, GITIGNORE, false);
  const id = `${Date.now().toString(36)}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  const lock = acquireLock(stateDir, id, opts.lockTimeoutMs, opts.where);
  try {
    const recovered = recoverLocked(root, stateDir);
    const plan = makePlan(root, stateDir, files, opts);
    const result = {
      written: plan.entries.filter((e) => e.write).map((e) => e.path),
      removed: plan.entries.filter((e) => !e.write).map((e) => e.path),
      unchanged: plan.unchanged,
      recovered,
    };
    if (plan.entries.length === 0) {
      if (!plan.recordCurrent) writeOwned(stateDir, plan.owned); // first synth of an older output folder
      return result;
    }
    const txnDir = path.join(stateDir, TXN_PREFIX + id);
    let journal: Journal = {
      version: 1,
      id,
      state: 'prepared',
      pid: process.pid,
      host: os.hostname(),
      time: new Date().toISOString(),
      entries: plan.entries,
      dirs: plan.dirs,
      owned: plan.owned,
    };
    try {
      fs.mkdirSync(path.join(txnDir, 'new'), { recursive: true });
      fs.mkdirSync(path.join(txnDir, 'old'));
      plan.entries.forEach((e, i) => {
        if (e.write) fs.writeFileSync(stagedFile(txnDir, i), files.get(e.path)!);
      });
      // not fsynced: a 'prepared' journal lost with the machine's power reads as no journal, which
      // recovery treats the same way (the staging is deleted, nothing was changed)
      writeJournal(txnDir, journal, false);
      if (!lock.isHeld()) {
        throw new PatternError([
          {
            path: opts.where,
            field: root,
            rule: "the output folder's lock was taken over by another process before the commit; nothing was changed",
            ruleId: 'output-lock',
          },
        ]);
      }
      journal = { ...journal, state: 'committing' };
      writeJournal(txnDir, journal); // the commit point: fails before its rename, or is done
    } catch (e) {
      fs.rmSync(txnDir, { recursive: true, force: true }); // nothing in the output folder has changed yet
      throw fsError(opts.where, root, e, 'staging the output failed; nothing was changed');
    }
    try {
      rollForward(root, txnDir, journal);
    } catch (e) {
      try {
        rollBack(root, txnDir, journal);
        discardTransaction(stateDir, txnDir);
      } catch (again) {
        throw fsError(
          opts.where,
          root,
          again,
          `writing the output failed (${(e as Error)?.message}) and so did putting the old files back; the next synth or \`npx cdk8s-patterns-recover ${root}\` completes the rollback`,
        );
      }
      throw fsError(opts.where, root, e, 'writing the output failed; every file was put back as it was');
    }
    finishCommit(stateDir, txnDir, journal);
    return result;
  } finally {
    lock.release();
  }
}

interface Plan {
  readonly entries: JournalEntry[];
  readonly dirs: string[];
  readonly owned: string[];
  readonly unchanged: string[];
  /** The ownership record on disk already says `owned`. */
  readonly recordCurrent: boolean;
}

function makePlan(root: string, stateDir: string, files: Map<string, string>, opts: CommitOptions): Plan {
  const record = readOwned(stateDir);
  const before = new Set(record ?? legacyOwned(root, opts.managed));
  const problems: Problem[] = [];
  const entries: JournalEntry[] = [];
  const unchanged: string[] = [];
  const dirs = new Set<string>();
  const owned = [...files.keys()].sort();
  for (const rel of owned) {
    const target = path.join(root, rel);
    const parts = rel.split('/');
    for (let k = 1; k < parts.length; k++) {
      const dir = parts.slice(0, k).join('/');
      const st = lstatIfExists(path.join(root, dir));
      if (st === undefined) dirs.add(dir);
      else if (!st.isDirectory()) problems.push(inTheWay(opts.where, root, dir, 'a file is where the folder of a manifest must be'));
    }
    const st = lstatIfExists(target);
    if (st === undefined) {
      entries.push({ path: rel, write: true, existed: false });
    } else if (st.isDirectory()) {
      problems.push(inTheWay(opts.where, root, rel, 'a folder is where a manifest must be written'));
    } else if (st.isFile() && st.size === Buffer.byteLength(files.get(rel)!) && fs.readFileSync(target, 'utf8') === files.get(rel)) {
      unchanged.push(rel);
    } else {
      entries.push({ path: rel, write: true, existed: true });
    }
  }
  if (problems.length > 0) throw new PatternError(problems);
  for (const rel of [...before].sort()) {
    if (files.has(rel)) continue;
    const st = lstatIfExists(path.join(root, rel));
    if (st !== undefined && !st.isDirectory()) entries.push({ path: rel, write: false, existed: true });
  }
  const recordCurrent = record !== undefined && record.length === owned.length && record.every((f, i) => f === owned[i]);
  return { entries, dirs: [...dirs].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)), owned, unchanged, recordCurrent };
}

function inTheWay(where: string, root: string, rel: string, rule: string): Problem {
  return {
    path: where,
    field: path.join(root, rel),
    rule: `${rule}; nothing was written`,
    ruleId: 'output-path',
    hint: "move or rename what is in the way, or give the chart (or the app's outdir) another name",
  };
}

/** An fs error as a PatternError naming the folder and what to do. */
export function fsError(where: string, root: string, e: unknown, what: string): Error {
  if (e instanceof PatternError) return e;
  const code = errorCode(e);
  const hint =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? `the output folder must be writable (only the folder itself: its parent may be read-only)`
      : code === 'ENOSPC'
        ? 'free some space on the output file system'
        : undefined;
  return new PatternError([{ path: where, field: root, rule: `${what}: ${(e as Error)?.message ?? String(e)}`, ruleId: 'output', hint }]);
}
