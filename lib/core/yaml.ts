/**
 * A fast YAML emitter for plain JSON data (objects, arrays, strings, finite numbers, booleans, null),
 * used on the synth path instead of `yaml.stringify`.
 *
 * The layout follows `yaml` v2 `stringify(doc, { lineWidth: 0, version: '1.1' })` so manifests diff
 * the same as cdk8s output. Quoting is stricter than `yaml`'s: kubectl reads manifests with go-yaml v2
 * (YAML 1.1 resolution, Go's `ParseFloat`), so a string is written plain only when it reads back as
 * that same string under YAML 1.1, YAML 1.2 and go-yaml; anything else is double-quoted.
 */

/** Common strings (names, labels, images, kinds) that are plain unless they are a reserved word. */
const FAST_PLAIN = /^[A-Za-z_/][\w\-./]*$/;
/** Characters that may appear in a plain scalar at all; anything else (tab, non-ASCII, controls) is quoted. */
const PLAIN_CHARS = /^[\w \-./:@=+,;()$^~!*&%?<>[\]{}|'"`#\\]+$/;
/** Leading characters that need no thought. `-`, `+`, `.` and digits are handled by the rules below. */
const SAFE_FIRST = /^[A-Za-z_/$^(\\;)<~=]/;
/**
 * Strings that YAML 1.1 or go-yaml may read as numbers: ints in any base, floats (1.1 reads `.` and `1.` as
 * floats, Go's ParseFloat takes hex floats `0x1p-2`), sexagesimals (`1:20`). Only number characters, so `1Gi` stays plain.
 */
const NUMBER_CHARS = /^[-+]?[0-9.][0-9a-fA-FxXoObBpP_.:+-]*$/;
/** YAML 1.1 timestamps (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43 -5`). */
const DATE_PREFIX = /^\d{4}-\d\d?-\d\d?/;
/** Infinities and NaN as YAML (`.inf`) and as Go's `ParseFloat` (`-Inf`, `+infinity`) read them. */
const INF_NAN = /^[-+]?\.?(?:inf(?:inity)?|nan)$/i;
/** YAML 1.1 bool/null words (any case), merge and value keys, and `e5` (a float to `yaml`'s 1.1 schema). */
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|~|=|<<|[-+]?e[-+]?\d+)$/i;
/** Plain scalars cannot contain `: ` or ` #`, end in `:`, or start/end with a space; `---`/`...` mark documents. */
const STRUCTURE = /: | #|:$|^ | $|^---|^\.\.\./;
/** `-` may start a plain scalar only before a letter or another `-` (`--flag`, `-v`). */
const DASH_OK = /^-[A-Za-z-]/;
/** `+1x`, `.5x`: not numbers, but close enough to Go's number syntax to quote anyway. */
const SIGNED_DIGIT = /^[+.]\.?\d/;

