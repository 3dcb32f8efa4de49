import { IConstruct } from 'constructs';

/**
 * State of one kind that this library keeps on constructs (defaults, declared versions, checks,
 * transforms...). One typed slot per concern instead of symbol keys hung on constructs through `any`;
 * a WeakMap, so the state goes when the construct tree does.
 */
export class ConstructState<T> {
  private readonly values = new WeakMap<IConstruct, T>();

  /** The value set on `scope` itself, if any. */
  public get(scope: IConstruct): T | undefined {
    return this.values.get(scope);
  }

  /** Sets the value of `scope`. */
  public set(scope: IConstruct, value: T): void {
    this.values.set(scope, value);
  }

  /** The value of `scope`, created with `init` on first use. */
  public getOrCreate(scope: IConstruct, init: () => T): T {
    let value = this.values.get(scope);
    if (value === undefined) {
      value = init();
      this.values.set(scope, value);
    }
    return value;
  }

  /** The value set on `scope` or, failing that, on the nearest scope above it. */
  public nearest(scope: IConstruct): T | undefined {
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      const v = this.values.get(s);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** The values set on `scope` and on the scopes above it, outermost first. */
  public along(scope: IConstruct): T[] {
    // walks up without building the list of scopes (asked for every object of a synth)
    const out: T[] = [];
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      const v = this.values.get(s);
      if (v !== undefined) out.unshift(v);
    }
    return out;
  }
}
