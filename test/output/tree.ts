import * as fs from 'fs';
import * as path from 'path';

export const STATE = '.cdk8s-patterns';

/** Every file below `dir` (relative path → content), the writer's state folder left out. */
export function readTree(dir: string, base = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!base && e.name === STATE) continue;
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [k, v] of readTree(path.join(dir, e.name), rel)) out.set(k, v);
    else out.set(rel, fs.readFileSync(path.join(dir, e.name), 'utf8'));
  }
  return out;
}

/** Anything in the state folder besides the ownership record and .gitignore: debris of a transaction. */
export function debris(root: string): string[] {
  const state = path.join(root, STATE);
  if (!fs.existsSync(state)) return [];
  return fs.readdirSync(state).filter((f) => f !== 'owned' && f !== '.gitignore');
}

export function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

/** A small deterministic PRNG (mulberry32), so that a run is replayable from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
