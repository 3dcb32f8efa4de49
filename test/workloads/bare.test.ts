import { Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { BareDisruptionBudget, BarePod, BareService, DisruptionBudget, PodSecurity, StatefulService, Warnings } from '../../lib';
import { byKind, expectValidManifests, ownMetadata } from '../util';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'apps', labels: { team: 'a' } });

describe('BarePod', () => {
  test('a Pod with init containers: the chart namespace and labels, the selector labels, restricted defaults', () => {
    const c = chart();
    new BarePod(c, 'myapp-pod', {
      initContainers: [
        { name: 'init-myservice', image: 'busybox:1.28', command: ['sh', '-c', 'until nslookup myservice; do sleep 2; done'] },
      ],
      containers: [{ name: 'myapp', image: 'busybox:1.28', command: ['sh', '-c', 'echo The app is running! && sleep 3600'] }],
      restartPolicy: plus.RestartPolicy.ALWAYS,
    });
    const m = Testing.synth(c);
    const [pod] = byKind(m, 'Pod');
    expect(ownMetadata(pod.metadata)).toEqual({ name: 'myapp-pod', namespace: 'apps', labels: { team: 'a' } });
    expect(pod.metadata.labels['app.kubernetes.io/name']).toBe('myapp-pod');
    expect(pod.spec.initContainers.map((x: any) => x.name)).toEqual(['init-myservice']);
    expect(pod.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec.restartPolicy).toBe('Always');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expectValidManifests(m);
  });

  test('the Pod Security annotations land on the Pod (both of them)', () => {
    const c = chart();
    new BarePod(c, 'debug', {
      podSecurity: PodSecurity.baseline('debug image runs as root'),
      containers: [{ name: 'sh', image: 'busybox:1.28' }],
    });
    const [pod] = byKind(Testing.synth(c), 'Pod');
    expect(pod.metadata.annotations).toEqual({
      'cdk8s-patterns.io/pod-security': 'baseline',
      'cdk8s-patterns.io/pod-security-reason': 'debug image runs as root',
    });
  });

  test('is checked like every workload', () => {
    const c = chart();
    new BarePod(c, 'p', { containers: [{ name: 'a', image: 'busybox' }] });
    expect(() => Testing.synth(c)).toThrow(/image-tag|latest/);
  });
});

describe('BareService', () => {
  test('selector-less (hand-managed endpoints), ExternalName, headless, and over a cdk8s-plus Deployment', () => {
    const c = chart();
    const legacy = new plus.Deployment(c, 'legacy', { containers: [{ image: 'nginx:1.25', portNumber: 80 }], podMetadata: {} });
    new BareService(c, 'external-db', { ports: [{ port: 5432 }], labels: { tier: 'db' } });
    new BareService(c, 'search', { externalName: 'search.example.com' });
    new BareService(c, 'peers', { headless: true, selector: legacy.matchLabels });
    new BareService(c, 'legacy-svc', { selector: legacy.matchLabels, ports: [{ port: 80, targetPort: 80 }] });
    const m = Testing.synth(c);
    const svc = (name: string) => byKind(m, 'Service').find((s) => s.metadata.name === name);
    expect({ ...svc('external-db'), metadata: ownMetadata(svc('external-db').metadata) }).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'external-db', namespace: 'apps', labels: { team: 'a', tier: 'db' } },
      spec: { ports: [{ port: 5432, targetPort: 5432 }] },
    });
    expect(svc('search').spec).toEqual({ type: 'ExternalName', externalName: 'search.example.com' });
    expect(svc('peers').spec).toEqual({ clusterIP: 'None', selector: legacy.matchLabels });
    expect(svc('legacy-svc').spec.selector).toEqual(legacy.matchLabels);
    expectValidManifests(m);
  });

  test('shapes the API server rejects fail at construction', () => {
    expect(() => new BareService(chart(), 's', { type: plus.ServiceType.EXTERNAL_NAME })).toThrow(
      /externalName: an ExternalName Service needs the DNS name/,
    );
    expect(() => new BareService(chart(), 's', { externalName: 'x.example.com', selector: { a: 'b' } })).toThrow(
      /selector: an ExternalName Service points at a DNS name, not at pods/,
    );
    expect(() => new BareService(chart(), 's', { headless: true, type: plus.ServiceType.NODE_PORT })).toThrow(/cannot be headless/);
    const c = chart();
    new BareService(c, 's', { selector: { a: 'b' } });
    expect(() => Testing.synth(c)).toThrow(/ports: the Service has no ports/);
  });
});

describe('BareDisruptionBudget', () => {
  test('over a cdk8s-plus Deployment, named and labelled', () => {
    const c = chart();
    const legacy = new plus.Deployment(c, 'legacy', { replicas: 3, containers: [{ image: 'nginx:1.25', portNumber: 80 }] });
    new BareDisruptionBudget(c, 'legacy-budget', {
      selector: legacy.matchLabels,
      budget: DisruptionBudget.maxUnavailable(1),
      labels: { tier: 'web' },
      annotations: { note: 'x' },
    });
    const m = Testing.synth(c);
    const [pdb] = byKind(m, 'PodDisruptionBudget');
    expect({ ...pdb, metadata: ownMetadata(pdb.metadata) }).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'legacy-budget', namespace: 'apps', labels: { team: 'a', tier: 'web' }, annotations: { note: 'x' } },
      spec: { selector: { matchLabels: legacy.matchLabels }, maxUnavailable: 1 },
    });
    expect(Warnings.of(c).filter((w) => w.message.includes('pdb-selector'))).toEqual([]);
    expectValidManifests(m);
  });

  test('over one of our workloads; a budget that blocks drains is an error', () => {
    const c = chart();
    const db = new StatefulService(c, 'db', { replicas: 2, containers: [{ name: 'db', image: 'example/db:1.0' }] });
    new BareDisruptionBudget(c, 'db-budget', { workload: db, replicas: 2, budget: DisruptionBudget.quorum() });
    expect(() => Testing.synth(c)).toThrow(/the quorum of 2 replicas is 2, all of them/);
    expect(() => new BareDisruptionBudget(chart(), 'b', { budget: DisruptionBudget.maxUnavailable(1) })).toThrow(
      /selector: a budget needs the labels of the pods it covers/,
    );
  });
});
