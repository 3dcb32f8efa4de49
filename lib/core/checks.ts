import { IConstruct } from 'constructs';
import { PatternError, Problem } from './errors';
import { installPipeline } from './pipeline';

const CHECKS = Symbol.for('cdk8s-patterns.constructChecks');

/**
 * Registers checks that run at synth, when the construct's state is final (containers may be added
 * after construction). They run on `PatternsApp.synth()`, and through a validation on the App (which
 * cdk8s runs first) on a plain App's `synth()` and in `Testing.synth()`; every problem of the app is
 * reported in one `PatternError`.
 */
export function addChecks(scope: IConstruct, check: () => Problem[]): void {
  const holder = scope as any;
  (holder[CHECKS] ??= []).push(check);
  installPipeline(scope);
}

let running = false;

/** Runs every construct's checks and other validations below `root`; throws one `PatternError` listing all. */
export function checkConstructs(root: IConstruct): void {
  if (running) return; // the App's own validation calls back into here
  running = true;
  const problems: Problem[] = [];
  try {
    for (const c of root.node.findAll()) {
      for (const check of (c as any)[CHECKS] ?? []) {
        try {
          problems.push(...check());
        } catch (e) {
          // a check that trips over input its types do not allow (untyped JavaScript) still names the construct
          if (e instanceof PatternError) problems.push(...e.problems);
          else problems.push({ path: c.node.path || '<app>', field: '-', rule: `cannot check this construct: ${(e as Error)?.message ?? e}`, ruleId: 'input', hint: 'check the types of the values given to it' });
        }
      }
      for (const message of c.node.validate()) {
        problems.push({ path: c.node.path || '<app>', field: '-', rule: message });
      }
    }
  } finally {
    running = false;
  }
  if (problems.length > 0) {
    throw new PatternError(problems);
  }
}
