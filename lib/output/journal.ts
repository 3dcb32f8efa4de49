import * as fs from 'fs';
import * as path from 'path';
import { readIfExists, writeFileAtomic } from './files';

/**
 * The state of a transaction, as written in its journal. Each change is one atomic file replacement
 * (write a temporary file, rename; fsynced only where losing it would change recovery: `committing`
 * and `rolling-back`):
 * - no journal yet: new files are being staged; nothing in the output folder has changed;
 * - `prepared`: every new file is staged; nothing in the output folder has changed;
 * - `committing`: the commit point; from here the transaction completes (on the next run if the
 *   process dies), unless an error makes it roll back;
 * - `rolling-back`: an error happened while committing; the old files are being put back;
 * - `done`: every file is in place and the ownership record is updated; only cleanup is left.
 */
export type JournalState = 'prepared' | 'committing' | 'rolling-back' | 'done';

/**
 * One file the transaction changes, in commit order. Its staged content is `new/<index>`, its
 * previous version is kept as `old/<index>` while the transaction runs (index: position in `entries`).
 */
export interface JournalEntry {
  /** Path relative to the output folder, with `/`. */
  readonly path: string;
  /** True: the file is (re)written from `new/<index>`; false: it is removed. */
  readonly write: boolean;
  /** True when a file was at `path` before the transaction (it is replaced or removed). */
  readonly existed: boolean;
}

export interface Journal {
  readonly version: 1;
  readonly id: string;
  readonly state: JournalState;
  readonly pid: number;
  readonly host: string;
  readonly time: string;
  readonly entries: JournalEntry[];
  /** Folders (relative) the commit creates, parents first; removed again on rollback when empty. */
  readonly dirs: string[];
  /** The files this library owns in the output folder once the transaction is done. */
  readonly owned: string[];
}

export const JOURNAL_FILE = 'journal';
export const TXN_PREFIX = 'txn-';
export const TRASH_PREFIX = 'trash-';

/** Writes the journal of the transaction folder `txnDir` atomically (and durably unless told). */
export function writeJournal(txnDir: string, journal: Journal, durable = true): void {
  writeFileAtomic(path.join(txnDir, JOURNAL_FILE), JSON.stringify(journal), durable);
}

/** The journal of `txnDir`, or undefined when it has none (the transaction was still staging). */
export function readJournal(txnDir: string): Journal | undefined {
  const text = readIfExists(path.join(txnDir, JOURNAL_FILE));
  if (text === undefined) return undefined;
  try {
    const j = JSON.parse(text);
    return j && j.version === 1 && Array.isArray(j.entries) ? j : undefined;
  } catch {
    return undefined; // an atomic write never leaves a partial journal; treat garbage as "staging"
  }
}

/** Where an entry's staged content and its kept previous version live. */
export function stagedFile(txnDir: string, index: number): string {
  return path.join(txnDir, 'new', String(index));
}
export function keptFile(txnDir: string, index: number): string {
  return path.join(txnDir, 'old', String(index));
}

/** Moves a finished transaction folder out of the way in one rename, then deletes it. */
export function discardTransaction(stateDir: string, txnDir: string): void {
  const trash = path.join(stateDir, TRASH_PREFIX + path.basename(txnDir).slice(TXN_PREFIX.length));
  fs.renameSync(txnDir, trash);
  fs.rmSync(trash, { recursive: true, force: true });
}
