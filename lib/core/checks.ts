import { IConstruct } from 'constructs';
import { formatProblem, PatternError, Problem } from './errors';

const CHECKS = Symbol.for('cdk8s-patterns.constructChecks');
let structured = false;

/**
 * Registers checks that run at synth, when the construct's state is final (containers may be added
 * after construction). Under a plain cdk8s App they run as construct validations (cdk8s lists the
 * messages); `PatternsApp` collects them as structured problems into one `PatternError`.
 */
export function addChecks(scope: IConstruct, check: () => Problem[]): void {
  const holder = scope as any;
  (holder[CHECKS] ??= []).push(check);
  scope.node.addValidation({
    validate: () => (structured ? [] : check().map((p) => formatProblem(p).replace(`[${p.path}] `, ''))),
  });
}

/** Runs every construct's checks and other validations; throws one `PatternError` listing all. */
export function checkConstructs(root: IConstruct): void {
  const problems: Problem[] = [];
  structured = true;
  try {
    for (const c of root.node.findAll()) {
      for (const check of (c as any)[CHECKS] ?? []) {
        problems.push(...check());
      }
      for (const message of c.node.validate()) {
        problems.push({ path: c.node.path || '<app>', field: '-', rule: message });
      }
    }
  } finally {
    structured = false;
  }
  if (problems.length > 0) {
    throw new PatternError(problems);
  }
}
