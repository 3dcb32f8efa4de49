import * as fs from 'fs';
import * as path from 'path';
import { readIfExists, toPosix, writeFileAtomic } from './files';

/**
 * The ownership record, `<outdir>/.cdk8s-patterns/owned`: the files of the output folder this library
 * wrote and manages. Only these are ever replaced by name or removed when a synth no longer produces
 * them; every other file in the folder is the user's. (No `.json`/`.yaml` extension, so that
 * `kubectl apply -R -f <outdir>` does not take it for a manifest.)
 */
export const OWNED_FILE = 'owned';

export function readOwned(stateDir: string): string[] | undefined {
  const text = readIfExists(path.join(stateDir, OWNED_FILE));
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text);
    return Array.isArray(o?.files) && o.files.every((f: unknown) => typeof f === 'string') ? o.files : undefined;
  } catch {
    return undefined;
  }
}

export function writeOwned(stateDir: string, files: string[]): void {
  // not fsynced: a record lost with the machine's power falls back to the files' extension (see readOwned)
  writeFileAtomic(path.join(stateDir, OWNED_FILE), JSON.stringify({ version: 1, files }), false);
}

/** A folder of the output tree an app writes, and the extension of its manifests. */
export interface ManagedDir {
  /** Relative to the output folder, with `/`; `''` for the folder itself. */
  readonly dir: string;
  readonly ext: string;
}

/**
 * Without a record (an output folder written by an earlier version of this library, or a fresh
 * clone, since the record is not committed), the files with an app's manifest extension directly in
 * the folder it writes are taken as ours: the rule earlier versions applied.
 */
export function legacyOwned(root: string, dirs: ManagedDir[]): string[] {
  const owned: string[] = [];
  for (const { dir, ext } of dirs) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && e.name.endsWith(ext)) owned.push(toPosix(path.join(dir, e.name)));
    }
  }
  return owned;
}
