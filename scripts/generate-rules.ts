/**
 * Writes docs/RULES.md, the rules table, from `RULE_DOCS` (lib/validation/rule-docs.ts). Run
 * `npm run gen:rules`; test/validation/rules-table.test.ts checks the file is fresh.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderRulesTable } from '../lib/validation/rule-docs';

export const RULES_FILE = path.join(__dirname, '..', 'docs', 'RULES.md');

export function main(): void {
  fs.writeFileSync(RULES_FILE, renderRulesTable());
  console.log(`wrote ${path.relative(process.cwd(), RULES_FILE)}`);
}
