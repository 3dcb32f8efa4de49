// Runs the TypeScript apps without a type-check: each .ts file is transpiled once with
// TypeScript's transpileModule and cached by content hash, so a warm synth never loads the compiler.
// Type errors are caught by `npm test` (tsc --noEmit), not on the synth path.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'cdk8s-patterns-ts');
const OPTIONS = { module: 1 /* CommonJS */, target: 7 /* ES2020 */, esModuleInterop: true, sourceMap: false, inlineSourceMap: true };
let ts;

/** Transpiles one TypeScript source to CommonJS JavaScript (no type-check). */
function compile(source, filename) {
  ts = ts || require('typescript');
  return ts.transpileModule(source, { compilerOptions: OPTIONS, fileName: filename }).outputText;
}

function cachedCompile(source, filename) {
  const key = crypto.createHash('sha1').update(JSON.stringify(OPTIONS)).update(filename).update(source).digest('hex');
  const file = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const out = compile(source, filename);
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out);
    fs.renameSync(tmp, file);
    return out;
  }
}

function register() {
  require.extensions['.ts'] = (module, filename) => {
    module._compile(cachedCompile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
}

module.exports = { compile, register };
