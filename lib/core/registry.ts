import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Problem } from './errors';
import { ConstructState } from './state';

/**
 * A step that rewrites an object's manifest JSON after it is rendered, for every API object below the
 * scope it is registered on (synth-time initializers and the noise filter are transforms).
 * Deterministic and idempotent.
 */
export interface IManifestTransform {
  /** Orders transforms registered on the same scope (lower first; ties keep registration order). */
  readonly order: string;
  /** Returns the (possibly new) JSON of `obj`. `json` may be changed in place. */
  transform(obj: ApiObject, json: any): any;
}

/** One API object and the JSON it renders to (after transforms). */
export interface RenderedObject {
  /** The object. */
  readonly obj: ApiObject;
  /** Its manifest JSON. */
  readonly json: any;
}

/** An app-wide check over every rendered object (validation is one). */
export interface IAppCheck {
  /** The problems found in `objects`. */
  check(objects: RenderedObject[]): Problem[];
}

/**
 * A pass whose transforms read the final JSON of other objects (the config rollout hash reads the
 * ConfigMaps and Secrets of the app): the pipeline renders the objects it selects before any other
 * object, once per synth, reuses that JSON for the output, and hands it to `prepare`.
 */
export interface IRenderPrepass {
  /** Whether the pass reads `obj`, decided before anything renders (from its `kind` and `apiVersion`). */
  selects(obj: ApiObject): boolean;
  /** Receives every selected object of the app, rendered with its transforms, before the other objects render. */
  prepare(objects: RenderedObject[]): void;
}

/** A construct's own checks, run at synth when its state is final. */
export type ConstructCheck = () => Problem[];

const constructChecks = new ConstructState<ConstructCheck[]>();
const transforms = new ConstructState<IManifestTransform[]>();
const appChecks = new ConstructState<Map<string, IAppCheck>>();
const prepasses = new ConstructState<Map<string, IRenderPrepass>>();

/**
 * Where the layers below the synth pipeline register what it runs: construct checks, transforms and
 * app-wide checks. The pipeline (lib/synth) reads them; nothing here runs anything.
 */
export class Registry {
  /** Registers checks of `scope` that run at synth, when its state is final. */
  public static addChecks(scope: IConstruct, check: ConstructCheck): void {
    constructChecks.getOrCreate(scope, () => []).push(check);
  }

  /** The checks registered on `scope` itself. */
  public static checksOf(scope: IConstruct): readonly ConstructCheck[] {
    return constructChecks.get(scope) ?? [];
  }

  /** Registers a transform for every API object below `scope`. */
  public static addTransform(scope: IConstruct, transform: IManifestTransform): void {
    // kept sorted by `order` (after those of the same order), so a synth does not sort per object
    const list = transforms.getOrCreate(scope, () => []);
    let i = list.length;
    while (i > 0 && list[i - 1].order > transform.order) i--;
    list.splice(i, 0, transform);
  }

  /** The transforms that apply to `obj`: those of its scopes, outermost first, each scope's sorted by `order`. */
  public static transformsFor(obj: IConstruct): IManifestTransform[] {
    const found: IManifestTransform[] = [];
    for (const list of transforms.along(obj)) {
      found.push(...list);
    }
    return found;
  }

  /** Registers an app-wide check on `app` (once per `key`). */
  public static addAppCheck(app: IConstruct, key: string, check: IAppCheck): void {
    const checks = appChecks.getOrCreate(app, () => new Map());
    if (!checks.has(key)) checks.set(key, check);
  }

  /** The app-wide checks of `app`. */
  public static appChecksOf(app: IConstruct): IAppCheck[] {
    return [...(appChecks.get(app)?.values() ?? [])];
  }

  /** Registers a render prepass on `app` (once per `key`). */
  public static addPrepass(app: IConstruct, key: string, prepass: IRenderPrepass): void {
    const passes = prepasses.getOrCreate(app, () => new Map());
    if (!passes.has(key)) passes.set(key, prepass);
  }

  /** The render prepasses of `app`. */
  public static prepassesOf(app: IConstruct): IRenderPrepass[] {
    return [...(prepasses.get(app)?.values() ?? [])];
  }

  private constructor() {}
}
