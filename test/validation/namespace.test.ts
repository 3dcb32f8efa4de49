import { Chart, Size, Testing } from 'cdk8s';
import { PatternError, PodSecurity, PodSecurityLevel, StatefulService, SecureNamespace } from '../../lib';
import { addNamespaceSecurity } from '../../apps/namespace-security';
import { byKind, expectValidManifests, ownMetadata, synthExample } from '../util';
import { problemsOf } from './fixtures';

const PSA = 'pod-security.kubernetes.io';

describe('SecureNamespace', () => {
  test('enforces, warns and audits restricted by default, at policy version v1.27', () => {
    const chart = Testing.chart();
    const ns = new SecureNamespace(chart, 'team-a');
    expect(ns.name).toBe('team-a');
    expect(Testing.synth(chart).map((o) => ({ ...o, metadata: ownMetadata(o.metadata) }))).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'team-a',
          labels: {
            [`${PSA}/enforce`]: 'restricted',
            [`${PSA}/enforce-version`]: 'v1.27',
            [`${PSA}/warn`]: 'restricted',
            [`${PSA}/warn-version`]: 'v1.27',
            [`${PSA}/audit`]: 'restricted',
            [`${PSA}/audit-version`]: 'v1.27',
          },
        },
      },
    ]);
  });

  test('a lower level needs a reason, which is written as an annotation; warn and audit can stay stricter', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'legacy' });
    new SecureNamespace(chart, 'legacy', {
      podSecurity: PodSecurity.baseline('vendor images start as root'),
      warn: PodSecurityLevel.RESTRICTED,
      audit: PodSecurityLevel.RESTRICTED,
      labels: { team: 'platform' },
      policyVersion: 'latest',
    });
    const [ns] = Testing.synth(chart);
    expect(ownMetadata(ns.metadata)).toEqual({
      name: 'legacy',
      labels: {
        [`${PSA}/enforce`]: 'baseline',
        [`${PSA}/enforce-version`]: 'latest',
        [`${PSA}/warn`]: 'restricted',
        [`${PSA}/warn-version`]: 'latest',
        [`${PSA}/audit`]: 'restricted',
        [`${PSA}/audit-version`]: 'latest',
        team: 'platform',
      },
      annotations: { 'cdk8s-patterns.io/pod-security-reason': 'vendor images start as root' },
    });
    expectValidManifests([ns]);
  });

  test('bad input', () => {
    const chart = Testing.chart();
    expect(() => new SecureNamespace(chart, 'a', { podSecurity: PodSecurity.privileged(' ') })).toThrow(
      /\[test\/a\] Namespace\/a podSecurity: a Pod Security level below restricted \("privileged"\) needs a reason/,
    );
    expect(() => new SecureNamespace(chart, 'b', { name: 'Team.A' })).toThrow(/\[test\/b\] name: "Team.A" is not a valid DNS-1123 label/);
    expect(() => new SecureNamespace(chart, 'c', { policyVersion: '1.27' })).toThrow(
      /\[test\/c\] Namespace\/c policyVersion: "1.27" is not a Pod Security policy version/,
    );
    expect(() => new SecureNamespace(chart, 'd', { labels: { [`${PSA}/enforce`]: 'privileged' } })).toThrow(
      /\[test\/d\] Namespace\/d labels\.pod-security\.kubernetes\.io\/enforce: Pod Security labels come from podSecurity/,
    );
    expect(() => new SecureNamespace(chart, 'e', { labels: { team: 'a', 'bad key': 'x' } })).toThrow(PatternError);
    expect(() => new SecureNamespace(chart, 'e2', { labels: { team: 'a', 'bad key': 'x' } })).toThrow(
      /\[test\/e2\] Namespace\/e2 labels\.bad key: label key "bad key" is invalid/,
    );
    expect(() => new SecureNamespace(chart, 'f', { labels: { team: 'a b' } })).toThrow(
      /\[test\/f\] Namespace\/f labels\.team: label value "a b" is invalid/,
    );
  });

  test('pods in the namespace are checked against the level it enforces', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new SecureNamespace(chart, 'shop');
    new StatefulService(chart, 'db', {
      podSecurity: PodSecurity.baseline('postgres starts as root'),
      containers: [{ name: 'pg', image: 'postgres:16', ports: [{ name: 'pg', number: 5432 }] }],
      claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    });
    const problems = problemsOf(app);
    expect(problems.map((p) => `${p.ruleId} ${p.object} ${p.field}`)).toEqual([
      'pod-security StatefulSet/db spec.template.spec.containers[0].securityContext.capabilities.drop',
      'pod-security StatefulSet/db spec.template.spec.securityContext.runAsNonRoot',
    ]);
    expect(problems[0].rule).toBe('Pod Security "restricted": container "pg" must drop ALL capabilities');
    expect(problems[0].hint).toBe(
      'namespace "shop" enforces Pod Security "restricted", so admission would reject these pods; fix the field, or lower the namespace\'s level',
    );
  });

  test('a baseline namespace admits baseline and restricted workloads', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'legacy', { namespace: 'legacy' });
    new SecureNamespace(chart, 'legacy', { podSecurity: PodSecurity.baseline('vendor images') });
    for (const [id, podSecurity] of [
      ['a', PodSecurity.baseline('root')],
      ['b', undefined],
    ] as const) {
      new StatefulService(chart, id, { podSecurity, containers: [{ name: 'c', image: 'x:1' }] });
    }
    expect(problemsOf(app)).toEqual([]);
  });
});

describe('example: namespace-security', () => {
  test('a restricted namespace and a workload that meets it', () => {
    const m = synthExample(addNamespaceSecurity);
    const [ns] = byKind(m, 'Namespace');
    expect(ns.metadata.name).toBe('payments');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels[`${PSA}/enforce`]).toBe('restricted');
    const sts = byKind(m, 'StatefulSet')[0];
    expect(sts.metadata.namespace).toBe('payments');
    // fsGroup: the claim is writable by the non-root redis user (restricted allows any fsGroup)
    expect(sts.spec.template.spec.securityContext).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
    });
    expectValidManifests(m);
  });
});
