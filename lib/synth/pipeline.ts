import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PatternError, Problem, throwIfAny, withoutDuplicates } from '../core/errors';
import { ConstructCheck, RenderedObject, Registry } from '../core/registry';
import { ConstructState } from '../core/state';
import { checkConstructs } from './construct-checks';
import { enableValidation, suppressedProblemsOf } from '../validation/validation';
import { renderObject } from '../output/writable';
import { ConfigRollout } from '../pod/config-rollout';

interface PipelineState {
  /** The pipeline's validation is installed on the App. */
  installed: boolean;
  /** The App renders and checks in its own synth (PatternsApp); the construct validation stands down. */
  selfChecking: boolean;
  /** A check run is under way (construct validation calls back into the App's own hook). */
  running: boolean;
}

const pipelineState = new ConstructState<PipelineState>();
const wrapped = new WeakSet<ApiObject>();

function stateOf(app: App): PipelineState {
  return pipelineState.getOrCreate(app, () => ({ installed: false, selfChecking: false, running: false }));
}

/** Registers construct checks on `scope` and makes sure the App's pipeline runs them. */
export function addChecks(scope: IConstruct, check: ConstructCheck): void {
  Registry.addChecks(scope, check);
  installPipeline(scope);
}

/**
 * Makes `obj.toJson()` apply its transforms. Done per instance at synth, so it covers objects of any
 * class, and after the class's own serializer (cdk8s-plus L1 classes filter their JSON through typed
 * serializers that would otherwise drop plain IntOrString/Quantity values a transform adds).
 */
function wrapToJson(obj: ApiObject): void {
  if (wrapped.has(obj)) {
    return;
  }
  wrapped.add(obj);
  const o = obj as { toJson(): any };
  const original = o.toJson;
  o.toJson = function wrappedToJson() {
    return applyTransforms(obj, original.call(this));
  };
}

/**
 * The JSON of `obj` with its transforms. In PatternsApp's own synth they are applied here, with no
 * wrapper closure per object; a plain App's writer calls `toJson()` itself, so there it is wrapped.
 */
function renderWithTransforms(app: App, obj: ApiObject): any {
  if (wrapped.has(obj)) return renderObject(obj);
  if (!stateOf(app).selfChecking) {
    wrapToJson(obj);
    return renderObject(obj);
  }
  return renderObject(obj, (json) => applyTransforms(obj, json));
}

/** `json` of `obj` after the transforms registered above it. */
function applyTransforms(obj: ApiObject, json: any): any {
  for (const t of Registry.transformsFor(obj)) {
    json = t.transform(obj, json);
  }
  return json;
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
    const objectsOf = (c: IConstruct, chart: Chart) => c.node.findAll().filter((x) => x instanceof ApiObject && Chart.of(x) === chart);
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

/**
 * Renders every object of the app once (transforms applied), grouped by chart: first the objects the
 * render prepasses read (ConfigMaps and Secrets for the config rollout hashes), then the others.
 */
export function renderApp(app: App): Array<{ chart: Chart; objects: RenderedObject[] }> {
  const charts = objectsByChart(app);
  const early = runPrepasses(
    app,
    charts.flatMap((c) => c.objects),
    (obj) => renderWithTransforms(app, obj),
  );
  return charts.map(({ chart, objects }) => ({
    chart,
    objects: objects.map((obj) => ({ obj, json: early.get(obj) ?? renderWithTransforms(app, obj) })),
  }));
}

/** Renders the objects each prepass of `app` selects (each object once) and hands them to it; returns what it rendered. */
function runPrepasses(app: App, objects: ApiObject[], render: (obj: ApiObject) => any): Map<ApiObject, any> {
  const rendered = new Map<ApiObject, any>();
  for (const pass of Registry.prepassesOf(app)) {
    const selected: RenderedObject[] = [];
    for (const obj of objects) {
      if (!pass.selects(obj)) continue;
      let json = rendered.get(obj);
      if (json === undefined) {
        json = render(obj);
        rendered.set(obj, json);
      }
      selected.push({ obj, json });
    }
    pass.prepare(selected);
  }
  return rendered;
}

/** Runs every app-wide check over rendered objects; throws one `PatternError` listing all problems. */
export function runChecks(app: App, objects: RenderedObject[]): void {
  const problems: Problem[] = [];
  for (const check of Registry.appChecksOf(app)) {
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
  const state = stateOf(app);
  state.running = true;
  try {
    collectProblems(problems, () => checkConstructs(app));
  } finally {
    state.running = false;
  }
  let charts: Array<{ chart: Chart; objects: RenderedObject[] }> = [];
  const appProblems: Problem[] = [];
  try {
    charts = renderApp(app);
    collectProblems(appProblems, () =>
      runChecks(
        app,
        charts.flatMap((c) => c.objects),
      ),
    );
  } catch (e) {
    // a render failure alone is the error; next to construct problems, those explain it
    if (problems.length === 0) throw e;
    if (e instanceof PatternError) problems.push(...e.problems);
  }
  // a fault both a construct check and an app-wide rule find is reported once: the construct's problem, with the rule's id
  throwIfAny(withoutDuplicates(problems, appProblems, suppressedProblemsOf(app)));
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

/** Makes `app` render and check in its own synth (PatternsApp): the construct validation then only prepares objects. */
export function markSelfChecking(app: App): void {
  stateOf(app).selfChecking = true;
}

/**
 * Hooks into a plain cdk8s App: a construct validation on the App, which cdk8s runs before it renders
 * anything in `app.synth()`, `app.synthYaml()` and `Testing.synth()`. It makes every object apply its
 * transforms and runs the construct checks and app-wide checks.
 */
export function installPipeline(scope: IConstruct): App | undefined {
  const app = App.of(scope);
  if (!(app instanceof App)) {
    return undefined;
  }
  const state = stateOf(app);
  if (!state.installed) {
    state.installed = true;
    app.node.addValidation({
      validate: () => {
        // checkConstructs validates every construct, the App too, which calls back in here
        if (state.running) return [];
        if (!state.selfChecking) {
          checkAndRender(app);
        } else {
          // every API object, in any order: no need to group and sort them by chart as objectsByChart does
          const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
          for (const obj of objects) wrapToJson(obj);
          runPrepasses(app, objects, (obj) => renderObject(obj));
        }
        return [];
      },
    });
    enableValidation(app);
    ConfigRollout._enable(app);
  }
  return app;
}
