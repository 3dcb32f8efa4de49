import { IConstruct } from 'constructs';
import { ConstructState } from '../core/state';
import { ValidationRule } from './rule';

/**
 * Things that exist in the cluster but not in the app, so references to them are not errors.
 * Each entry is a `name` (any namespace) or `namespace/name`.
 */
export interface ExternalObjects {
  /** ConfigMaps (pod volumes, `envFrom`, `env`). @default - none */
  readonly configMaps?: string[];
  /** Secrets (pod volumes, `envFrom`, `env`, `imagePullSecrets`). @default - none */
  readonly secrets?: string[];
  /** ServiceAccounts (pods, binding subjects; their API access is granted outside the app). @default - none */
  readonly serviceAccounts?: string[];
  /** Roles and ClusterRoles (binding `roleRef`s). @default - none */
  readonly roles?: string[];
  /**
   * Services that live outside the app (a StatefulSet's `serviceName` may name them), or Services of the
   * app whose pods are deployed outside it (their selectors are not matched against the app's pods).
   * @default - none
   */
  readonly services?: string[];
  /** Label sets of pods deployed outside the app; Services and PodDisruptionBudgets of the app may select them. @default - none */
  readonly podLabels?: Array<{ [key: string]: string }>;
}

/** What applies to one object: the rules turned off for it and what it may reference outside the app. */
export interface ObjectPolicy {
  /** Suppressed rule → reason. */
  readonly suppressed: ReadonlyMap<ValidationRule, string>;
  readonly external: ExternalSets;
}

/** `ExternalObjects` as sets, for O(1) look-ups. */
export interface ExternalSets {
  readonly configMaps: ReadonlySet<string>;
  readonly secrets: ReadonlySet<string>;
  readonly serviceAccounts: ReadonlySet<string>;
  readonly roles: ReadonlySet<string>;
  readonly services: ReadonlySet<string>;
  readonly podLabels: ReadonlyArray<{ [key: string]: string }>;
}

const suppressions = new ConstructState<Map<ValidationRule, string>>();
const externals = new ConstructState<ExternalObjects[]>();

/** Records that `rule` is off for the API objects below `scope`. */
export function addSuppression(scope: IConstruct, rule: ValidationRule, reason: string): void {
  suppressions.getOrCreate(scope, () => new Map()).set(rule, reason);
}

/** Records external objects the API objects below `scope` may reference. */
export function addExternal(scope: IConstruct, external: ExternalObjects): void {
  externals.getOrCreate(scope, () => []).push(external);
}

const EMPTY: ObjectPolicy = {
  suppressed: new Map(),
  external: { configMaps: new Set(), secrets: new Set(), serviceAccounts: new Set(), roles: new Set(), services: new Set(), podLabels: [] },
};

/**
 * Resolves the policy of constructs, each scope once: a construct without declarations of its own shares
 * its parent's policy object, so resolving every object of an app is O(constructs).
 */
export class PolicyResolver {
  private readonly cache = new Map<IConstruct, ObjectPolicy>();

  public of(c: IConstruct): ObjectPolicy {
    let found = this.cache.get(c);
    if (found) return found;
    const parent = c.node.scope ? this.of(c.node.scope) : EMPTY;
    const suppress = suppressions.get(c);
    const external = externals.get(c);
    found = suppress || external ? merge(parent, suppress, external) : parent;
    this.cache.set(c, found);
    return found;
  }
}

function merge(parent: ObjectPolicy, suppress?: Map<ValidationRule, string>, external: ExternalObjects[] = []): ObjectPolicy {
  const e = parent.external;
  const add = (base: ReadonlySet<string>, pick: (x: ExternalObjects) => string[] | undefined) => {
    const extra = external.flatMap((x) => pick(x) ?? []);
    return extra.length > 0 ? new Set([...base, ...extra]) : base;
  };
  return {
    suppressed: suppress ? new Map([...parent.suppressed, ...suppress]) : parent.suppressed,
    external: {
      configMaps: add(e.configMaps, (x) => x.configMaps),
      secrets: add(e.secrets, (x) => x.secrets),
      serviceAccounts: add(e.serviceAccounts, (x) => x.serviceAccounts),
      roles: add(e.roles, (x) => x.roles),
      services: add(e.services, (x) => x.services),
      podLabels: [...e.podLabels, ...external.flatMap((x) => x.podLabels ?? [])],
    },
  };
}

/** Whether `name` in `namespace` is declared in `set` (as `name` or `namespace/name`). */
export function isDeclared(set: ReadonlySet<string>, namespace: string, name: string): boolean {
  return set.size > 0 && (set.has(name) || set.has(`${namespace}/${name}`));
}
