/**
 * A fast path for reading the YAML that synthesizers write (block mappings and sequences, plain and
 * quoted scalars, literal block scalars): about five times faster than the general parser, which
 * dominates a review of two large trees. It reads a strict subset and resolves scalars the way the
 * `yaml` package does for YAML 1.1 (as kubectl reads manifests); anything outside the subset (flow
 * collections, anchors, tags, comments after values, folded scalars, words YAML 1.1 reads as booleans
 * besides true/false, numbers other than plain decimal integers…) makes it give up, and the caller
 * parses the document with `yaml`. A differential test holds it to `yaml`'s result.
 */

/** Returned when the document is outside the subset. */
const GIVE_UP = Symbol('give up');
type Result = unknown | typeof GIVE_UP;

/** Plain scalars read as strings: start with a letter, `_` or `/`; no indicator, quote or comment character. */
const PLAIN_STRING = /^[A-Za-z_/][^#{}[\],&*!|>'"%@`]*$/;
/** Plain decimal integers (no leading zero: YAML 1.1 reads `0755` as octal). */
const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
/** Quantities and percentages, which YAML reads as strings (`100m`, `1Gi`, `25%`). */
const QUANTITY = /^[0-9]+(?:\.[0-9]+)?(?:m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E|%)$/;
/** Plain mapping keys (`app.kubernetes.io/name`, `containerPort`). */
const PLAIN_KEY = /^[A-Za-z0-9_./-]+$/;
/** Words YAML 1.1 reads as booleans or null; only these spellings are taken, the others give up. */
const WORDS: { [word: string]: unknown } = { true: true, false: false, null: null };
const SPECIAL_WORDS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/;

interface Line {
  readonly indent: number;
  readonly text: string;
}

/**
 * The value of one YAML document (the text between `---` lines), or `undefined` when it is outside the
 * subset this reader takes.
 */
export function fastParseYaml(doc: string): unknown {
  if (doc.includes('\t') || doc.includes('\r')) return undefined;
  const lines: Line[] = [];
  for (const raw of doc.split('\n')) {
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    lines.push({ indent, text: raw.slice(indent) });
  }
  const reader = new Reader(lines);
  const first = reader.nextContent(0);
  if (first < 0) return undefined; // empty document: leave it to the parser
  const value = reader.block(first, lines[first].indent);
  if (value === GIVE_UP || reader.nextContent(reader.pos) >= 0) return undefined;
  return value;
}

class Reader {
  public pos = 0;

  constructor(private readonly lines: Line[]) {}

  /** The index of the next line with content at or after `from` (comment lines give up), or -1. */
  public nextContent(from: number): number {
    for (let i = from; i < this.lines.length; i++) {
      const t = this.lines[i].text;
      if (t === '') continue;
      if (t.startsWith('#')) return -2;
      return i;
    }
    return -1;
  }

  /** A mapping or a sequence whose lines start at column `indent`, from line `at`. */
  public block(at: number, indent: number): Result {
    const t = this.lines[at].text;
    return t === '-' || t.startsWith('- ') ? this.sequence(at, indent) : this.mapping(at, indent);
  }

  private sequence(at: number, indent: number): Result {
    const out: unknown[] = [];
    let i = at;
    while (i >= 0 && i < this.lines.length) {
      const line = this.lines[i];
      if (line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) break;
      if (line.text === '-') {
        const next = this.nextContent(i + 1);
        if (next < 0 || this.lines[next].indent <= indent) return GIVE_UP;
        const v = this.block(next, this.lines[next].indent);
        if (v === GIVE_UP) return GIVE_UP;
        out.push(v);
      } else {
        let col = 1;
        while (line.text.charCodeAt(col) === 32) col++;
        const rest = line.text.slice(col);
        if (rest.startsWith('- ') || rest === '-') return GIVE_UP; // nested sequence on one line
        if (isMappingLine(rest)) {
          // the item is a mapping starting on the dash's line: read that line as if the dash were spaces
          this.lines[i] = { indent: indent + col, text: rest };
          const v = this.mapping(i, indent + col);
          if (v === GIVE_UP) return GIVE_UP;
          out.push(v);
        } else {
          const v = scalar(rest);
          if (v === GIVE_UP) return GIVE_UP;
          out.push(v);
          this.pos = i + 1;
        }
      }
      const next = this.nextContent(this.pos);
      if (next === -2) return GIVE_UP;
      i = next;
    }
    this.pos = i < 0 ? this.lines.length : i;
    return out;
  }

  private mapping(at: number, indent: number): Result {
    const out: { [key: string]: unknown } = {};
    let i = at;
    while (i >= 0 && i < this.lines.length) {
      const line = this.lines[i];
      if (line.indent !== indent || line.text === '-' || line.text.startsWith('- ')) break;
      const kv = splitKey(line.text);
      if (kv === undefined || Object.prototype.hasOwnProperty.call(out, kv.key)) return GIVE_UP;
      let value: Result;
      if (kv.rest === '') {
        const next = this.nextContent(i + 1);
        if (next === -2) return GIVE_UP;
        const child = next >= 0 ? this.lines[next] : undefined;
        if (child && child.indent > indent) value = this.block(next, child.indent);
        else if (child && child.indent === indent && (child.text === '-' || child.text.startsWith('- ')))
          value = this.sequence(next, indent);
        else {
          value = null;
          this.pos = i + 1;
        }
      } else if (kv.rest === '|' || kv.rest === '|-') {
        value = this.literal(i + 1, indent, kv.rest === '|-');
      } else {
        value = scalar(kv.rest);
        this.pos = i + 1;
      }
      if (value === GIVE_UP) return GIVE_UP;
      out[kv.key] = value;
      const next = this.nextContent(this.pos);
      if (next === -2) return GIVE_UP;
      i = next;
    }
    this.pos = i < 0 ? this.lines.length : i;
    return out;
  }

  /** A literal block scalar (`|` clips to one final newline, `|-` strips it) below a key at `parent`. */
  private literal(from: number, parent: number, strip: boolean): Result {
    let indent = -1;
    const parts: string[] = [];
    let i = from;
    for (; i < this.lines.length; i++) {
      const line = this.lines[i];
      if (line.text === '') {
        // a line of spaces inside a literal is content or indentation: leave that to the parser
        if (line.indent > 0) return GIVE_UP;
        parts.push('');
        continue;
      }
      if (indent < 0) {
        if (line.indent <= parent) break;
        indent = line.indent;
      }
      if (line.indent < indent) break;
      parts.push(' '.repeat(line.indent - indent) + line.text);
    }
    if (indent < 0) return GIVE_UP;
    // blank lines at the end belong to no content (a later key or the end)
    let end = parts.length;
    while (end > 0 && parts[end - 1] === '') end--;
    const blankTail = parts.length - end;
    this.pos = i - blankTail;
    const text = parts.slice(0, end).join('\n');
    return strip ? text : text + '\n';
  }
}

function isMappingLine(text: string): boolean {
  return splitKey(text) !== undefined;
}

/** `key: rest` of a mapping line; undefined when the key is outside the subset. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  if (text.startsWith('"')) {
    const close = closingQuote(text);
    if (close < 0 || text[close + 1] !== ':' || (text.length > close + 2 && text[close + 2] !== ' ')) return undefined;
    let key: unknown;
    try {
      key = JSON.parse(text.slice(0, close + 1));
    } catch {
      return undefined;
    }
    if (typeof key !== 'string' || key === '__proto__') return undefined;
    return { key, rest: text.slice(close + 2).trim() };
  }
  const colon = text.indexOf(': ');
  const end = colon >= 0 ? colon : text.endsWith(':') ? text.length - 1 : -1;
  if (end <= 0) return undefined;
  const key = text.slice(0, end);
  if (!PLAIN_KEY.test(key) || key === '__proto__' || SPECIAL_WORDS.test(key) || !PLAIN_STRING.test(key)) return undefined;
  return { key, rest: text.slice(end + 1).trim() };
}

/** The index of the quote closing a double-quoted scalar that starts at 0, or -1. */
function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}

function scalar(text: string): Result {
  const c = text.charCodeAt(0);
  if (c === 34) {
    // a double-quoted scalar, whole on its line, with JSON's escapes only
    if (closingQuote(text) !== text.length - 1) return GIVE_UP;
    try {
      const v = JSON.parse(text);
      return typeof v === 'string' ? v : GIVE_UP;
    } catch {
      return GIVE_UP;
    }
  }
  if (c === 39) {
    if (text.length < 2 || !text.endsWith("'")) return GIVE_UP;
    const inner = text.slice(1, -1);
    if (inner.replace(/''/g, '').includes("'")) return GIVE_UP;
    return inner.replace(/''/g, "'");
  }
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (SPECIAL_WORDS.test(text)) return Object.prototype.hasOwnProperty.call(WORDS, text) ? WORDS[text] : GIVE_UP;
  if (INTEGER.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) && text !== '-0' ? n : GIVE_UP;
  }
  if (QUANTITY.test(text)) return text;
  if (PLAIN_STRING.test(text) && !text.includes(': ') && !text.endsWith(':') && !text.includes(' #') && text.trimEnd() === text)
    return text;
  return GIVE_UP;
}
