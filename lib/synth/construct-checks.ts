import { IConstruct } from 'constructs';
import { PatternError, Problem, PROPS_RULE } from '../core/errors';
import { Registry } from '../core/registry';

/**
 * Runs every construct's registered checks and other validations (`node.addValidation`) below `root`;
 * throws one `PatternError` listing all.
 */
export function checkConstructs(root: IConstruct): void {
  const problems: Problem[] = [];
  for (const c of root.node.findAll()) {
    for (const check of Registry.checksOf(c)) {
      try {
        for (const p of check()) problems.push(p.ruleId ? p : { ...p, ruleId: PROPS_RULE });
      } catch (e) {
        // a check that trips over input its types do not allow (untyped JavaScript) still names the construct
        if (e instanceof PatternError) problems.push(...e.problems);
        else
          problems.push({
            path: c.node.path || '<app>',
            field: '-',
            rule: `cannot check this construct: ${(e as Error)?.message ?? e}`,
            ruleId: 'input',
            hint: 'check the types of the values given to it',
          });
      }
    }
    for (const message of c.node.validate()) {
      problems.push({ path: c.node.path || '<app>', field: '-', rule: message, ruleId: PROPS_RULE });
    }
  }
  if (problems.length > 0) {
    throw new PatternError(problems);
  }
}
