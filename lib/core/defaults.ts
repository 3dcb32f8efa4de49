import { IConstruct } from 'constructs';
import type { PodSecurity } from '../pod/security';
import { ContainerResourcesSpec, DEFAULT_RESOURCES } from '../pod/container';

/** Library-wide defaults; set them once on an App or Chart with `PatternDefaults.set`. */
export interface PatternDefaultsProps {
  /**
   * Requests (and limits) given to every container that states none of its own.
   * `false` turns the default off.
   * @default - requests of cpu 100m and memory 128Mi, no limits
   */
  readonly containerResources?: ContainerResourcesSpec | false;
  /**
   * Pod Security level of pod templates that do not choose one.
   * @default PodSecurity.restricted()
   */
  readonly podSecurity?: PodSecurity;
  /**
   * Accept images without a tag or with the `latest` tag.
   * @default false
   */
  readonly allowLatestTag?: boolean;
}

const KEY = Symbol.for('cdk8s-patterns.defaults');

/**
 * Defaults that every construct below a scope reads at synth, so they are visible and changeable in
 * one place (a Chart's settings override its App's).
 */
export class PatternDefaults {
  /** Sets defaults for every construct below `scope` (an App, a Chart or any construct). */
  public static set(scope: IConstruct, props: PatternDefaultsProps): void {
    const holder = scope as any;
    holder[KEY] = { ...(holder[KEY] ?? {}), ...props };
  }

  /** The defaults in force at `scope`, innermost setting first. */
  public static of(scope: IConstruct): PatternDefaultsProps {
    let merged: PatternDefaultsProps = {};
    for (const s of scope.node.scopes) {
      const own = (s as any)[KEY];
      if (own) merged = { ...merged, ...own };
    }
    return merged;
  }

  /**
   * The requests (and limits) a container that states none gets at `scope`: `containerResources`,
   * else `DEFAULT_RESOURCES`; undefined when the default is turned off.
   */
  public static containerResourcesOf(scope: IConstruct): ContainerResourcesSpec | undefined {
    const resources = PatternDefaults.of(scope).containerResources;
    return resources === false ? undefined : resources ?? DEFAULT_RESOURCES;
  }
}
