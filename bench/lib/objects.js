// Reads every Kubernetes object a tool wrote, for the equality check: all YAML documents of all
// files in a folder, parsed as kubectl reads them (YAML 1.1), each as canonical JSON (keys sorted).
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

/** JSON with object keys sorted at every level, so equal objects give equal strings. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Parsed files by content: tools that write byte-identical files are parsed once. */
const parsed = new Map();
const CACHE_CHARS = 256 * 2 ** 20;
let cachedChars = 0;

/** The objects of one YAML stream, as canonical strings. */
function parseStream(text, file) {
  let objects = parsed.get(text);
  if (objects) return objects;
  objects = [];
  for (const doc of YAML.parseAllDocuments(text, { version: '1.1' })) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const obj = doc.toJS({ maxAliasCount: -1 });
    if (obj !== null && obj !== undefined) objects.push(canonical(obj));
  }
  if (cachedChars + text.length > CACHE_CHARS) {
    parsed.clear();
    cachedChars = 0;
  }
  parsed.set(text, objects);
  cachedChars += text.length;
  return objects;
}

/** The objects in the YAML files of `dir` (sub-folders included), as sorted canonical strings. */
function readObjects(dir) {
  const out = [];
  const visit = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (/\.ya?ml$/.test(entry.name)) out.push(...parseStream(fs.readFileSync(file, 'utf8'), file));
    }
  };
  visit(dir);
  return out.sort();
}

/** Undefined when both lists hold the same objects, else a description of the first difference. */
function difference(expected, actual) {
  if (expected.length !== actual.length) return `${actual.length} objects, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] !== actual[i]) return `object differs:\n  expected ${expected[i]}\n  got      ${actual[i]}`;
  }
  return undefined;
}

module.exports = { canonical, readObjects, difference };
