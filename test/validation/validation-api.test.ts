import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PatternError, PatternsApp, PodSecurity, StatefulService, Warnings, Validation, ValidationRule } from '../../lib';
import { add, deployment, problemsOf, rawApp, service, summary } from './fixtures';

const db = (scope: Construct) =>
  new StatefulService(scope, 'db', {
    podSecurity: PodSecurity.baseline('postgres starts as root'),
    containers: [{ name: 'pg', image: 'postgres:16', ports: [{ name: 'pg', number: 5432 }] }],
    claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
  });

describe('on by default', () => {
  test('Testing.synth of an app using our constructs validates every object of the app, plus and raw ones too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop');
    db(chart);
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx:1.25', portNumber: 8080 }] });
    new ApiObject(chart, 'orphan', service('orphan', { app: 'gone' }));
    let error: unknown;
    try {
      Testing.synth(chart);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PatternError);
    // schema and API-server checks are errors for every object; policy findings (Pod Security) on the
    // cdk8s-plus Deployment are warnings (coexistence; test/validation/coexistence.test.ts)
    expect(summary((error as PatternError).problems)).toEqual(['service-selector Service/orphan spec.selector']);
    expect(
      Warnings.of(app)
        .filter((w) => w.message.startsWith('[pod-security]'))
        .map((w) => w.message.replace(/-c8[0-9a-f]{6}/, '').split(':')[0]),
    ).toEqual([
      '[pod-security] Deployment/shop-web spec.template.spec.containers[0].securityContext.capabilities.drop',
      '[pod-security] Deployment/shop-web spec.template.spec.securityContext.seccompProfile.type',
    ]);
  });

  test('a plain app of cdk8s-plus and raw objects is validated once Validation.enable is called', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'plain');
    new ApiObject(chart, 'orphan', service('orphan', { app: 'gone' }));
    expect(() => app.synthYaml()).not.toThrow();
    Validation.enable(app);
    Validation.enable(app); // idempotent
    expect(summary(problemsOf(app))).toEqual(['service-selector Service/orphan spec.selector']);
  });

  test('PatternsApp.synth: one PatternError listing every problem of every chart, with rule ids and hints; nothing written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-'));
    const app = new PatternsApp({ outdir });
    new ApiObject(new Chart(app, 'a'), 'svc', service('orphan', { app: 'gone' }));
    const b = new Chart(app, 'b');
    new ApiObject(b, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad' }, dat: {} });
    let error: PatternError | undefined;
    try {
      app.synth();
    } catch (e) {
      error = e as PatternError;
    }
    expect(error).toBeInstanceOf(PatternError);
    expect(error!.message.split('\n')).toEqual([
      '3 problems:',
      '  [a/svc] Service/orphan spec.selector: selects pods with app=gone, but no workload in namespace "default" of the app has pods with these labels, so the Service would have no endpoints [service-selector] (hint: fix the selector or the pod labels; if the pods are deployed outside the app, declare them: Validation.external(scope, { services: [\'orphan\'] }))',
      '  [b/cm] ConfigMap/Bad dat: unknown field "dat" (did you mean "data"?) [schema] (hint: rename it to "data")',
      '  [b/cm] ConfigMap/Bad metadata.name: "Bad" is not a valid DNS-1123 subdomain (lower case letters, digits and \'-\', \'.\'; start and end with an alphanumeric) [name] (hint: use lower-case letters, digits and "-", starting and ending with a letter or digit)',
    ]);
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true });
  });

  test('a synth run as a program (npx cdk8s synth runs apps/synth.js) exits non-zero and prints every problem', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-cli-'));
    const lib = path.resolve(__dirname, '../../lib');
    fs.writeFileSync(
      path.join(dir, 'main.ts'),
      [
        "import { ApiObject, Chart } from 'cdk8s';",
        `import { PatternsApp } from ${JSON.stringify(lib)};`,
        `const app = new PatternsApp({ outdir: ${JSON.stringify(path.join(dir, 'dist'))} });`,
        "new ApiObject(new Chart(app, 'a'), 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });",
        'app.synth();',
      ].join('\n'),
    );
    const hook = path.resolve(__dirname, '../../apps/ts-hook.js');
    const run = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(hook)}).register(); require(${JSON.stringify(path.join(dir, 'main.ts'))});`],
      {
        encoding: 'utf8',
        env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../node_modules') },
      },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('PatternError: [a/svc] Service/x spec.selector: selects pods with app=x');
    const dist = path.join(dir, 'dist');
    expect(fs.existsSync(dist) ? fs.readdirSync(dist) : []).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('Validation.suppress', () => {
  test('turns one rule off for the objects at and below a construct, and nothing else', () => {
    const { app, chart } = rawApp();
    const team = new Construct(chart, 'team');
    add(team, service('a', { app: 'a' }));
    const b = add(chart, service('b', { app: 'b' }));
    const c = add(chart, { ...service('c', { app: 'c' }), metadata: { name: 'C' } });
    Validation.suppress(team, ValidationRule.SERVICE_SELECTOR, 'pods are deployed by the vendor chart');
    Validation.suppress(b, ValidationRule.SERVICE_SELECTOR, 'selects pods of a blue/green switch');
    Validation.suppress(c, ValidationRule.NAME, 'legacy name kept for clients');
    expect(summary(problemsOf(app))).toEqual(['service-selector Service/C spec.selector']);
  });

  test('on an App it turns the rule off everywhere', () => {
    const { app, chart } = rawApp();
    add(chart, deployment('web', { automountServiceAccountToken: undefined }));
    Validation.suppress(app, ValidationRule.TOKEN_AUTOMOUNT, 'the cluster disables token automount for all ServiceAccounts');
    expect(problemsOf(app)).toEqual([]);
  });

  test('needs a known rule and a reason', () => {
    const { chart } = rawApp();
    expect(() => Validation.suppress(chart, 'service-selectr' as any, 'x')).toThrow(
      /\[test\] rule: "service-selectr" is not a validation rule \[props\] \(hint: one of: schema, unknown-kind, /,
    );
    expect(() => Validation.suppress(chart, ValidationRule.SCHEMA, ' ')).toThrow(/\[test\] reason: suppressing "schema" needs a reason/);
  });

  test('a suppressed unknown kind records no warning', () => {
    const { app, chart } = rawApp();
    const o = add(chart, { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' } });
    Validation.suppress(o, ValidationRule.UNKNOWN_KIND, 'vendor CRD installed by its operator');
    expect(problemsOf(app)).toEqual([]);
    expect(Warnings.of(app)).toEqual([]);
  });
});

test("problems are reported in output order, each object's in rule order", () => {
  const { app, chart } = rawApp();
  const d = deployment('web', { hostPID: true });
  d.spec.template.spec.containers[0].image = 'nginx';
  add(chart, service('first', { app: 'nope' }));
  add(chart, d);
  expect(summary(problemsOf(app))).toEqual([
    'service-selector Service/first spec.selector',
    'pod-security Deployment/web spec.template.spec.hostPID',
    'image-tag Deployment/web spec.template.spec.containers[0].image',
  ]);
});

test('validation runs on a plain App.synth() too', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'plain-')) });
  db(new Chart(app, 'c'));
  new ApiObject(Chart.of(app.node.findAll().find((c) => c instanceof StatefulService)!), 'x', service('x', { app: 'x' }));
  expect(() => app.synth()).toThrow(/\[c\/x\] Service\/x spec\.selector: .*\[service-selector\]/);
  fs.rmSync(app.outdir, { recursive: true });
});
