import { Include } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterVersion, Validation, Warnings } from '../../lib';
import { add, deployment, labels, problemsOf, rawApp, service, summary } from './fixtures';

describe('schema', () => {
  test('unknown fields and wrong types, at their JSON path', () => {
    const { app, chart } = rawApp();
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicy = 'Always';
    d.spec.template.spec.containers[0].imagePolicy = 'Always';
    d.spec.replicas = '3';
    add(chart, d);
    const problems = problemsOf(app);
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'test/Deployment-web',
        object: 'Deployment/web',
        field: 'spec.replicas',
        rule: 'must be an integer',
        ruleId: 'schema',
      }),
      expect.objectContaining({
        object: 'Deployment/web',
        field: 'spec.template.spec.containers[0].imagePolicy',
        rule: 'unknown field "imagePolicy"',
        ruleId: 'schema',
      }),
    ]);
  });

  test('a valid app of raw objects passes', () => {
    const { app, chart } = rawApp();
    add(chart, deployment());
    add(chart, service());
    expect(problemsOf(app)).toEqual([]);
  });
});

describe('unknown kinds', () => {
  const widget = (name: string) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: { size: 1 } });

  test('one warning per apiVersion/kind (construct metadata on the first object), not an error', () => {
    const { app, chart } = rawApp();
    add(chart, widget('a'));
    add(chart, widget('b'));
    expect(problemsOf(app)).toEqual([]);
    expect(problemsOf(app)).toEqual([]); // synth again: no second warning
    const warnings = Warnings.of(app);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].path).toBe('test/Widget-a');
    expect(warnings[0].message).toMatch(
      /no Kubernetes 1\.27 schema .* for example\.com\/v1\/Widget \(2 objects, first at test\/Widget-a\)/,
    );
  });

  test('strict: one error per apiVersion/kind, at the first object', () => {
    const { app, chart } = rawApp();
    Validation.enable(app, { strict: true });
    add(chart, widget('a'));
    add(chart, widget('b'));
    add(chart, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } });
    expect(summary(problemsOf(app))).toEqual(['unknown-kind Widget/a kind', 'unknown-kind Gadget/g kind']);
  });

  test('removed APIs are errors naming the removal under 1.27 and known under 1.13', () => {
    const preset = {
      apiVersion: 'settings.k8s.io/v1alpha1',
      kind: 'PodPreset',
      metadata: { name: 'p' },
      spec: { selector: { matchLabels: labels } },
    };
    const strict = rawApp();
    Validation.enable(strict.app, { strict: true });
    add(strict.chart, preset);
    expect(summary(problemsOf(strict.app))).toEqual(['removed-api PodPreset/p apiVersion']);
    const old = rawApp();
    Validation.enable(old.app, { strict: true, k8sVersion: '1.13' });
    add(old.chart, preset);
    expect(problemsOf(old.app)).toEqual([]);
  });

  test('by default each chart is checked against the schema of the ClusterVersion it declares', () => {
    const { app, chart } = rawApp();
    Validation.enable(app, { strict: true });
    const legacy = new (require('cdk8s').Chart)(app, 'legacy');
    ClusterVersion.declare(legacy, '1.13');
    const preset = (name: string) => ({
      apiVersion: 'settings.k8s.io/v1alpha1',
      kind: 'PodPreset',
      metadata: { name },
      spec: { selector: { matchLabels: labels }, envv: [] },
    });
    add(legacy, preset('old'));
    add(chart, preset('new'));
    expect(problemsOf(app).map((p) => `${p.ruleId} ${p.object} ${p.field}`)).toEqual([
      'removed-api PodPreset/new apiVersion',
      'schema PodPreset/old spec.envv',
    ]);
  });

  test('an unsupported version is a PatternError', () => {
    expect(() => Validation.enable(rawApp().app, { k8sVersion: '1.99' as any })).toThrow(/k8sVersion.*not a supported Kubernetes version/);
  });
});

