import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { checkConstructs } from './checks';
import { PatternError, Problem, throwIfAny } from './errors';
import { enableValidation } from '../validation/validation';
import { renderObject } from '../output/writable';

/**
 * A step that rewrites an object's manifest JSON after it is rendered, for every API object below the
 * scope it is registered on (synth-time initializers are transforms). Deterministic and idempotent.
 */
export interface IManifestTransform {
  /** Orders transforms registered on the same scope (lower first; ties keep registration order). */
  readonly order: string;
  /** Returns the (possibly new) JSON of `obj`. `json` may be changed in place. */
  transform(obj: ApiObject, json: any): any;
}

/** One API object and the JSON it renders to (after transforms). */
export interface RenderedObject {
  readonly obj: ApiObject;
  readonly json: any;
}

/** An app-wide check over every rendered object (schema and cross-object validation are checks). */
export interface IAppCheck {
  check(objects: RenderedObject[]): Problem[];
}

const TRANSFORMS = Symbol.for('cdk8s-patterns.transforms');
const CHECKS = Symbol.for('cdk8s-patterns.checks');
const INSTALLED = Symbol.for('cdk8s-patterns.pipeline');
const WRAPPED = Symbol.for('cdk8s-patterns.wrappedToJson');

/**
 * Registers a transform on an App or Chart. It runs for every API object below that scope, whatever
 * rendered it (our constructs, cdk8s-plus, raw `ApiObject`, `Include`), on `app.synth()`,
 * `npx cdk8s synth` and `Testing.synth()`, with no further call.
 */
export function addTransform(scope: IConstruct, transform: IManifestTransform): void {
  const holder = scope as any;
  (holder[TRANSFORMS] ??= []).push(transform);
  installPipeline(scope);
}

/** Registers an app-wide check on the App of `scope` (once per `key`). */
export function addAppCheck(scope: IConstruct, key: string, check: IAppCheck): void {
  const app = installPipeline(scope) as any;
  const checks: Map<string, IAppCheck> = (app[CHECKS] ??= new Map());
  if (!checks.has(key)) {
    checks.set(key, check);
  }
}

/** The transforms that apply to `obj`: those of its scopes, outermost first, each scope's sorted by `order`. */
function transformsFor(obj: IConstruct): IManifestTransform[] {
  const found: IManifestTransform[] = [];
  for (const scope of obj.node.scopes) {
    const list: IManifestTransform[] | undefined = (scope as any)[TRANSFORMS];
    if (list) {
      found.push(...[...list].sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0)));
    }
  }
  return found;
}

/**
 * Makes `obj.toJson()` apply its transforms. Done per instance at synth, so it covers objects of any
 * class, and after the class's own serializer (cdk8s-plus L1 classes filter their JSON through typed
 * serializers that would otherwise drop plain IntOrString/Quantity values a transform adds).
 */
function wrapToJson(obj: ApiObject): void {
  const o = obj as any;
  if (o[WRAPPED]) {
    return;
  }
  o[WRAPPED] = true;
  const original = o.toJson;
  o.toJson = function wrappedToJson() {
    let json = original.call(this);
    for (const t of transformsFor(obj)) {
      json = t.transform(obj, json);
    }
    return json;
  };
}

/**
 * The API objects of the app, chart by chart, in the order cdk8s writes them: charts topologically,
 * objects in construct order unless dependencies say otherwise.
 */
export function objectsByChart(app: App): Array<{ chart: Chart; objects: ApiObject[] }> {
  const all = app.node.findAll();
  const hasDeps = all.some((c) => c.node.dependencies.length > 0) || all.some((c) => c instanceof Chart && c.node.scope instanceof Chart);
  if (hasDeps) {
    inferDependencies(all);
    return app.charts.map((chart) => ({ chart, objects: chartObjects(chart, true) }));
  }
  const charts = all.filter((c): c is Chart => c instanceof Chart);
  return charts.map((chart) => ({ chart, objects: chartObjects(chart, false) }));
}

/**
 * The dependency inference cdk8s's App.synth performs before ordering (it is not exported): nested
 * charts and cross-chart construct dependencies become chart dependencies, construct dependencies
 * become dependencies between their API objects.
 */
