import { Testing } from 'cdk8s';
import { OptOut, PatternError } from '../../lib';
import { addOptOutSite, optOutAnnotationsOf } from '../../lib/core/opt-out';

describe('OptOut', () => {
  test('the reasons in force at render become opt-out.cdk8s-patterns.io/<default> annotations', () => {
    const chart = Testing.chart();
    let reason: string | undefined = 'legacy client cannot follow';
    addOptOutSite(chart, 'disruption-budget', () => reason);
    addOptOutSite(chart, 'network-policy', () => undefined);
    expect(optOutAnnotationsOf(chart)).toEqual({ 'opt-out.cdk8s-patterns.io/disruption-budget': 'legacy client cannot follow' });
    reason = undefined;
    expect(optOutAnnotationsOf(chart)).toEqual({});
    expect(OptOut.isOptOut(OptOut.because('x'))).toBe(true);
    expect(OptOut.isOptOut({ reason: 'x' })).toBe(false);
  });

  test.each(['', '   ', 'two\nlines'])('refuses the reason %j, naming the field', (reason) => {
    const chart = Testing.chart();
    expect(() => OptOut.because(reason)._check(chart, 'networkPolicy')).toThrow(PatternError);
    expect(() => OptOut.because(reason)._check(chart, 'networkPolicy')).toThrow(/networkPolicy.*reason on one line/);
  });
});