describe('custom resources with their CRD in the app', () => {
  const crd = (served = true) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
      versions: [
        {
          name: 'v1',
          served,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } } },
            },
          },
        },
      ],
    },
  });

  test('checked against the CRD schema, strictly', () => {
    const { app, chart } = rawApp();
    add(chart, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'good' }, spec: { size: 2 } });
    add(chart, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'bad' }, spec: { size: 0, colour: 'red' } });
    add(chart, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'empty' }, spec: {} });
    add(chart, crd());
    const problems = problemsOf(app);
    expect(problems.map((p) => `${p.ruleId} ${p.object} ${p.field}: ${p.rule}`)).toEqual([
      'schema Widget/bad spec.colour: unknown field "colour"',
      'schema Widget/bad spec.size: must be >= 1',
      'schema Widget/empty spec.size: required field missing',
    ]);
    expect(problems[1].hint).toBe('see the openAPIV3Schema of CustomResourceDefinition/widgets.example.com');
  });

  test('a version the CRD does not define or does not serve', () => {
    const { app, chart } = rawApp();
    add(chart, crd(false));
    add(chart, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'a' }, spec: { size: 2 } });
    add(chart, { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'b' }, spec: { size: 2 } });
    expect(problemsOf(app).map((p) => `${p.object} ${p.field}: ${p.rule}`)).toEqual([
      'Widget/a apiVersion: version "example.com/v1" is not served by CustomResourceDefinition/widgets.example.com',
      'Widget/b apiVersion: CustomResourceDefinition/widgets.example.com defines no version "v2" of Widget',
    ]);
  });
});

