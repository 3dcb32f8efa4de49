import { IConstruct } from 'constructs';
import { fail } from './errors';
import { ConstructState } from './state';

const declared = new ConstructState<string>();
const VERSION = /^1\.(\d{1,2})$/;

/**
 * The Kubernetes version the objects below a scope are written for. Everything targets 1.27 unless
 * an App or Chart declares otherwise; APIs removed since (InitializerConfiguration, removed in 1.14)
 * are only emitted for a chart that declares an old enough cluster, and APIs added later are refused
 * for it.
 */
export class ClusterVersion {
  /** The version assumed when none is declared. */
  public static readonly DEFAULT = '1.27';

  /** Declares the `major.minor` version (`'1.13'`) of the cluster that the objects below `scope` are applied to. */
  public static declare(scope: IConstruct, version: string): void {
    if (typeof version !== 'string' || !VERSION.test(version)) {
      fail(scope, 'clusterVersion', `"${version}" is not a Kubernetes version of the form 1.<minor> (e.g. "1.13")`);
    }
    declared.set(scope, version);
  }

  /** The version in force at `scope`: the innermost declaration, else `ClusterVersion.DEFAULT`. */
  public static of(scope: IConstruct): string {
    const found = declared.along(scope);
    return found[found.length - 1] ?? ClusterVersion.DEFAULT;
  }

  /** The minor version in force at `scope` (13 for "1.13"). */
  public static minorOf(scope: IConstruct): number {
    return Number(VERSION.exec(ClusterVersion.of(scope))![1]);
  }

  private constructor() {}
}
