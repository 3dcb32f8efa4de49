import * as fs from 'fs';
import * as path from 'path';

/** The hidden folder inside an output folder that holds the lock, the ownership record and transactions. */
export const STATE_DIR = '.cdk8s-patterns';

/** The error code of a failed fs call, if any. */
export function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** True when `file` exists (a file, folder or symlink, even a dangling one). */
export function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}

/** `lstat`, or undefined when nothing is there. */
export function lstatIfExists(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** The content of a file, or undefined when it does not exist. */
export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}

/**
 * Replaces `file` atomically: the content is written to a temporary file in the same folder,
 * flushed to disk, and renamed over `file`. A reader sees the old or the new content, never a part.
 */
export function writeFileAtomic(file: string, content: string, durable = true): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, content);
    if (durable) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Unlinks a file; nothing there is fine. */
export function unlinkIfExists(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e;
  }
}

/**
 * Keeps the current version of `file` at `copy` without touching `file`: a hard link (one system
 * call, atomic), or where the file system has none, a copy written beside and renamed into place.
 */
export function keepCopy(file: string, copy: string): void {
  try {
    fs.linkSync(file, copy);
    return;
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'EEXIST') throw e;
  }
  const tmp = `${copy}.tmp`;
  fs.copyFileSync(file, tmp);
  fs.renameSync(tmp, copy);
}

/** `a` is `b` or a folder inside it (both resolved). */
export function isWithin(a: string, b: string): boolean {
  const rel = path.relative(path.resolve(b), path.resolve(a));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A relative path in the form stored in records and journals (always `/`). */
export function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
}
