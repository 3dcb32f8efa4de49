import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, Problem } from '../core/errors';
import { addAppCheck, addTransform, RenderedObject } from '../core/pipeline';
import type { K8sVersion } from './schema/validator';
import { ValidationContext } from './context';
import { Findings, RuleCheck } from './findings';
import { NOISE_FILTER } from './noise';
import { addExternal, addSuppression, ExternalObjects } from './policy';
import { isValidationRule, ValidationRule } from './rule';
import { checkBindingRefs } from './rules/binding-refs';
import { checkConfigRefs } from './rules/config-refs';
import { checkContainers } from './rules/containers';
import { checkDuplicates } from './rules/duplicates';
import { checkLabels } from './rules/labels';
import { checkMounts } from './rules/mounts';
import { checkNames } from './rules/names';
import { checkBudgetSelectors } from './rules/pdb-selector';
import { checkPodSecurity } from './rules/pod-security';
import { checkPodSpecs } from './rules/pod-spec';
import { checkSchema } from './rules/schema';
import { checkServiceAccounts, checkTokenAutomount } from './rules/service-account';
import { checkServiceSelectors } from './rules/service-selector';
import { checkStatefulSetServices } from './rules/sts-service';
import { checkWorkloadSelectors } from './rules/workload-selector';

/** Options of `Validation.enable`. */
export interface ValidationOptions {
  /**
   * Objects of a kind with no schema (no built-in kind, no CustomResourceDefinition in the app) are
   * errors. Otherwise each such apiVersion/kind is reported once, as a warning on stderr.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * The Kubernetes version whose schema every object must match.
   * @default - the `ClusterVersion` each chart declares (1.27 unless declared; 1.13 and 1.27 have schemas)
   */
  readonly k8sVersion?: K8sVersion;
}

/** The rules, in the order they run (problems of one object keep this order). */
const RULES: readonly RuleCheck[] = [
  checkSchema, checkDuplicates, checkNames, checkLabels, checkWorkloadSelectors, checkServiceSelectors, checkStatefulSetServices,
  checkMounts, checkPodSpecs, checkConfigRefs, checkServiceAccounts, checkBindingRefs, checkBudgetSelectors, checkPodSecurity,
  checkContainers, checkTokenAutomount,
];

const VERSIONS: readonly K8sVersion[] = ['1.27', '1.13'];
const OPTIONS = Symbol.for('cdk8s-patterns.validation.options');
const ENABLED = Symbol.for('cdk8s-patterns.validation.enabled');
const WARNED = Symbol.for('cdk8s-patterns.validation.warned');

/**
 * Validates the rendered objects of `app` with every rule and returns the problems found, in output order.
 * Warnings (unknown kinds, when not strict) go to stderr, once per app and apiVersion/kind.
 */
export function validateObjects(app: App, objects: readonly RenderedObject[]): Problem[] {
  const options: ValidationOptions = (app as any)[OPTIONS] ?? {};
  const warned: Set<string> = ((app as any)[WARNED] ??= new Set());
  const findings = new Findings();
  const input = {
    ctx: new ValidationContext(objects),
    report: findings.report,
    version: options.k8sVersion,
    strict: options.strict ?? false,
    warn: (key: string, message: string) => {
      if (warned.has(key)) return;
      warned.add(key);
      console.warn(`cdk8s-patterns: warning: ${message}`);
    },
  };
  for (const rule of RULES) rule(input);
  return findings.problems();
}

/**
 * Turns app-wide validation (and the cdk8s-plus noise filter) on for the App of `scope`, once. Every
 * construct of this library calls it through the synth pipeline, so apps using them need no call.
 */
export function enableValidation(scope: IConstruct): void {
  const app = App.of(scope);
  const holder = app as any;
  if (!(app instanceof App) || holder[ENABLED]) return;
  holder[ENABLED] = true;
  addAppCheck(app, 'validation', { check: (objects) => validateObjects(app, objects) });
  addTransform(app, NOISE_FILTER);
}

/**
 * App-wide validation at synth: every object of the app — ours, cdk8s-plus, raw `ApiObject`s, `Include`d
 * YAML — against the strict Kubernetes schema (or its CRD's), and the cross-object rules of
 * `ValidationRule` (selectors, references, names, labels, Pod Security...). All problems come in one
 * `PatternError` from `app.synth()`, `npx cdk8s synth` and `Testing.synth()`.
 *
 * It is on for every app that uses a construct of this library; `Validation.enable` turns it on for a
 * plain cdk8s app, or sets options.
 */
export class Validation {
  /** Turns validation on for `app` (idempotent) and sets its options. */
  public static enable(app: App, options: ValidationOptions = {}): void {
    if (options.k8sVersion !== undefined && !VERSIONS.includes(options.k8sVersion)) {
      fail(app, 'k8sVersion', `"${options.k8sVersion}" is not a supported Kubernetes version (${VERSIONS.join(', ')})`);
    }
    const holder = app as any;
    holder[OPTIONS] = { ...(holder[OPTIONS] ?? {}), ...options };
    enableValidation(app);
  }

  /**
   * Turns `rule` off for the API objects at and below `scope` (a construct, a cdk8s-plus object, a raw
   * `ApiObject`, an `Include`, a Chart, the App). The reason is required: it documents the exception.
   */
  public static suppress(scope: IConstruct, rule: ValidationRule | `${ValidationRule}`, reason: string): void {
    if (!isValidationRule(rule)) {
      fail(scope, 'rule', `"${rule}" is not a validation rule`, `one of: ${Object.values(ValidationRule).join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') fail(scope, 'reason', `suppressing "${rule}" needs a reason`);
    addSuppression(scope, rule, reason);
  }

  /**
   * Declares objects that exist in the cluster but not in the app, so the API objects at and below
   * `scope` may reference them (e.g. a Secret created by an operator, a ClusterRole installed by a chart).
   */
  public static external(scope: IConstruct, objects: ExternalObjects): void {
    addExternal(scope, objects);
  }

  private constructor() {}
}
