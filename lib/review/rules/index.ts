// Every review rule, in the order of the rule table.
import { BREAKING_RULES } from './breaking';
import { DATA_LOSS_RULES } from './data-loss';
import { INFO_RULES } from './info';
import { RISKY_RULES } from './risky';
import { Rule } from './rule';

export const ALL_RULES: Rule[] = [...BREAKING_RULES, ...DATA_LOSS_RULES, ...RISKY_RULES, ...INFO_RULES];

const BY_KIND = new Map<string, Rule[]>();
for (const r of ALL_RULES) {
  for (const gk of r.groupKinds) BY_KIND.set(gk, [...(BY_KIND.get(gk) ?? []), r]);
}

export function rulesFor(groupKind: string): Rule[] {
  return BY_KIND.get(groupKind) ?? [];
}

export const RULE_IDS = new Set(ALL_RULES.map((r) => r.id));
