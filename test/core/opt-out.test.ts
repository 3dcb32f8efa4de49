import { ApiObject, Testing } from 'cdk8s';
import { OptOut, PatternError } from '../../lib';

describe('OptOut', () => {
  test('writes its reason as opt-out.cdk8s-patterns.io/<default> on the object', () => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    OptOut.because('  legacy client cannot follow  ')._record(chart, 'budget', obj, 'disruption-budget');
    expect(obj.toJson().metadata.annotations).toEqual({ 'opt-out.cdk8s-patterns.io/disruption-budget': 'legacy client cannot follow' });
    expect(OptOut.isOptOut(OptOut.because('x'))).toBe(true);
    expect(OptOut.isOptOut({ reason: 'x' })).toBe(false);
  });

  test.each(['', '   ', 'two\nlines'])('refuses the reason %j, naming the field', (reason) => {
    const chart = Testing.chart();
    const obj = new ApiObject(chart, 'o', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(() => OptOut.because(reason)._record(chart, 'networkPolicy', obj, 'network-policy')).toThrow(PatternError);
    expect(() => OptOut.because(reason)._record(chart, 'networkPolicy', obj, 'network-policy')).toThrow(
      /networkPolicy.*reason on one line/,
    );
  });
});
