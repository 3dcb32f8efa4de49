import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { isPlainRendered } from '../core/manifest';
import { ConstructState } from '../core/state';
import { Warnings } from '../core/warnings';
import { PatternDefaults } from '../pod/defaults';
import { isPodSecurityLevel, PodSecurityLevel } from '../pod/security';
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
  /**
   * Namespaces that exist outside the app and the Pod Security level they enforce (their
   * `pod-security.kubernetes.io/enforce` label), by namespace name. Objects the library did not create
   * that land there and break that level are errors, as the API server would reject their pods
   * (see README, "Coexistence with cdk8s-plus").
   * @default - none
   */
  readonly namespacePodSecurity?: { [namespace: string]: PodSecurityLevel };
  /**
   * Custom resource kinds whose CustomResourceDefinition is installed outside the app, as an API group
   * (`monitoring.coreos.com`) or `group/kind` (`monitoring.coreos.com/ServiceMonitor`). Objects of them
   * are not reported as unknown kinds, even in strict mode (they are not validated either: their
   * schema is not in the app). Built-in groups cannot be declared: a kind there must exist.
   * @default - none
   */
  readonly kinds?: string[];
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
  readonly namespacePodSecurity: ReadonlyMap<string, PodSecurityLevel>;
  readonly kinds: ReadonlySet<string>;
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
  external: {
    configMaps: new Set(),
    secrets: new Set(),
    serviceAccounts: new Set(),
    roles: new Set(),
    services: new Set(),
    podLabels: [],
    namespacePodSecurity: new Map(),
    kinds: new Set(),
  },
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
      namespacePodSecurity: addLevels(e.namespacePodSecurity, external),
      kinds: add(e.kinds, (x) => x.kinds),
    },
  };
}

function addLevels(base: ReadonlyMap<string, PodSecurityLevel>, external: ExternalObjects[]): ReadonlyMap<string, PodSecurityLevel> {
  const extra = external.flatMap((x) => Object.entries(x.namespacePodSecurity ?? {}));
  if (extra.length === 0) return base;
  const merged = new Map(base);
  for (const [ns, level] of extra) if (isPodSecurityLevel(level)) merged.set(ns, level);
  return merged;
}

/** Whether `name` in `namespace` is declared in `set` (as `name` or `namespace/name`). */
export function isDeclared(set: ReadonlySet<string>, namespace: string, name: string): boolean {
  return set.size > 0 && (set.has(name) || set.has(`${namespace}/${name}`));
}

// ---------------------------------------------------------------------------------------------
// Coexistence: the severity of policy findings (README, "Coexistence with cdk8s-plus").
//
// Schema and API-server checks are errors for every object. Policy findings — Pod Security level,
// requests, image tags, token automount — are errors on the objects this library created (every one
// renders through `Manifest` or the RBAC classes) and warnings on the others (cdk8s-plus, L1 `k8s`
// classes, raw `ApiObject`s, `Include`d YAML), unless the namespace they land in enforces the level
// (then the API server would reject them, and it stays an error) or `PatternDefaults`
// `enforcePolicyEverywhere` is set at the object.

/** What a policy rule needs of an object (structurally, so this file does not import the context). */
export interface PolicySubject {
  readonly obj: ApiObject;
  readonly ref: string;
  readonly policy: ObjectPolicy;
}

/** Whether policy findings on `obj` are errors: ours, or `enforcePolicyEverywhere` in force at it. */
export function enforcesPolicy(obj: ApiObject): boolean {
  return isPlainRendered(obj) || PatternDefaults.of(obj).enforcePolicyEverywhere === true;
}

/** Whether `obj` is the API object of a cdk8s-plus workload (it has `podMetadata`), for hints that work on it. */
export function isPlusWorkload(obj: ApiObject): boolean {
  const owner = obj.node.scope as any;
  return !!owner && owner.apiObject === obj && typeof owner.podMetadata?.addAnnotation === 'function';
}

/** Reports a policy finding: an error when `asError`, else a warning on the object (unless the rule is suppressed for it). */
export function reportPolicyFinding(
  report: (o: any, rule: ValidationRule, field: string, message: string, hint?: string) => void,
  o: PolicySubject,
  asError: boolean,
  rule: ValidationRule,
  field: string,
  message: string,
  hint?: string,
): void {
  if (asError) return report(o, rule, field, message, hint);
  if (o.policy.suppressed.has(rule)) return;
  Warnings.add(
    o.obj,
    `[${rule}] ${o.ref} ${field || '(object)'}: ${message}${hint ? ` (${hint})` : ''}; a warning, not an error, because the library did not create this object (PatternDefaults enforcePolicyEverywhere makes it an error)`,
  );
}
