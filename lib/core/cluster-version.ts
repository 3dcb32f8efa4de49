import { IConstruct } from 'constructs';
import { fail } from './errors';
import { ConstructState } from './state';

const declared = new ConstructState<string>();
const VERSION = /^1\.(\d{1,2})$/;
/** The versions the library has a schema for (lib/validation/schema: k8s-1.27.json from cdk8s-plus-27, and 1.13). */
const SUPPORTED: readonly string[] = ['1.27', '1.13'];

/**
 * The Kubernetes version the objects below a scope are written for. Everything targets 1.27 unless
 * an App or Chart declares otherwise; APIs removed since (InitializerConfiguration, removed in 1.14)
 * are only emitted for a chart that declares an old enough cluster, and APIs added later are refused
 * for it. Only versions the library has a schema for can be declared (`ClusterVersion.SUPPORTED`):
 * objects are checked against that version's schema, so declaring another one would change nothing.
 */
export class ClusterVersion {
  /** The version assumed when none is declared. */
  public static readonly DEFAULT = '1.27';

  /** The versions that can be declared: those the library has a schema for (1.27, the version of cdk8s-plus-27, and 1.13). */
  public static supported(): string[] {
    return [...SUPPORTED];
  }

  /** Declares the `major.minor` version (`'1.13'`) of the cluster that the objects below `scope` are applied to. */
  public static declare(scope: IConstruct, version: string): void {
    if (typeof version !== 'string' || !VERSION.test(version)) {
      fail(scope, 'clusterVersion', `"${version}" is not a Kubernetes version of the form 1.<minor> (e.g. "1.13")`);
    }
    if (!SUPPORTED.includes(version)) {
      fail(
        scope,
        'clusterVersion',
        `Kubernetes ${version} is not supported: the library has no schema for it, so objects could not be checked against it`,
        `declare one of ${SUPPORTED.join(', ')} (1.27 is the version of cdk8s-plus-27; a newer cluster serves the 1.27 APIs this library writes, so leave the default)`,
      );
    }
    declared.set(scope, version);
  }

  /** The version in force at `scope`: the innermost declaration, else `ClusterVersion.DEFAULT`. */
  public static of(scope: IConstruct): string {
    return declared.nearest(scope) ?? ClusterVersion.DEFAULT;
  }

  /** The minor version in force at `scope` (13 for "1.13"). */
  public static minorOf(scope: IConstruct): number {
    return Number(VERSION.exec(ClusterVersion.of(scope))![1]);
  }

  private constructor() {}
}
