import { at } from '../json-path';

/** One schema violation: `path` is a JSON path in the manifest (`spec.template.spec.containers[0].image`). */
export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * The state of one validation run: where the walk is and what it found. The path is kept as a stack of
 * segments and rendered only when a problem is reported, so a valid object costs nothing but the pushes.
 */
export class SchemaWalk {
  /** Keys and indexes from the root to the value being checked. */
  public readonly stack: Array<string | number> = [];
  /** null until the first problem: most objects are valid, so most runs allocate no list. */
  public problems: SchemaProblem[] | null = null;

  /** `prefix` starts every reported path (`items[3]` for an object inside a List). */
  public constructor(private readonly prefix = '') {}

  /** Renders the current stack: `a.b[0].c`; keys that are not identifiers use `["app.kubernetes.io/name"]`. */
  public path(): string {
    return this.stack.reduce<string>(at, this.prefix);
  }

  public report(message: string): void {
    (this.problems ??= []).push({ path: this.path(), message });
  }

  /** Reports at a child key of the current value (a missing or unknown field). */
  public reportAt(key: string, message: string): void {
    this.stack.push(key);
    this.report(message);
    this.stack.pop();
  }

  /** The problems found, empty when none. */
  public result(): SchemaProblem[] {
    return this.problems ?? [];
  }
}
