import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { addExternal, addSuppression, ExternalObjects } from '../validation/policy';
import { isValidationRule, ValidationRule } from '../validation/rule';
import { setValidationOptions, ValidationOptions } from '../validation/validation';
import { installPipeline } from './pipeline';

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
    setValidationOptions(app, options);
    installPipeline(app);
  }

  /**
   * Turns `rule` off for the API objects at and below `scope` (a construct, a cdk8s-plus object, a raw
   * `ApiObject`, an `Include`, a Chart, the App). The reason is required: it documents the exception.
   */
  public static suppress(scope: IConstruct, rule: ValidationRule, reason: string): void {
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
