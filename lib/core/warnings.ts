import { IConstruct } from 'constructs';

/** Construct metadata type of the warnings this library records (`node.metadata`). */
export const WARNING_METADATA = 'cdk8s-patterns:warning';

/** One warning: where and what. */
export interface Warning {
  /** Construct path of the construct it concerns. */
  readonly path: string;
  /** The warning. */
  readonly message: string;
}

/**
 * Warnings are construct metadata, never console output: the user decides where they go
 * (`PatternsApp` hands them to its logger; tests read them with `Warnings.of`).
 */
export class Warnings {
  /** Records `message` on `scope` (once). */
  public static add(scope: IConstruct, message: string): void {
    if (scope.node.metadata.some((m) => m.type === WARNING_METADATA && m.data === message)) return;
    scope.node.addMetadata(WARNING_METADATA, message);
  }

  /** Every warning recorded at or below `scope`, in construct order. */
  public static of(scope: IConstruct): Warning[] {
    return scope.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata.filter((m) => m.type === WARNING_METADATA).map((m) => ({ path: c.node.path || '<app>', message: String(m.data) })),
      );
  }

  private constructor() {}
}
