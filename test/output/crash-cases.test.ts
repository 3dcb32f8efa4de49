// Each case of issue 12's "Crashes instead of errors": the input used to end in a TypeError or in
// a silently wrong manifest; now it synthesizes correctly, or fails with a PatternError at the construct.
import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  CustomResourceDefinition,
  JsonSchema,
  PatternError,
  PatternsApp,
  PodInfoEnvInitializer,
  PodInitializers,
  StatefulService,
  WebService,
} from '../../lib';
import { Manifest } from '../../lib/core/manifest';
import { deployment } from '../validation/fixtures';

function newApp(): { app: PatternsApp; chart: Chart } {
  const app = new PatternsApp({ outdir: '/nonexistent/never-written', logger: { warn: () => undefined } });
  return { app, chart: new Chart(app, 'c', { namespace: 'ns' }) };
}

/** The objects `app` synthesizes, read back as kubectl would (YAML 1.1). */
function objects(app: PatternsApp): any[] {
  const docs = parseAllDocuments(app.synthYaml(), { version: '1.1', uniqueKeys: true });
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS());
}

function patternError(run: () => unknown): PatternError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(PatternError);
    return e as PatternError;
  }
  throw new Error('expected a PatternError');
}

const web = (chart: Chart, extra: Record<string, unknown> = {}) =>
  new WebService(chart, 'web', {
    replicas: 2,
    containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', number: 80 }] }],
    ...extra,
  });

/** A label or annotation key must be a qualified name: `__proto__` (leading `_`) is not one. */
const validLabelKey = (key: string) => /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(key);

describe('JavaScript-special keys are ordinary keys', () => {
  for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    const obj = (value: unknown) => JSON.parse(`{"${key}": ${JSON.stringify(value)}}`); // an own property, even for __proto__

    test(`label, annotation and selector key "${key}"`, () => {
      const { app, chart } = newApp();
      const run = () => {
        web(chart, { podLabels: { ...obj('yes'), tier: 'web' }, podAnnotations: obj('note'), selectorLabels: obj('sel') });
        return objects(app).find((o) => o.kind === 'Deployment');
      };
      if (!validLabelKey(key)) {
        expect(patternError(run).problems[0]).toMatchObject({ path: 'c/web', field: `selectorLabels.${key}` });
        return;
      }
      const dep = run();
      expect(Object.prototype.hasOwnProperty.call(dep.spec.template.metadata.labels, key)).toBe(true);
      expect(dep.spec.template.metadata.labels[key]).toBe('sel'); // selector labels win over podLabels
      expect(dep.spec.template.metadata.annotations[key]).toBe('note');
      expect(dep.spec.selector.matchLabels).toEqual(obj('sel'));
    });

    test(`claim selector "${key}"`, () => {
      const { app, chart } = newApp();
      new StatefulService(chart, 'db', {
        replicas: 1,
        containers: [{ name: 'db', image: 'postgres:16' }],
        claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data', selector: obj('fast') }],
      });
      if (!validLabelKey(key)) {
        expect(patternError(() => app.synthYaml()).problems[0].field).toContain(`matchLabels.${key}`);
        return;
      }
      const sts = objects(app).find((o) => o.kind === 'StatefulSet');
      expect(sts.spec.volumeClaimTemplates[0].spec.selector.matchLabels).toEqual(obj('fast'));
    });

    test(`CRD property and ConfigMap data key "${key}"`, () => {
      const { app, chart } = newApp();
      const props: Record<string, JsonSchema> = {};
      Object.defineProperty(props, key, { value: JsonSchema.string(), enumerable: true });
      new CustomResourceDefinition(chart, 'widgets', {
        group: 'example.com',
        names: { kind: 'Widget' },
        versions: [{ name: 'v1', schema: JsonSchema.object(props) }],
      });
      new Manifest(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, render: () => ({ data: obj('v') }) });
      const all = objects(app);
      const crd = all.find((o) => o.kind === 'CustomResourceDefinition');
      expect(Object.keys(crd.spec.versions[0].schema.openAPIV3Schema.properties)).toEqual([key]);
      expect(all.find((o) => o.kind === 'ConfigMap').data).toEqual(obj('v'));
    });

    test(`a raw cdk8s ApiObject with the key "${key}": written, or a PatternError at the object (cdk8s's resolver), never dropped`, () => {
      const { app, chart } = newApp();
      new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { ...obj('v'), other: 'w' } });
      let data: any;
      try {
        data = objects(app)[0].data;
      } catch (e) {
        expect(e).toBeInstanceOf(PatternError);
        expect((e as PatternError).problems[0]).toMatchObject({ path: 'c/cm', object: 'ConfigMap/cm' });
        return;
      }
      expect(data).toEqual({ ...obj('v'), other: 'w' });
    });
  }
});

