import { App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { Access, AppLabels, OptOut, PatternDefaults, PatternError, SecureNamespace, RbacResource, Verbs, WebService } from '../../lib';
import { byKind, expectValidManifests } from '../util';

const web = (chart: Chart, id = 'web', extra: Record<string, unknown> = {}) =>
  new WebService(chart, id, {
    containers: [{ name: 'web', image: 'registry.example.com/shop/web:2.4.1', ports: [{ name: 'http', number: 8080 }] }],
    ...extra,
  });

const recommended = (labels: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k.startsWith('app.kubernetes.io/')));

describe('recommended app.kubernetes.io labels', () => {
  test('every object of a workload and its pods carry name, instance, version, part-of, managed-by; selectors stay minimal', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const w = web(chart);
    Access.forWorkload(w).to(Verbs.READ).on(RbacResource.CONFIG_MAPS);
    const m = Testing.synth(chart);
    const expected = {
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'web',
      'app.kubernetes.io/version': '2.4.1',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'cdk8s-patterns',
    };
    expect(m.map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
    for (const o of m) expect([o.kind, recommended(o.metadata.labels)]).toEqual([o.kind, expected]);
    const [dep] = byKind(m, 'Deployment');
    expect(recommended(dep.spec.template.metadata.labels)).toEqual(expected);
    // selectors: only the selector labels, so a new version or label never changes an immutable selector
    expect(dep.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(byKind(m, 'Service')[0].spec.selector).toEqual({ 'app.kubernetes.io/name': 'web' });
    expect(byKind(m, 'PodDisruptionBudget')[0].spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expectValidManifests(m);
  });

  test('given labels, PatternDefaults.partOf; own and chart labels win; the selector label wins on pods', () => {
    const app = Testing.app();
    PatternDefaults.set(app, { partOf: 'webshop' });
    const chart = new Chart(app, 'c', { labels: { 'app.kubernetes.io/part-of': 'from-chart' } });
    const labels: AppLabels = { component: 'frontend', version: 'v2', instance: 'web-eu' };
    web(chart, 'web', { appLabels: labels, podLabels: { 'app.kubernetes.io/component': 'pod-own' } });
    const m = Testing.synth(chart);
    const [dep] = byKind(m, 'Deployment');
    expect(recommended(dep.metadata.labels)).toEqual({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/instance': 'web-eu',
      'app.kubernetes.io/version': 'v2',
      'app.kubernetes.io/component': 'frontend',
      'app.kubernetes.io/part-of': 'from-chart',
      'app.kubernetes.io/managed-by': 'cdk8s-patterns',
    });
    expect(dep.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('pod-own');
    // the chart's own app.kubernetes.io labels reach the pods too, so `kubectl get -l` finds them with the objects
    expect(dep.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('from-chart');
  });

  test('the name follows the selector; a derived value that is no label value is left out', () => {
    const chart = new Chart(Testing.app(), 'c');
    web(chart, 'a', { selectorLabels: { 'app.kubernetes.io/name': 'shop-frontend', tier: 'web' } });
    new WebService(chart, 'b', {
      containers: [{ name: 'b', image: 'registry.example.com/b@sha256:' + 'a'.repeat(64) }],
      exposeService: false,
    });
    const m = Testing.synth(chart);
    const [a, b] = byKind(m, 'Deployment');
    expect(a.metadata.labels['app.kubernetes.io/name']).toBe('shop-frontend');
    expect(a.spec.template.metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': 'shop-frontend', tier: 'web' }));
    expect(b.metadata.labels['app.kubernetes.io/version']).toBeUndefined(); // a digest is no version
  });

  test('objects of constructs that are not workloads carry managed-by and part-of', () => {
    const chart = new Chart(Testing.app(), 'platform');
    new SecureNamespace(chart, 'team-a');
    const [ns] = Testing.synth(chart);
    expect(recommended(ns.metadata.labels)).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-patterns',
      'app.kubernetes.io/part-of': 'platform',
    });
  });

  test('cdk8s-plus and L1 objects are left as they are', () => {
    const chart = new Chart(Testing.app(), 'c');
    new plus.ConfigMap(chart, 'cm', { data: { a: 'b' } });
    const [cm] = Testing.synth(chart);
    expect(cm.metadata.labels).toBeUndefined();
  });

  test('opt out per workload or app-wide, with the reason on the main object', () => {
    const chart = new Chart(Testing.app(), 'c');
    web(chart, 'web', { appLabels: OptOut.because('labels managed by our Argo CD instance tracking') });
    const m = Testing.synth(chart);
    for (const o of m) expect(recommended(o.metadata.labels)).toEqual({});
    const [dep] = byKind(m, 'Deployment');
    expect(recommended(dep.spec.template.metadata.labels)).toEqual({ 'app.kubernetes.io/name': 'web' }); // the selector label only
    expect(dep.metadata.annotations).toEqual({
      'opt-out.cdk8s-patterns.io/recommended-labels': 'labels managed by our Argo CD instance tracking',
    });

    const app = new App();
    PatternDefaults.set(app, { recommendedLabels: OptOut.because('legacy label scheme') });
    const c2 = new Chart(app, 'c2');
    web(c2);
    const m2 = Testing.synth(c2);
    const [dep2] = byKind(m2, 'Deployment');
    expect(dep2.metadata.labels).toBeUndefined();
    expect(dep2.metadata.annotations).toEqual({ 'opt-out.cdk8s-patterns.io/recommended-labels': 'legacy label scheme' });
    expect(byKind(m2, 'Service')[0].metadata.annotations).toBeUndefined(); // the reason is on the main object only
  });

  test('bad labels are errors naming the field', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => web(chart, 'a', { appLabels: { component: 'not a label!' } })).toThrow(
      /appLabels\.component: label value "not a label!" is invalid/,
    );
    expect(() => web(chart, 'b', { appLabels: { name: 'other' } })).toThrow(
      /appLabels\.name: "other" differs from the selector's app.kubernetes.io\/name: "b"/,
    );
    expect(() => web(chart, 'c', { appLabels: OptOut.because(' ') })).toThrow(/appLabels: an opt-out needs a reason/);
    expect(() => PatternDefaults.set(chart, { partOf: '-bad-' })).toThrow(PatternError);
    expect(() => PatternDefaults.set(chart, { disruptionBudgets: OptOut.because('') })).toThrow(
      /disruptionBudgets: an opt-out needs a reason/,
    );
  });
});

describe('recommended labels follow late changes', () => {
  test('a second synth after PatternDefaults.partOf or a first container was set writes the new values', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const w = new WebService(chart, 'w', { containers: [], exposeService: false });
    w.pod.addContainer({ name: 'a', image: 'registry.example.com/a:1.0' });
    const first = byKind(Testing.synth(chart), 'Deployment')[0];
    expect(first.metadata.labels['app.kubernetes.io/part-of']).toBe('c');
    expect(first.metadata.labels['app.kubernetes.io/version']).toBe('1.0');
    PatternDefaults.set(app, { partOf: 'later' });
    const second = byKind(Testing.synth(chart), 'Deployment')[0];
    expect(second.metadata.labels['app.kubernetes.io/part-of']).toBe('later');
    expect(second.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('later');
  });
});