/** Characters a double-quoted scalar must escape beyond what JSON.stringify escapes (C1, DEL, YAML 1.1 line breaks, BOM, non-characters). */
const EXTRA_ESCAPES = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
const HAS_EXTRA_ESCAPE = new RegExp(EXTRA_ESCAPES.source); // not global: `test` must not keep state
/** Anything a literal block cannot hold verbatim: CR, controls, the characters above, lone surrogates. */
const NOT_BLOCKABLE =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\r]|[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;
/** A literal block's indentation is auto-detected from its first non-empty line, so that line must not start with blanks. */
const BLOCK_LEADING_BLANK = /^\n*[ \t]/;
/** Start of every non-empty line (blank lines stay empty so they carry no trailing spaces). */
const LINE_START = /^(?=.)/gm;
/** Implicit keys are limited to 1024 characters; longer ones use the explicit `? key` form. */
const MAX_IMPLICIT_KEY = 1000;

const INDENTS: string[] = [''];
/** Indentation string for `n` spaces, cached. */
function indent(n: number): string {
  let s = INDENTS[n];
  if (s === undefined) s = INDENTS[n] = ' '.repeat(n);
  return s;
}

/** True when `s` reads back as this same string, written plain. */
function isPlainSafe(s: string): boolean {
  if (FAST_PLAIN.test(s)) return !RESERVED.test(s);
  if (s === '' || !PLAIN_CHARS.test(s) || STRUCTURE.test(s) || RESERVED.test(s)) return false;
  if (NUMBER_CHARS.test(s) || DATE_PREFIX.test(s)) return false;
  if (SAFE_FIRST.test(s)) return true;
  const c = s.charCodeAt(0);
  if (c >= 48 && c <= 57) return true; // a digit, but not a number or date (checked above): `1Gi`, `100m`
  if (c === 45 /* - */) return DASH_OK.test(s) && !INF_NAN.test(s);
  if (c === 43 /* + */ || c === 46 /* . */) return !INF_NAN.test(s) && !SIGNED_DIGIT.test(s);
  return false; // an indicator: ? : , [ ] { } # & * ! | > ' " % @ `
}

/** A YAML double-quoted scalar. JSON's escapes are all valid YAML escapes. */
function quote(s: string): string {
  const q = JSON.stringify(s);
  // JSON.stringify escapes a lone surrogate as `\udxxx`, which YAML readers (go-yaml: kubectl) refuse
  if (q.indexOf('\\ud') >= 0 && LONE_SURROGATE.test(s)) throw new TypeError('cannot write a lone UTF-16 surrogate as YAML');
  return HAS_EXTRA_ESCAPE.test(q) ? q.replace(EXTRA_ESCAPES, escapeChar) : q;
}

function escapeChar(c: string): string {
  return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
}

/** A string as a single-line scalar (keys, and values that cannot be literal blocks). */
function scalarString(s: string): string {
  return isPlainSafe(s) ? s : quote(s);
}

function isBlockable(s: string): boolean {
  return /[^\n]/.test(s) && !BLOCK_LEADING_BLANK.test(s) && !NOT_BLOCKABLE.test(s);
}

/** ` |…` header plus body of a literal block scalar whose content is indented by `n`. */
function block(s: string, n: number): string {
  let chomp = '-';
  if (s.charCodeAt(s.length - 1) === 10) chomp = s.charCodeAt(s.length - 2) === 10 ? '+' : '';
  const body = s.replace(LINE_START, indent(n));
  return ' |' + chomp + '\n' + (chomp === '-' ? body + '\n' : body);
}

function number(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError(`cannot write ${n} as YAML`);
  const s = String(n);
  // YAML 1.1 floats need a '.' before the exponent: 1e+21 -> 1.0e+21.
  return s.indexOf('e') >= 0 && s.indexOf('.') < 0 ? s.replace('e', '.0e') : s;
}

/** Objects with `toJSON` (e.g. Date) are written as JSON.stringify would see them. */
function plain(v: unknown): unknown {
  return v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function'
    ? (v as { toJSON(): unknown }).toJSON()
    : v;
}

/** A scalar, or undefined for a non-empty container. Strings here are single-line scalars. */
function scalar(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return scalarString(v);
    case 'number':
      return number(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null'; // as JSON.stringify does for array items
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
      for (const k in v) {
        // An object whose values are all undefined is written as an empty mapping.
        if (Object.prototype.hasOwnProperty.call(v, k) && (v as Record<string, unknown>)[k] !== undefined) return undefined;
      }
      return '{}';
    default:
      throw new TypeError(`cannot write a ${typeof v} as YAML`);
  }
}

/**
 * Appends the value that follows `key:` or `-` (already written) at nesting `n` and returns `out`.
 * `inline` means a non-empty container starts on the same line (after `- `) instead of the next one.
 */
function value(out: string, v: unknown, n: number, inline: boolean): string {
  if (typeof v === 'string') {
    if (v.indexOf('\n') >= 0 && isBlockable(v)) return out + block(v, n + 2);
    return out + ' ' + scalarString(v) + '\n';
  }
  v = plain(v);
  const s = scalar(v);
  if (s !== undefined) return out + ' ' + s + '\n';
  if (inline) out += ' ';
  else out += '\n';
  const first = inline ? '' : indent(n + 2);
  return Array.isArray(v) ? seq(out, v, n + 2, first) : map(out, v as Record<string, unknown>, n + 2, first);
}

/** Appends a non-empty block sequence at indent `n`; its first line starts with `first` instead of the indent. */
function seq(out: string, a: unknown[], n: number, first: string): string {
  const ind = indent(n);
  for (let i = 0; i < a.length; i++) {
    out = value(out + (i === 0 ? first : ind) + '-', a[i], n, true);
  }
  return out;
}

/** Appends a non-empty block mapping at indent `n`; its first line starts with `first` instead of the indent. */
function map(out: string, o: Record<string, unknown>, n: number, first: string): string {
  const ind = indent(n);
  let lead = first;
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const v = o[k];
    if (v === undefined) continue;
    const key = scalarString(k);
    if (key.length > MAX_IMPLICIT_KEY) out = value(out + lead + '? ' + key + '\n' + ind + ':', v, n, false);
    else out = value(out + lead + key + ':', v, n, false);
    lead = ind;
  }
  return out;
}

/** One YAML document for `doc`, ending with a newline. Throws on non-finite numbers and non-JSON values. */
export function toYaml(doc: unknown): string {
  doc = plain(doc);
  // A top-level literal block is indented too, so that no content line can read as `---` or `...`.
  if (typeof doc === 'string' && doc.indexOf('\n') >= 0 && isBlockable(doc)) return block(doc, 2).slice(1);
  const s = scalar(doc);
  if (s !== undefined) return s + '\n';
  return flat(Array.isArray(doc) ? seq('', doc, 0, '') : map('', doc as Record<string, unknown>, 0, ''));
}

/**
 * V8 keeps a string built with `+` as a rope (one node per concatenation, several times the size of
 * the text) until something reads its characters, which flattens it. Documents are held until a
 * whole synth is written, so each is flattened here: at 35k objects this saves ~75 MB of peak memory
 * and the garbage collector's time spent tracing the ropes.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** Several documents joined the way cdk8s joins them. */
export function toYamlStream(docs: unknown[]): string {
  return docs.map(toYaml).join('---\n');
}
