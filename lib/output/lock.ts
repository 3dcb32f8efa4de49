import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PatternError } from '../core/errors';
import { errorCode, readIfExists } from './files';

/** What a lock file holds: who writes the output folder, since when. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly time: string;
  readonly id: string;
}

/** A held lock on an output folder. */
export interface HeldLock {
  readonly file: string;
  readonly owner: LockOwner;
  /** True while the lock file on disk is still this lock (it has not been broken as stale). */
  isHeld(): boolean;
  release(): void;
}

export const LOCK_FILE = 'lock';
/** A lock file that cannot be parsed is being written; older than this, its writer died in between. */
const UNREADABLE_GRACE_MS = 10_000;
const POLL_MS = 50;

/** True when process `pid` runs on this host (EPERM: it runs, as another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text);
    return typeof o?.pid === 'number' && typeof o?.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a lock on disk belongs to a process that no longer runs. Only a lock of this host can be
 * judged: a lock of another host (a shared or network folder) is never taken as stale.
 */
function isStale(file: string, text: string | undefined): boolean {
  const owner = parseOwner(text);
  if (owner === undefined) {
    // being written right now (O_EXCL create, then write), or its writer died in between
    try {
      return Date.now() - fs.statSync(file).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return false;
    }
  }
  return owner.host === os.hostname() && !isAlive(owner.pid);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Takes the lock of an output folder's state folder: a file holding pid, host and time, created
 * whole (a hard link of a temp file; O_EXCL where links are not supported). A lock whose process is dead (same host) is stale and broken; a live one is waited for
 * up to `timeoutMs`, then the synth fails naming the holder.
 */
export function acquireLock(stateDir: string, id: string, timeoutMs: number, where: string): HeldLock {
  const file = path.join(stateDir, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), time: new Date().toISOString(), id };
  const text = JSON.stringify(owner);
  const deadline = Date.now() + timeoutMs;
  // the lock appears with its content (a hard link of a file already written), so a synth killed while
  // taking it leaves no unreadable lock that others would have to wait out; a leftover temp file is
  // removed by the next recovery
  const tmp = `${file}.tmp-${process.pid}-${id}`;
  fs.writeFileSync(tmp, text);
  try {
    return waitForLock(file, tmp, text, owner, id, deadline, timeoutMs, stateDir, where);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Creates `file` from `tmp` (or with O_EXCL where hard links are not supported), waiting for a live holder. */
function createLock(file: string, tmp: string, text: string): void {
  try {
    fs.linkSync(tmp, file);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT') {
      // the holder's recovery removed our temp file while we waited: write it again
      fs.writeFileSync(tmp, text);
      fs.linkSync(tmp, file);
      return;
    }
    if (code === 'EEXIST' || !(code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV')) throw e;
    const fd = fs.openSync(file, 'wx');
    try {
      fs.writeSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
  }
}

function waitForLock(
  file: string,
  tmp: string,
  text: string,
  owner: LockOwner,
  id: string,
  deadline: number,
  timeoutMs: number,
  stateDir: string,
  where: string,
): HeldLock {
  for (;;) {
    try {
      createLock(file, tmp, text);
      return {
        file,
        owner,
        isHeld: () => readIfExists(file) === text,
        release: () => {
          if (readIfExists(file) === text) fs.rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
    }
    const current = readIfExists(file);
    if (current !== undefined && isStale(file, current)) {
      breakStaleLock(file, current, id);
      continue;
    }
    if (current === undefined) continue; // released in between
    if (Date.now() >= deadline) {
      const holder = parseOwner(current);
      const who = holder ? `process ${holder.pid} on host ${holder.host} (since ${holder.time})` : 'another process';
      throw new PatternError([
        {
          path: where,
          field: path.dirname(stateDir),
          rule: `another synth is writing this output folder: ${who} holds ${file}; waited ${timeoutMs} ms`,
          ruleId: 'output-lock',
          hint:
            holder && holder.host !== os.hostname()
              ? `the lock belongs to another host and cannot be checked from here; if no synth runs there, delete ${file}`
              : 'wait for it to finish (or raise lockTimeout); a lock whose process has died is taken over automatically',
        },
      ]);
    }
    sleep(POLL_MS);
  }
}

/**
 * Removes a stale lock. It is first renamed to a name of our own, so that of two processes that saw
 * the same stale lock only one removes it; if what was renamed turns out to be a live lock taken in
 * between, it is put back.
 */
function breakStaleLock(file: string, staleText: string, id: string): void {
  const mine = `${file}.stale-${id}`;
  try {
    fs.renameSync(file, mine);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return;
    throw e;
  }
  const taken = readIfExists(mine);
  if (taken === staleText) {
    fs.rmSync(mine, { force: true });
    return;
  }
  try {
    fs.linkSync(mine, file); // put the live lock back (fails if yet another lock was taken meanwhile)
  } catch {
    // the holder notices before it commits (isHeld) and fails instead of writing
  }
  fs.rmSync(mine, { force: true });
}
