import { Chart, Testing } from 'cdk8s';
import { PatternError, WebService } from '../../lib';

// "No fault is reported twice": a prop the construct checks and the field the API-server rule checks
// in the rendered object are one fault, reported once at the prop, with the rule's id, object and hint.
test('a port out of range on a WebService: one problem per bad port, at the prop, with the api-server rule id', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new WebService(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', number: 80800 }] }] });
  let error: PatternError | undefined;
  try {
    Testing.synth(chart);
  } catch (e) {
    error = e as PatternError;
  }
  expect(error).toBeInstanceOf(PatternError);
  expect(error!.problems.map((p) => [p.object, p.field, p.ruleId])).toEqual([
    ['Deployment/web', 'containers[0].ports[0].number', 'api-server'],
    ['Service/web', 'serviceOptions.ports[0].port', 'api-server'],
  ]);
  expect(error!.problems.every((p) => p.rule === '80800 is not a valid port number (1 to 65535)' && p.hint)).toBe(true);
});
