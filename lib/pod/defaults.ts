import { IConstruct } from 'constructs';
import { OptOut } from '../core/opt-out';
import { ConstructState } from '../core/state';
import type { PodSecurity } from './security';
import { ContainerResourcesSpec, DEFAULT_RESOURCES } from './container';

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
  /**
   * Policy findings (Pod Security level, requests, image tags, token automount) on objects the
   * library did not create — cdk8s-plus, L1 `k8s` classes, `ApiObject`, `Include` — are errors, as
   * on the library's own. Otherwise they are warnings, unless the namespace they land in enforces
   * the Pod Security level (a `SecureNamespace`, a Namespace with the enforce label, or one declared
   * with `Validation.external(scope, { namespacePodSecurity })`).
   * @default false
   */
  readonly enforcePolicyEverywhere?: boolean;
  /**
   * Turns off the NetworkPolicy that StatefulService, WebService and NodeAgent create, for every
   * workload below the scope that does not set its own `networkPolicy` (set it before creating them);
   * the reason is written on each such workload's main object as `opt-out.cdk8s-patterns.io/network-policy`.
   * @default - every such workload gets a NetworkPolicy
   */
  readonly networkPolicies?: OptOut;
}

const own = new ConstructState<PatternDefaultsProps>();

/**
 * Defaults that every construct below a scope reads at synth, so they are visible and changeable in
 * one place (a Chart's settings override its App's).
 */
export class PatternDefaults {
  /** Sets defaults for every construct below `scope` (an App, a Chart or any construct). */
  public static set(scope: IConstruct, props: PatternDefaultsProps): void {
    own.set(scope, { ...(own.get(scope) ?? {}), ...props });
  }

  /** The defaults in force at `scope`, innermost setting first. */
  public static of(scope: IConstruct): PatternDefaultsProps {
    let merged: PatternDefaultsProps = {};
    for (const set of own.along(scope)) merged = { ...merged, ...set };
    return merged;
  }

  /**
   * The requests (and limits) a container that states none gets at `scope`: `containerResources`,
   * else `DEFAULT_RESOURCES`; undefined when the default is turned off.
   */
  public static containerResourcesOf(scope: IConstruct): ContainerResourcesSpec | undefined {
    const resources = PatternDefaults.of(scope).containerResources;
    return resources === false ? undefined : (resources ?? DEFAULT_RESOURCES);
  }
}