describe('values a manifest cannot hold are errors naming the field', () => {
  test('NaN and Infinity through addJsonPatch', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const { app, chart } = newApp();
      const w = web(chart);
      w.apiObject.addJsonPatch(JsonPatch.replace('/spec/replicas', bad));
      const e = patternError(() => app.synthYaml());
      expect(e.problems[0]).toMatchObject({ path: 'c/web/Resource', field: expect.stringContaining('/spec/replicas'), ruleId: 'writable' });
      expect(e.message).toContain(String(bad));
    }
  });

  test('NaN in a raw object', () => {
    const { app, chart } = newApp();
    new ApiObject(chart, 'cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm' },
      data: { a: 'x' },
      extra: { n: NaN },
    } as any);
    const e = patternError(() => app.synthYaml());
    expect(e.problems.some((p) => p.path === 'c/cm')).toBe(true);
  });

  test('a lone surrogate in a label value or key names the field', () => {
    const { app, chart } = newApp();
    new ApiObject(chart, 'cm', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', annotations: { note: 'a\ud800b' } },
      data: { 'k\udc00': 'v' },
    });
    const e = patternError(() => app.synthYaml());
    expect(e.problems[0]).toMatchObject({ path: 'c/cm', object: 'ConfigMap/cm', ruleId: 'writable' });
    expect(e.problems[0].field).toMatch(/metadata\.annotations\.note|data\[/);
    expect(e.message).toContain('lone UTF-16 surrogate');
  });

  test('control characters are written as escapes and read back', () => {
    const { app, chart } = newApp();
    const s = 'a\x00b\x01\x1b\x7f\x85\u2028\ufeff\ufffe c\r\n';
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { k: s } });
    expect(objects(app)[0].data.k).toBe(s);
  });
});

describe('exceptions from user-reachable code arrive as PatternErrors naming the construct', () => {
  test('addJsonPatch to a missing path', () => {
    const { app, chart } = newApp();
    const w = web(chart);
    w.apiObject.addJsonPatch(JsonPatch.replace('/spec/nothing/here', 1));
    const e = patternError(() => app.synthYaml());
    expect(e.problems[0]).toMatchObject({ path: 'c/web/Resource', field: 'addJsonPatch' });
  });

  test('PodInfoEnv initializer over a raw Deployment whose env is a map', () => {
    const { app, chart } = newApp();
    const dep = deployment('raw');
    dep.spec.template.spec.containers[0].env = { FOO: 'bar' };
    new ApiObject(chart, 'raw', dep);
    new PodInitializers(app, 'init', { initializers: [new PodInfoEnvInitializer()] });
    const e = patternError(() => app.synthYaml());
    expect(e.problems.map((p) => p.path)).toContain('c/raw');
  });

  test('a memory size given as a string by untyped JavaScript', () => {
    const { app, chart } = newApp();
    const e = patternError(() => {
      web(chart, { containers: [{ name: 'web', image: 'nginx:1.25', resources: { memory: { request: '512Mi' } } }] });
      app.synthYaml();
    });
    expect(e.problems[0]).toMatchObject({ path: 'c/web', field: expect.stringContaining('memory') });
  });
});
