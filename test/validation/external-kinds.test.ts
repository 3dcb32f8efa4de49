import { ApiObject, Chart, Testing } from 'cdk8s';
import { PatternsApp, Validation, Warnings } from '../../lib';

// API lifecycle (issue 11): an unknown group stays a warning (an error when strict) unless a CRD in the
// app, or a declared external one, covers it; a kind of a built-in group must exist.
function app(strict: boolean) {
  const a = new PatternsApp({ outdir: '/nonexistent/never-written', logger: { warn: () => undefined } });
  Validation.enable(a, { strict });
  const chart = new Chart(a, 'c');
  new ApiObject(chart, 'monitor', { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'web' } });
  return { a, chart };
}

test('an unknown group is a warning, an error when strict, and neither once its kinds are declared external', () => {
  const loose = app(false);
  loose.a.synthYaml();
  expect(
    Warnings.of(loose.a)
      .map((w) => w.message)
      .join('\n'),
  ).toMatch(/monitoring\.coreos\.com\/v1\/ServiceMonitor.*Validation\.external\(scope, \{ kinds: \['monitoring\.coreos\.com'\] \}\)/);

  const strict = app(true);
  expect(() => strict.a.synthYaml()).toThrow(/ServiceMonitor.*\[unknown-kind\]/);

  for (const declared of ['monitoring.coreos.com', 'monitoring.coreos.com/ServiceMonitor']) {
    const covered = app(true);
    Validation.external(covered.chart, { kinds: [declared] });
    expect(() => covered.a.synthYaml()).not.toThrow();
    expect(Warnings.of(covered.a)).toEqual([]);
  }
});

test('a built-in group cannot be declared away: a misspelled kind there stays an error', () => {
  const a = Testing.app();
  Validation.enable(a);
  const chart = new Chart(a, 'c');
  Validation.external(chart, { kinds: ['apps', 'apps/Deplyoment'] });
  new ApiObject(chart, 'd', { apiVersion: 'apps/v1', kind: 'Deplyoment', metadata: { name: 'd' } });
  expect(() => Testing.synth(chart)).toThrow(/did you mean.*Deployment/);
});
