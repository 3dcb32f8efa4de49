import { App, Chart, Testing } from 'cdk8s';
import {
  BareDisruptionBudget,
  BatchJob,
  ClusterVersion,
  DisruptionBudget,
  NodeAgent,
  OptOut,
  PatternDefaults,
  PodSecurity,
  StatefulService,
  WebService,
} from '../../lib';
import { byKind, expectValidManifests } from '../util';

const container = { name: 'app', image: 'registry.example.com/app:1.0', ports: [{ name: 'http', number: 8080 }] };
const chart = (app = Testing.app()) => new Chart(app, 'c');
const budgets = (c: Chart) => byKind(Testing.synth(c), 'PodDisruptionBudget');

describe('PodDisruptionBudget by default', () => {
  test('maxUnavailable 1 for two or more pods, over exactly the selector', () => {
    const c = chart();
    const web = new WebService(c, 'web', { containers: [container] }); // 2 replicas by default
    new StatefulService(c, 'db', { replicas: 3, containers: [container] });
    new WebService(c, 'scaled', { containers: [container], autoscaling: { minReplicas: 1, maxReplicas: 4 } });
    const pdbs = budgets(c);
    expect(pdbs.map((p) => [p.metadata.name, p.spec])).toEqual([
      [
        'web',
        { selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      ],
      [
        'db',
        { selector: { matchLabels: { 'app.kubernetes.io/name': 'db' } }, maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      ],
      [
        'scaled',
        { selector: { matchLabels: { 'app.kubernetes.io/name': 'scaled' } }, maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
      ],
    ]);
    expect(web.disruptionBudget).toBeDefined();
    expectValidManifests(Testing.synth(c));
  });

  test('none for one pod, for node agents (drains skip DaemonSet pods) and for jobs', () => {
    const c = chart();
    const one = new WebService(c, 'one', { containers: [container], replicas: 1 });
    new StatefulService(c, 'db', { containers: [container] }); // 1 replica by default
    new WebService(c, 'hpa1', { containers: [container], autoscaling: { minReplicas: 1, maxReplicas: 1 } });
    new NodeAgent(c, 'agent', {
      podSecurity: PodSecurity.restricted(),
      containers: [{ name: 'a', image: 'registry.example.com/agent:1.0' }],
    });
    new BatchJob(c, 'job', { containers: [{ name: 'j', image: 'registry.example.com/job:1.0' }], parallelism: 3 });
    expect(budgets(c)).toEqual([]);
    expect(one.disruptionBudget).toBeUndefined();
  });

  test('a second budget over the same pods is an error: eviction refuses pods with two budgets', () => {
    const c = chart();
    const web = new WebService(c, 'web', { containers: [container] });
    new BareDisruptionBudget(c, 'extra', { workload: web, budget: DisruptionBudget.minAvailable(1) });
    expect(() => Testing.synth(c)).toThrow(
      /PodDisruptionBudget\/extra spec.selector: selects the pods of Deployment\/web, which PodDisruptionBudget\/web also selects.*\[pdb-overlap\]/,
    );
    const ok = chart();
    new WebService(ok, 'web', { containers: [container], budget: OptOut.because('the platform team owns this budget') });
    new BareDisruptionBudget(ok, 'extra', { selector: { 'app.kubernetes.io/name': 'web' }, budget: DisruptionBudget.minAvailable(1) });
    expect(budgets(ok).map((p) => p.metadata.name)).toEqual(['extra']);
  });

  test('a given budget replaces the default; budgetOptions name the default one', () => {
    const c = chart();
    new StatefulService(c, 'zk', { replicas: 3, containers: [container], budget: DisruptionBudget.quorum() });
    new WebService(c, 'web', { containers: [container], budgetOptions: { name: 'web-pdb', labels: { team: 'a' } } });
    const pdbs = budgets(c);
    expect(pdbs.map((p) => [p.metadata.name, p.spec.minAvailable ?? p.spec.maxUnavailable])).toEqual([
      ['zk', 2],
      ['web-pdb', 1],
    ]);
    expect(pdbs[1].metadata.labels.team).toBe('a');
  });

  test('opt out per workload, with the reason on the main object', () => {
    const c = chart();
    new WebService(c, 'web', { containers: [container], budget: OptOut.because('batch-style consumers; any pod may go at any time') });
    const m = Testing.synth(c);
    expect(byKind(m, 'PodDisruptionBudget')).toEqual([]);
    expect(byKind(m, 'Deployment')[0].metadata.annotations).toEqual({
      'opt-out.cdk8s-patterns.io/disruption-budget': 'batch-style consumers; any pod may go at any time',
    });
    expect(() => new WebService(chart(), 'x', { containers: [container], budget: OptOut.because('') })).toThrow(
      /budget: an opt-out needs a reason on one line/,
    );
    expect(() => new WebService(chart(), 'x', { containers: [container], budget: OptOut.because('no'), budgetOptions: {} })).toThrow(
      /budgetOptions: is set but the workload gets no budget/,
    );
  });

  test('opt out app-wide: the reason lands on every workload that would have had one', () => {
    const app = new App();
    PatternDefaults.set(app, { disruptionBudgets: OptOut.because('budgets are managed by the platform team') });
    const c = chart(app);
    new WebService(c, 'web', { containers: [container] });
    new WebService(c, 'one', { containers: [container], replicas: 1 });
    new StatefulService(c, 'db', { replicas: 3, containers: [container], budget: DisruptionBudget.quorum() });
    const m = Testing.synth(c);
    expect(byKind(m, 'PodDisruptionBudget').map((p) => p.metadata.name)).toEqual(['db']); // a given budget still applies
    const annotations = Object.fromEntries(m.filter((o) => o.spec?.template).map((o) => [o.metadata.name, o.metadata.annotations]));
    expect(annotations).toEqual({
      web: { 'opt-out.cdk8s-patterns.io/disruption-budget': 'budgets are managed by the platform team' },
      one: undefined,
      db: undefined,
    });
  });

  test('an app-wide opt-out set after the workload was created is an error, not a silent budget', () => {
    const app = Testing.app();
    const c = chart(app);
    new WebService(c, 'web', { containers: [container] });
    PatternDefaults.set(app, { disruptionBudgets: OptOut.because('too late') });
    expect(() => Testing.synth(c)).toThrow(/budget: PatternDefaults.disruptionBudgets was opted out after this workload was created/);
  });
});

describe('PodDisruptionBudget by default on older clusters', () => {
  test('none on a chart declared for 1.13 (policy/v1 came in 1.21), which would reject it', () => {
    const old = chart();
    ClusterVersion.declare(old, '1.13');
    const web = new WebService(old, 'web', { containers: [container] });
    expect(budgets(old)).toEqual([]);
    expect(web.disruptionBudget).toBeUndefined();
  });

  test('configRollout on a kind whose pods do not roll is an error', () => {
    expect(() => new BatchJob(chart(), 'job', { containers: [container], configRollout: OptOut.because('x') })).toThrow(
      /configRollout: has no effect: a Job's pods are not rolled/,
    );
  });
});
