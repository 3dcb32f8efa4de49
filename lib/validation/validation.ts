import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ClusterVersion } from '../core/cluster-version';
import { fail, Problem } from '../core/errors';
import { RenderedObject, Registry } from '../core/registry';
import type { K8sVersion } from './schema/table';
import { ConstructState } from '../core/state';
import { Warnings } from '../core/warnings';
import type { ObjectInfo } from './context';
import { ValidationContext } from './context';
import { Findings, RuleCheck } from './findings';
import { NOISE_FILTER } from './noise';
import { checkApiServer } from './rules/api-server';
import { checkBindingRefs } from './rules/binding-refs';
import { checkConfigRefs } from './rules/config-refs';
import { checkContainers } from './rules/containers';
import { checkDuplicates } from './rules/duplicates';
import { checkLabels } from './rules/labels';
import { checkMounts } from './rules/mounts';
import { checkNames } from './rules/names';
import { checkBudgetOverlaps, checkBudgetSelectors } from './rules/pdb-selector';
import { checkPodSecurity } from './rules/pod-security';
import { checkPodSpecs } from './rules/pod-spec';
import { checkReadiness } from './rules/readiness';
import { checkSchema } from './rules/schema';
import { checkServiceAccounts, checkTokenAutomount } from './rules/service-account';
import { checkServiceSelectors } from './rules/service-selector';
import { checkStatefulSetServices } from './rules/sts-service';
import { checkWorkloadSelectors } from './rules/workload-selector';
import { installStrictYamlLoad } from './strict-yaml';
import { knownKindSchemasOf } from './schema/known-kinds';

installStrictYamlLoad();

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
  readonly k8sVersion?: string;
}

/** The rules, in the order they run (problems of one object keep this order). */
const RULES: readonly RuleCheck[] = [
  checkSchema,
  checkDuplicates,
  checkNames,
  checkLabels,
  checkWorkloadSelectors,
  checkServiceSelectors,
  checkStatefulSetServices,
  checkMounts,
  checkPodSpecs,
  checkApiServer,
  checkConfigRefs,
  checkServiceAccounts,
  checkBindingRefs,
  checkBudgetSelectors,
  checkBudgetOverlaps,
  checkPodSecurity,
  checkContainers,
  checkTokenAutomount,
  checkReadiness,
];

const VERSIONS = ClusterVersion.supported() as readonly K8sVersion[];
const optionsOf = new ConstructState<ValidationOptions>();
const enabled = new ConstructState<boolean>();

/**
 * Validates the rendered objects of `app` with every rule and returns the problems found, in output order.
 * Warnings (unknown kinds, when not strict) are recorded as construct metadata (`Warnings`) on the
 * first object of each apiVersion/kind.
 */
export function validateObjects(app: App, objects: readonly RenderedObject[]): Problem[] {
  const options = optionsOf.get(app) ?? {};
  const findings = new Findings();
  const input = {
    ctx: new ValidationContext(objects, knownKindSchemasOf(app)),
    report: findings.report,
    version: options.k8sVersion as K8sVersion | undefined,
    strict: options.strict ?? false,
    warn: (o: ObjectInfo, message: string) => Warnings.add(o.obj, message),
  };
  for (const rule of RULES) rule(input);
  suppressedOf.set(app, findings.suppressed);
  return findings.problems();
}

const suppressedOf = new ConstructState<Problem[]>();

/**
 * The problems the last validation of `app` found but did not report because their rule is suppressed
 * for their object (`Validation.suppress`): the pipeline drops a construct check's copy of them, so a
 * suppression silences the fault wherever it is checked.
 */
export function suppressedProblemsOf(app: App): Problem[] {
  return suppressedOf.get(app) ?? [];
}

/**
 * Turns app-wide validation (and the cdk8s-plus noise filter) on for the App of `scope`, once. Every
 * construct of this library calls it through the synth pipeline, so apps using them need no call.
 */
export function enableValidation(scope: IConstruct): void {
  const app = App.of(scope);
  if (!(app instanceof App) || enabled.get(app)) return;
  enabled.set(app, true);
  Registry.addAppCheck(app, 'validation', { check: (objects) => validateObjects(app, objects) });
  Registry.addTransform(app, NOISE_FILTER);
}

/** Sets validation options of the App of `scope` (merged over earlier ones) and turns validation on. */
export function setValidationOptions(scope: IConstruct, options: ValidationOptions): void {
  const app = App.of(scope);
  if (options.k8sVersion !== undefined && !VERSIONS.includes(options.k8sVersion as K8sVersion)) {
    fail(app, 'k8sVersion', `"${options.k8sVersion}" is not a supported Kubernetes version (${VERSIONS.join(', ')})`);
  }
  optionsOf.set(app, { ...(optionsOf.get(app) ?? {}), ...options });
  enableValidation(app);
}