describe("Include'd YAML is validated like any object", () => {
  test('problems name the included object and its construct path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'include-'));
    const file = path.join(dir, 'in.yaml');
    fs.writeFileSync(
      file,
      [
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\ndata:\n  a: b\n',
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: orphan\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n    protocl: TCP\n',
      ].join('---\n'),
    );
    const { app, chart } = rawApp();
    new Include(chart, 'vendor', { url: file });
    expect(problemsOf(app).map((p) => `${p.path} ${p.ruleId} ${p.object} ${p.field}`)).toEqual([
      'test/vendor/Bad_Name-configmap name ConfigMap/Bad_Name metadata.name',
      'test/vendor/orphan-service schema Service/orphan spec.ports[0].protocl',
      'test/vendor/orphan-service service-selector Service/orphan spec.selector',
    ]);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('duplicate', () => {
  test('same kind, namespace and name; other namespaces and kinds are fine', () => {
    const { app, chart } = rawApp();
    const cm = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });
    new (require('cdk8s').ApiObject)(chart, 'one', cm('x'));
    new (require('cdk8s').ApiObject)(chart, 'two', cm('x'));
    new (require('cdk8s').ApiObject)(chart, 'three', cm('x', 'other'));
    new (require('cdk8s').ApiObject)(chart, 'four', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
    const problems = problemsOf(app);
    expect(summary(problems)).toEqual(['duplicate ConfigMap/x metadata.name']);
    expect(problems[0].path).toBe('test/two');
    expect(problems[0].rule).toBe(
      'ConfigMap/x in namespace "default" is also defined at test/one; the second would overwrite the first on apply',
    );
  });

  test('cluster-scoped objects clash across charts with different namespaces', () => {
    const { app } = rawApp();
    const { Chart } = require('cdk8s');
    add(new Chart(app, 'a', { namespace: 'a' }), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
    });
    add(new Chart(app, 'b', { namespace: 'b' }), {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader' },
    });
    expect(summary(problemsOf(app))).toEqual(['duplicate ClusterRole/reader metadata.name']);
  });
});

describe('names', () => {
  test('per kind: subdomain, DNS-1035 for Services, ≤ 52 for StatefulSets and CronJobs, path segments for RBAC', () => {
    const { app, chart } = rawApp();
    add(chart, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a.b-c' } });
    add(chart, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'UPPER' } });
    add(chart, { ...service('1web', labels), metadata: { name: '1web' } });
    add(chart, deployment());
    add(chart, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:fine' } });
    add(chart, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'a/b' } });
    const problems = problemsOf(app);
    expect(summary(problems)).toEqual([
      'name ConfigMap/UPPER metadata.name',
      'name Service/1web metadata.name',
      'name ClusterRole/a/b metadata.name',
    ]);
    expect(problems[1].rule).toMatch(/not a valid DNS-1035 label/);
  });

  test('StatefulSet names longer than 52 characters', () => {
    const { app, chart } = rawApp();
    const name = 'a'.repeat(53);
    add(chart, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name },
      spec: { serviceName: 'web', selector: { matchLabels: labels }, template: deployment().spec.template },
    });
    add(chart, { ...service('web', labels, { clusterIP: 'None' }) });
    const problems = problemsOf(app);
    expect(summary(problems)).toEqual([`name StatefulSet/${name} metadata.name`]);
    expect(problems[0].rule).toBe(`"${name}" is 53 characters, more than 52`);
    expect(problems[0].hint).toMatch(/controller-revision-hash/);
  });

  test('container, volume, port and env var names in pods; Service ports', () => {
    const { app, chart } = rawApp();
    const d = deployment('web', { volumes: [{ name: 'Data', emptyDir: {} }] });
    d.spec.template.spec.containers[0].name = 'Web_1';
    d.spec.template.spec.containers[0].ports = [{ containerPort: 80, name: 'http-web-server-x' }];
    d.spec.template.spec.containers[0].env = [
      { name: 'OK_1', value: 'x' },
      { name: '1BAD', value: 'x' },
    ];
    add(chart, d);
    add(
      chart,
      service('web', labels, {
        ports: [{ port: 80 }, { port: 81, name: 'b' }, { port: 81, name: 'b' }, { port: 81, name: 'c', protocol: 'UDP' }],
      }),
    );
    expect(problemsOf(app).map((p) => `${p.ruleId} ${p.object} ${p.field}: ${p.rule}`)).toEqual([
      'name Deployment/web spec.template.spec.containers[0].name: "Web_1" is not a valid DNS-1123 label (lower case letters, digits and \'-\'; start and end with an alphanumeric)',
      "name Deployment/web spec.template.spec.containers[0].env[1].name: \"1BAD\" is not a valid environment variable name (letters, digits, '_', '-' and '.', not starting with a digit)",
      'name Deployment/web spec.template.spec.containers[0].ports[0].name: "http-web-server-x" is not a valid port name (at most 15 lower case letters, digits and \'-\', with at least one letter)',
      'name Deployment/web spec.template.spec.volumes[0].name: "Data" is not a valid DNS-1123 label (lower case letters, digits and \'-\'; start and end with an alphanumeric)',
      'name Service/web spec.ports[0].name: is required when a Service has more than one port',
      'name Service/web spec.ports[2].port: port 81/TCP is already used by ports[1]',
      'name Service/web spec.ports[2].name: port name "b" is already used by ports[1]',
    ]);
  });
});

describe('labels', () => {
  test('keys and values in metadata, pod templates, selectors and annotations', () => {
    const { app, chart } = rawApp();
    const bad = { 'app.kubernetes.io/name': 'web', 'bad key': 'x' };
    const d = deployment('web', {}, { ...labels, tier: 'front end' });
    d.metadata.labels = { ok: 'v', v: '-starts-with-dash' };
    d.metadata.annotations = { 'not a key': 'x' };
    d.spec.selector = {
      matchLabels: labels,
      matchExpressions: [
        { key: 'tier', operator: 'Within', values: ['a'] },
        { key: 'x', operator: 'Exists', values: ['a'] },
      ],
    };
    add(chart, d);
    add(chart, service('web', bad));
    const problems = problemsOf(app).filter((p) => p.ruleId === 'labels');
    expect(problems.map((p) => `${p.object} ${p.field}`)).toEqual([
      'Deployment/web metadata.labels.v',
      'Deployment/web metadata.annotations["not a key"]',
      'Deployment/web spec.selector.matchExpressions[0].operator',
      'Deployment/web spec.selector.matchExpressions[1].values',
      'Deployment/web spec.template.metadata.labels.tier',
      'Service/web spec.selector["bad key"]',
    ]);
    expect(problems[1].rule).toMatch(/^annotation key "not a key" is invalid/);
  });
});
