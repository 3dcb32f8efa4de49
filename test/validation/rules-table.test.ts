import * as fs from 'fs';
import { ValidationRule } from '../../lib';
import { renderRulesTable, RULE_DOCS } from '../../lib/validation/rule-docs';
import { RULES_FILE } from '../../scripts/generate-rules';

test('every rule has a row: what, why, source', () => {
  for (const id of Object.values(ValidationRule)) {
    const d = RULE_DOCS[id as ValidationRule];
    expect([id, !!d?.what, !!d?.why, !!d?.source]).toEqual([id, true, true, true]);
  }
});

test('docs/RULES.md is fresh (regenerate with npm run gen:rules)', () => {
  expect(fs.readFileSync(RULES_FILE, 'utf8')).toBe(renderRulesTable());
});