function inferDependencies(all: IConstruct[]): void {
  for (const parent of all) {
    if (parent instanceof Chart) {
      for (const child of parent.node.children) {
        if (child instanceof Chart) parent.node.addDependency(child);
      }
    }
  }
  const deps = all.flatMap((source) => source.node.dependencies.map((target) => ({ source, target })));
  for (const { source, target } of deps) {
    const sourceChart = Chart.of(source);
    const targetChart = Chart.of(target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
    }
    const objectsOf = (c: IConstruct, chart: Chart) =>
      c.node.findAll().filter((x) => x instanceof ApiObject && Chart.of(x) === chart);
    for (const t of objectsOf(target, targetChart)) {
      for (const s of objectsOf(source, sourceChart)) {
        if (t !== s) s.node.addDependency(t);
      }
    }
  }
}

function chartObjects(chart: Chart, withDeps: boolean): ApiObject[] {
  const nodes = withDeps ? new DependencyGraph(chart.node).topology() : chart.node.findAll();
  return nodes.filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

/** Renders every object of the app once (transforms applied), grouped by chart. */
export function renderApp(app: App): Array<{ chart: Chart; objects: RenderedObject[] }> {
  return objectsByChart(app).map(({ chart, objects }) => ({
    chart,
    objects: objects.map((obj) => {
      wrapToJson(obj);
      return { obj, json: renderObject(obj) };
    }),
  }));
}

/** Runs every app-wide check over rendered objects; throws one `PatternError` listing all problems. */
export function runChecks(app: App, objects: RenderedObject[]): void {
  const checks: Map<string, IAppCheck> | undefined = (app as any)[CHECKS];
  const problems: Problem[] = [];
  for (const check of checks?.values() ?? []) {
    problems.push(...check.check(objects));
  }
  throwIfAny(problems);
}

/**
 * Checks and renders the whole app: every construct's checks, then every object rendered once and the
 * app-wide checks over them. The problems of both phases come in one `PatternError`; when constructs
 * are broken, an object that then fails to render does not hide their problems.
 */
export function checkAndRender(app: App): Array<{ chart: Chart; objects: RenderedObject[] }> {
  const problems: Problem[] = [];
  collectProblems(problems, () => checkConstructs(app));
  let charts: Array<{ chart: Chart; objects: RenderedObject[] }> = [];
  try {
    charts = renderApp(app);
    collectProblems(problems, () => runChecks(app, charts.flatMap((c) => c.objects)));
  } catch (e) {
    // a render failure alone is the error; next to construct problems, those explain it
    if (problems.length === 0) throw e;
    if (e instanceof PatternError) problems.push(...e.problems);
  }
  throwIfAny(problems);
  return charts;
}

function collectProblems(problems: Problem[], run: () => void): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof PatternError)) throw e;
    problems.push(...e.problems);
  }
}

/** When set on an App, its own synth renders and checks; the construct validation below stands down. */
export const SELF_CHECKING = Symbol.for('cdk8s-patterns.selfChecking');

/**
 * Hooks into a plain cdk8s App: a construct validation on the App, which cdk8s runs before it renders
 * anything in `app.synth()`, `app.synthYaml()` and `Testing.synth()`. It makes every object apply its
 * transforms and runs the app-wide checks.
 */
export function installPipeline(scope: IConstruct): App {
  const app: any = App.of(scope);
  if (!(app instanceof App)) {
    return app;
  }
  const holder = app as any;
  if (!holder[INSTALLED]) {
    holder[INSTALLED] = true;
    let running = false;
    const hook: IValidation = {
      validate: () => {
        // checkConstructs validates every construct, the App too, which calls back in here
        if (running) return [];
        if (!holder[SELF_CHECKING]) {
          running = true;
          try {
            checkAndRender(app);
          } finally {
            running = false;
          }
        } else {
          // every API object, in any order: no need to group and sort them by chart as objectsByChart does
          for (const c of app.node.findAll()) if (c instanceof ApiObject) wrapToJson(c);
        }
        return [];
      },
    };
    app.node.addValidation(hook);
    enableValidation(app);
  }
  return app;
}
