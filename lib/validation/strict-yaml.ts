import * as fs from 'fs';
import { Yaml } from 'cdk8s';
import { PatternError, Problem } from '../core/errors';
import { ValidationRule } from './rule';

const URL_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
let installed = false;

/**
 * Makes cdk8s's `Yaml.load` (what `Include` reads files with) strict for local files: cdk8s parses with
 * the `yaml` package and ignores its errors, so an unclosed quote or a duplicate key became a silently
 * different object. Now every syntax error and duplicate key of the file is a `PatternError` at
 * construction, naming the file, line and column (`include-yaml`). URLs are read as before (cdk8s
 * fetches them in a child process). Installed once, when this library is loaded.
 */
export function installStrictYamlLoad(): void {
  if (installed) return;
  installed = true;
  const original = Yaml.load;
  Yaml.load = function strictLoad(urlOrFile: string): any[] {
    if (typeof urlOrFile === 'string' && !URL_RE.test(urlOrFile) && fs.existsSync(urlOrFile)) {
      const problems = yamlProblems(fs.readFileSync(urlOrFile, 'utf8'), urlOrFile);
      if (problems.length > 0) throw new PatternError(problems);
    }
    return original.call(Yaml, urlOrFile);
  };
}

/** The syntax errors and duplicate keys of a YAML stream, parsed as cdk8s parses it (YAML 1.1), one problem each. */
export function yamlProblems(body: string, file: string): Problem[] {
  const problems: Problem[] = [];
  // loaded on first use: most apps include no YAML, and loading the parser costs start-up time
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof import('yaml');
  for (const doc of parseAllDocuments(body, { version: '1.1', uniqueKeys: true, prettyErrors: true })) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
      const duplicate = e.code === 'DUPLICATE_KEY';
      problems.push({
        path: `<Include ${file}>`,
        field: pos ? `line ${pos.line}, column ${pos.col}` : 'url',
        rule: `${where}: ${duplicate ? 'duplicate key: the API server rejects a map with a key twice' : e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
        hint: duplicate ? 'remove one of the two keys' : 'fix the YAML syntax (kubectl would refuse this file too)',
        ruleId: ValidationRule.INCLUDE_YAML,
      });
    }
  }
  return problems;
}
