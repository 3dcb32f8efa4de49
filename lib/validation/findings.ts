import { Problem } from '../core/errors';
import type { K8sVersion } from './schema/table';
import type { ObjectInfo, ValidationContext } from './context';
import { ValidationRule } from './rule';

/** Reports one problem of an object: `field` is a JSON path in its manifest. */
export type Report = (o: ObjectInfo, rule: ValidationRule, field: string, message: string, hint?: string) => void;

/** What every rule gets. */
export interface RuleInput {
  readonly ctx: ValidationContext;
  readonly report: Report;
  /** Kubernetes version whose schema applies to every object; by default each chart's `ClusterVersion`. */
  readonly version?: K8sVersion;
  /** Unknown kinds are errors, not warnings. */
  readonly strict: boolean;
  /** Records a warning on an object. */
  readonly warn: (o: ObjectInfo, message: string) => void;
}

/** A rule: walks the context and reports what it finds. */
export type RuleCheck = (input: RuleInput) => void;

/** Collects problems, drops those of rules suppressed for their object, and returns them in output order. */
export class Findings {
  private readonly found: Array<{ readonly index: number; readonly problem: Problem }> = [];

  /** Problems of rules suppressed for their object: not reported, but a construct check's copy of them is dropped too. */
  public readonly suppressed: Problem[] = [];

  /** `index|field` of every schema problem: another rule's problem at the same field is the same fault. */
  private readonly schemaFields = new Set<string>();

  public readonly report: Report = (o, rule, field, message, hint) => {
    const problem = { path: o.obj.node.path, object: o.ref, field: field || '(object)', rule: message, hint, ruleId: rule };
    if (o.policy.suppressed.has(rule)) {
      this.suppressed.push(problem);
      return;
    }
    // the schema rule runs first; a wrong type or value it found is not reported again by a later rule
    const key = `${o.index}|${problem.field}`;
    if (rule === ValidationRule.SCHEMA) this.schemaFields.add(key);
    else if (this.schemaFields.has(key)) return;
    this.found.push({ index: o.index, problem });
  };

  /** Every problem, ordered by object (stable: within an object, in the order the rules found them). */
  public problems(): Problem[] {
    return [...this.found].sort((a, b) => a.index - b.index).map((f) => f.problem);
  }
}
