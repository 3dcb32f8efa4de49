import { IConstruct } from 'constructs';
import { ConstructState } from './state';

/**
 * One problem found in the user's input or in the synthesized output.
 */
export interface Problem {
  /**
   * Construct path of the construct (or API object) at fault; `<InitStep.waitForService>` (a function
   * name in angle brackets) for a function called outside any construct (see `failOutsideConstruct`).
   */
  readonly path: string;
  /** `Kind/name` of the Kubernetes object concerned, when there is one. */
  readonly object?: string;
  /** The field at fault: a prop name (`replicas`) or a JSON path in the manifest (`spec.template.spec.containers[0].image`). */
  readonly field: string;
  /** The rule that was broken, in plain words. */
  readonly rule: string;
  /** How to fix it. */
  readonly hint?: string;
  /** Stable identifier of the rule, used to turn it off for one object (see `Validation.suppress`). */
  readonly ruleId?: string;
}

/** Renders a problem as one line: `path: Kind/name: field: rule (hint: ...)`. */
export function formatProblem(p: Problem): string {
  const object = p.object ? ` ${p.object}` : '';
  const id = p.ruleId ? ` [${p.ruleId}]` : '';
  const hint = p.hint ? ` (hint: ${p.hint})` : '';
  return `[${p.path}]${object} ${p.field}: ${p.rule}${id}${hint}`;
}

/**
 * The one error type of this library: thrown for bad input at construction time and for every
 * problem found at synth time. `problems` lists each finding; the message lists them all.
 * TypeScript only: in other languages the error arrives with its message (the same lines).
 * @jsii ignore
 */
export class PatternError extends Error {
  /** Every problem found, in a stable order. */
  public readonly problems: Problem[];

  constructor(problems: Problem[]) {
    const lines = problems.map(formatProblem);
    super(problems.length === 1 ? lines[0] : `${problems.length} problems:\n  ${lines.join('\n  ')}`);
    this.name = 'PatternError';
    this.problems = problems;
  }
}

/** Details of a problem, without the construct path. */
export interface ProblemDetails {
  readonly field: string;
  readonly rule: string;
  readonly hint?: string;
  readonly object?: string;
  readonly ruleId?: string;
}

/**
 * The rule id of a problem in a construct's props (found at construction, or by the construct's own
 * checks at synth) that names no rule of its own. Not suppressible: fix the props.
 */
export const PROPS_RULE = 'props';

/** `Kind/name` of the object a construct stands for (its main API object), once it is known. */
const objectRefs = new ConstructState<string>();

/**
 * Records that problems at `scope` (and below it) concern the object `Kind/name`: constructs call it as
 * soon as they know their name, so that problems found at construction name the object too.
 */
export function recordObjectRef(scope: IConstruct, kind: string, name: string): void {
  objectRefs.set(scope, `${kind}/${name}`);
}

/** Builds a problem located at a construct (rule id `props` unless given; the object it stands for, when known). */
export function problemAt(scope: IConstruct, details: ProblemDetails): Problem {
  return { path: scope.node.path, ...details, object: details.object ?? objectRefs.nearest(scope), ruleId: details.ruleId ?? PROPS_RULE };
}

/** Throws a `PatternError` for one problem at `scope`. */
export function fail(scope: IConstruct, field: string, rule: string, hint?: string): never {
  throw new PatternError([problemAt(scope, { field, rule, hint })]);
}

/**
 * Throws a `PatternError` for bad input to a function called outside any construct (a static factory
 * such as `InitStep.waitForService`): the path is the function's name in angle brackets, which no
 * construct path can be.
 */
export function failOutsideConstruct(where: string, field: string, rule: string, hint?: string): never {
  throw new PatternError([{ path: `<${where}>`, field, rule, hint, ruleId: PROPS_RULE }]);
}

/** Throws one `PatternError` listing every problem, if there are any. */
export function throwIfAny(problems: Problem[]): void {
  if (problems.length > 0) {
    throw new PatternError(problems);
  }
}

/**
 * The problems of a synth with each fault once. When an app-wide rule reports the same fault as a
 * construct check, for an object below that construct (the same message, or a JSON path ending in the
 * construct's field: `containers[1].image` and `spec.template.spec.containers[1].image`), one problem
 * is kept: the construct's (its field is the prop the user wrote), with the app-wide rule's id, object
 * and hint where it has none. `suppressed` are the app-wide problems `Validation.suppress` turned off:
 * the construct's copy of one of them is dropped, so the suppression silences the fault wherever it
 * is checked.
 */
export function withoutDuplicates(constructProblems: Problem[], appProblems: Problem[], suppressed: Problem[] = []): Problem[] {
  if (constructProblems.length === 0 || appProblems.length + suppressed.length === 0) return [...constructProblems, ...appProblems];
  const byOwner = new Map<string, Problem[]>();
  for (const p of [...appProblems, ...suppressed]) {
    const segments = p.path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const owner = segments.slice(0, i).join('/');
      const list = byOwner.get(owner);
      if (list) list.push(p);
      else byOwner.set(owner, [p]);
    }
  }
  const merged = new Set<Problem>();
  const silenced = new Set(suppressed);
  const kept: Problem[] = [];
  for (const q of constructProblems) {
    // an app-wide problem not merged yet first: two construct problems with one wording are two faults
    const candidates = (byOwner.get(q.path) ?? []).filter(
      (p) => p.rule === q.rule || p.field === q.field || p.field.endsWith(`.${q.field}`),
    );
    const same = candidates.find((p) => !merged.has(p)) ?? candidates[0];
    if (!same) {
      kept.push(q);
    } else if (!silenced.has(same)) {
      merged.add(same);
      kept.push({
        ...q,
        object: same.object ?? q.object,
        ruleId: q.ruleId && q.ruleId !== PROPS_RULE ? q.ruleId : same.ruleId,
        hint: q.hint ?? same.hint,
      });
    }
  }
  return [...kept, ...appProblems.filter((p) => !merged.has(p))];
}
