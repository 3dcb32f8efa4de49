import { Chart, Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { BatchJob, PatternError, ScheduledJob, StatefulService } from '../../lib';
import {
  checkLabels,
  checkObjectName,
  defaultName,
  labelViolations,
  namePolicyOf,
  NameRule,
  nameViolation,
  toDnsSlug,
} from '../../lib/core/names';

describe('naming rules', () => {
  test('path segments (RBAC names): anything but "." and "..", without "/" or "%", no length limit', () => {
    expect(nameViolation('system:auth-delegator', NameRule.PATH_SEGMENT)).toBeUndefined();
    expect(nameViolation('x'.repeat(300), NameRule.PATH_SEGMENT)).toBeUndefined();
    expect(nameViolation('a/b', NameRule.PATH_SEGMENT)).toBe(
      '"a/b" is not a valid path segment (it must not be "." or ".." nor contain "/" or "%")',
    );
    expect(nameViolation('..', NameRule.PATH_SEGMENT)).toMatch(/is not a valid path segment/);
    expect(nameViolation('50%', NameRule.PATH_SEGMENT)).toMatch(/is not a valid path segment/);
    expect(nameViolation('', NameRule.PATH_SEGMENT)).toBe('must be a non-empty path segment');
    expect(nameViolation('a'.repeat(254), NameRule.PATH_SEGMENT, 253)).toBe(`"${'a'.repeat(254)}" is 254 characters, more than 253`);
  });

  test('DNS rules keep their messages', () => {
    expect(nameViolation('Web', NameRule.DNS_SUBDOMAIN)).toBe(
      "\"Web\" is not a valid DNS-1123 subdomain (lower case letters, digits and '-', '.'; start and end with an alphanumeric)",
    );
    expect(nameViolation('1web', NameRule.DNS_1035_LABEL)).toBe(
      '"1web" is not a valid DNS-1035 label (lower case letters, digits and \'-\'; start with a letter)',
    );
    expect(nameViolation('a.b', NameRule.DNS_LABEL)).toMatch(/not a valid DNS-1123 label/);
  });
});

describe('per-kind name policy', () => {
  test('kinds held to more than a DNS-1123 subdomain', () => {
    expect(namePolicyOf('apps', 'StatefulSet')).toEqual(expect.objectContaining({ rule: NameRule.DNS_LABEL, max: 52 }));
    expect(namePolicyOf('batch', 'CronJob')).toEqual(expect.objectContaining({ rule: NameRule.DNS_SUBDOMAIN, max: 52 }));
    expect(namePolicyOf('batch', 'Job')).toEqual(expect.objectContaining({ rule: NameRule.DNS_SUBDOMAIN, max: 63 }));
    expect(namePolicyOf('', 'Service').rule).toBe(NameRule.DNS_1035_LABEL);
    expect(namePolicyOf('', 'Namespace').rule).toBe(NameRule.DNS_LABEL);
    expect(namePolicyOf('rbac.authorization.k8s.io', 'ClusterRole').rule).toBe(NameRule.PATH_SEGMENT);
    expect(namePolicyOf('apps', 'Deployment')).toEqual({ rule: NameRule.DNS_SUBDOMAIN });
  });

  test('constructs name their objects by the policy validation checks them with', () => {
    const problemOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        if (e instanceof PatternError) return e.problems[0];
        throw e;
      }
      throw new Error('did not throw');
    };
    const chart = new Chart(Testing.app(), 'test');
    const containers = [{ name: 'app', image: 'app:1.0' }];
    const cases: Array<[() => unknown, string, string]> = [
      [
        () =>
          new StatefulService(chart, 'a', {
            name: 'a'.repeat(53),
            containers,
            claims: [{ name: 'd', size: Size.gibibytes(1), mountPath: '/d' }],
          }),
        'apps',
        'StatefulSet',
      ],
      [() => new BatchJob(chart, 'b', { name: 'b'.repeat(64), containers }), 'batch', 'Job'],
      [() => new ScheduledJob(chart, 'c', { name: 'c'.repeat(53), schedule: '@daily', containers }), 'batch', 'CronJob'],
    ];
    for (const [fn, group, kind] of cases) {
      const policy = namePolicyOf(group, kind);
      const problem = problemOf(fn);
      expect(problem.rule).toMatch(new RegExp(`more than ${policy.max}$`));
      expect(problem.hint).toBe(policy.hint);
    }
  });

  test("checkObjectName throws a PatternError naming path, field and rule; a hint can replace the policy's", () => {
    const scope = new Construct(new Chart(Testing.app(), 'test'), 'svc');
    expect(checkObjectName(scope, 'name', 'web', '', 'Service')).toBe('web');
    expect(() => checkObjectName(scope, 'name', '1web', '', 'Service')).toThrow(PatternError);
    expect(() => checkObjectName(scope, 'name', '1web', '', 'Service')).toThrow(
      /\[test\/svc\] name: "1web" is not a valid DNS-1035 label.*hint: Service names become DNS labels/,
    );
    expect(() => checkObjectName(scope, 'name', '1web', '', 'Service', 'set service.name')).toThrow(/hint: set service\.name\)$/);
  });
});

describe('label maps', () => {
  test('labelViolations lists every bad entry; checkLabels throws for the first', () => {
    const labels = { ok: 'yes', 'bad key!': 'x', team: 'has space', 'example.com/tier': 'db' };
    expect(labelViolations(labels)).toEqual([
      { key: 'bad key!', rule: expect.stringMatching(/^label key "bad key!" is invalid/) },
      { key: 'team', rule: expect.stringMatching(/^label value "has space" is invalid/) },
    ]);
    expect(labelViolations({ 'app.kubernetes.io/name': 'web' })).toEqual([]);
    const scope = new Construct(new Chart(Testing.app(), 'test'), 'w');
    expect(() => checkLabels(scope, 'podLabels', labels)).toThrow(PatternError);
    expect(() => checkLabels(scope, 'podLabels', labels)).toThrow(/\[test\/w\] podLabels\.bad key!: label key "bad key!" is invalid/);
  });
});

describe('toDnsSlug', () => {
  test('lower-cases, turns runs of other characters into "-", trims the ends', () => {
    expect(toDnsSlug('jane@example.com')).toBe('jane-example.com');
    expect(toDnsSlug('--Orders/DB__')).toBe('orders-db');
    expect(toDnsSlug('a.b c', { dots: false })).toBe('a-b-c');
    expect(toDnsSlug(`wait-${'x'.repeat(60)}.y`, { dots: false, maxLength: 63 })).toBe(`wait-${'x'.repeat(58)}`);
    expect(toDnsSlug('wait-for-abc', { maxLength: 9 })).toBe('wait-for');
  });

  test('defaultName is the slug of the construct path below the chart', () => {
    const chart = new Chart(Testing.app(), 'test');
    const orders = new Construct(chart, 'Orders');
    expect(defaultName(new Construct(orders, 'DB_Primary'))).toBe('orders-db-primary');
    expect(defaultName(new Construct(chart, 'mysql'))).toBe('mysql');
  });
});
