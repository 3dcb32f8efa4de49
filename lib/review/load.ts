// Reading synthesized YAML: a folder on disk, or a folder at a git ref (`git ls-tree` + `git cat-file --batch`).
// Documents are split on their `---` lines first and parsed lazily: a document whose text is the same on
// both sides is an unchanged object and is never parsed (most of a release), which keeps a 5,000-object
// diff well under 2 s.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fastParseYaml } from './fast-yaml';

/** A problem with the input (missing folder, bad YAML, git failure): the CLI exits 2. */
export class ReviewInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReviewInputError';
  }
}

/** One YAML file of a tree, by its path below the folder (with `/` separators). */
export interface SourceFile {
  readonly file: string;
  readonly text: string;
}

/** One YAML document of a file. */
export interface SourceDoc {
  readonly file: string;
  readonly index: number;
  readonly text: string;
}

export interface Tree {
  /** How it was read, for the report: the folder, or `<ref>:<path>`. */
  readonly label: string;
  readonly files: SourceFile[];
}

const YAML_FILE = /\.ya?ml$/;

/** The `.yaml`/`.yml` files below `dir`, sorted, with paths relative to it. */
export function readFolder(dir: string): Tree {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new ReviewInputError(`${dir}: no such folder`);
  }
  if (!stat.isDirectory()) throw new ReviewInputError(`${dir}: not a folder`);
  const files: SourceFile[] = [];
  const walk = (rel: string) => {
    const entries = fs
      .readdirSync(path.join(dir, rel), { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (YAML_FILE.test(e.name)) files.push({ file: r, text: fs.readFileSync(path.join(dir, r), 'utf8') });
    }
  };
  walk('');
  return { label: dir, files };
}

function git(args: string[], cwd: string, input?: string): Buffer {
  try {
    return execFileSync('git', args, { cwd, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const detail = err.stderr?.toString().trim() || err.message;
    throw new ReviewInputError(`git ${args.join(' ')}: ${detail}`);
  }
}

/**
 * The YAML files of folder `dir` (a path in the work tree, e.g. `dist`) as committed at `ref`.
 * A folder that does not exist at `ref` reads as empty (the first release: everything is added).
 */
export function readGitFolder(ref: string, dir: string): Tree {
  const abs = path.resolve(dir);
  const cwd = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? abs : process.cwd();
  const top = git(['rev-parse', '--show-toplevel'], cwd).toString().trim();
  const rel = path
    .relative(fs.realpathSync(top), fs.existsSync(abs) ? fs.realpathSync(abs) : abs)
    .split(path.sep)
    .join('/');
  if (rel.startsWith('..')) throw new ReviewInputError(`${dir} is outside the git repository ${top}`);
  git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], top);
  const prefix = rel === '' ? '' : `${rel}/`;
  const listing = git(['ls-tree', '-r', '-z', ref, '--', prefix || '.'], top).toString();
  const blobs: { file: string; id: string }[] = [];
  for (const line of listing.split('\0')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    const [, type, id] = line.slice(0, tab).split(' ');
    const file = line.slice(tab + 1);
    if (type === 'blob' && YAML_FILE.test(file) && file.startsWith(prefix)) blobs.push({ file: file.slice(prefix.length), id });
  }
  blobs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const files: SourceFile[] = [];
  if (blobs.length > 0) {
    const out = git(['cat-file', '--batch'], top, blobs.map((b) => b.id).join('\n') + '\n');
    let at = 0;
    for (const b of blobs) {
      const nl = out.indexOf(10, at);
      const size = Number(out.subarray(at, nl).toString().split(' ')[2]);
      files.push({ file: b.file, text: out.subarray(nl + 1, nl + 1 + size).toString('utf8') });
      at = nl + 1 + size + 1;
    }
  }
  return { label: `${ref}:${rel || '.'}`, files };
}

/** The `yaml` package, loaded on first use (the library is imported by every synth; the review rarely runs there). */
function yamlLib(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml') as typeof import('yaml');
}

/** Splits a YAML stream into its documents' texts, on `---` lines (the writer's separator). */
export function splitDocuments(f: SourceFile): SourceDoc[] {
  const text = f.text;
  if (/^%/m.test(text)) {
    // directives: let the parser split it
    return yamlLib()
      .parseAllDocuments(text, { version: '1.1' })
      .map((d, index) => ({ file: f.file, index, text: String(d) }));
  }
  const docs: SourceDoc[] = [];
  let start = 0;
  let index = 0;
  const push = (end: number) => {
    const chunk = text.slice(start, end);
    if (chunk.replace(/^\s*#.*$/gm, '').trim() !== '') docs.push({ file: f.file, index: index++, text: chunk });
  };
  const re = /^(---|\.\.\.)([ \t].*)?$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    push(m.index);
    start = m.index + m[1].length;
    if (m[1] === '...') start = m.index + m[0].length;
  }
  push(text.length);
  return docs;
}

/** Parses one document as kubectl reads it (YAML 1.1). Returns the objects in it (a `List` gives its items). */
export function parseDocument(doc: SourceDoc): Record<string, any>[] {
  let value: unknown;
  try {
    value = fastParseYaml(doc.text);
    if (value === undefined) {
      const d = yamlLib().parseDocument(doc.text, { version: '1.1' });
      if (d.errors.length > 0) throw d.errors[0];
      value = d.toJS({ maxAliasCount: 1000 });
    }
  } catch (e) {
    throw new ReviewInputError(`${doc.file}: document ${doc.index + 1}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ReviewInputError(`${doc.file}: document ${doc.index + 1} is not a Kubernetes object`);
  }
  const obj = value as Record<string, any>;
  if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) return obj.items;
  if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string' || typeof obj.metadata?.name !== 'string') {
    throw new ReviewInputError(`${doc.file}: document ${doc.index + 1} has no apiVersion, kind or metadata.name`);
  }
  return [obj];
}
