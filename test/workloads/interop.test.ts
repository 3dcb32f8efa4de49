import { Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import {
  BareService,
  ContainerProbe,
  DisruptionBudget,
  InitStep,
  MutatingWebhook,
  NodeAgent,
  PodSecurity,
  PodVolume,
  StatefulService,
  WebhookClientConfig,
  WebhookOperation,
  WebService,
} from '../../lib';
import { byKind, expectValidManifests, ownMetadata } from '../util';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'apps' });
const web = (c: Chart) =>
  new WebService(c, 'web', {
    exposeService: false,
    containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] }],
  });

describe('our workloads where cdk8s-plus-27 takes pods', () => {
  test('a cdk8s-plus Service selects the pods of our workload', () => {
    const c = chart();
    const w = web(c);
    const svc = new plus.Service(c, 'svc', { ports: [{ port: 80, targetPort: 8080 }] });
    svc.select(w);
    const m = Testing.synth(c);
    expect(byKind(m, 'Service')[0].spec.selector).toEqual({ 'app.kubernetes.io/name': 'web' });
    expectValidManifests(m);
  });

  test('a cdk8s-plus NetworkPolicy takes our workload as selector and peer', () => {
    const c = chart();
    const w = web(c);
    const db = new StatefulService(c, 'db', {
      containers: [{ name: 'db', image: 'example/db:1.0', ports: [{ name: 'pg', number: 5432 }] }],
    });
    const policy = new plus.NetworkPolicy(c, 'policy', { selector: db });
    policy.addIngressRule(w, [plus.NetworkPolicyPort.tcp(5432)]);
    const m = Testing.synth(c);
    const np = byKind(m, 'NetworkPolicy').find((o) => o.metadata.name !== 'db' && o.metadata.name !== 'web');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'db' } });
    expect(np.spec.ingress[0].from[0].podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expectValidManifests(m);
  });

  test('a cdk8s-plus HorizontalPodAutoscaler scales a WebService (IScalable): no replicas written, budget and spread follow it', () => {
    const c = chart();
    const w = new WebService(c, 'web', {
      exposeService: false,
      budget: DisruptionBudget.quorum(),
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] }],
    });
    new plus.HorizontalPodAutoscaler(c, 'hpa', { target: w, minReplicas: 3, maxReplicas: 10 });
    expect(w.hasAutoscaler).toBe(true);
    expect(w.replicas).toBeUndefined();
    const target = w.toScalingTarget();
    expect(
      target.containers.map((ct) => [ct.name, ct.resources?.cpu?.request?.amount, ct.resources?.memory?.request?.toMebibytes()]),
    ).toEqual([['web', '100m', 128]]);
    const m = Testing.synth(c);
    const [dep] = byKind(m, 'Deployment');
    expect(dep.spec.replicas).toBeUndefined();
    expect(dep.spec.template.spec.topologySpreadConstraints).toBeDefined(); // up to 10 pods: spread by default
    expect(byKind(m, 'HorizontalPodAutoscaler')[0].spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(byKind(m, 'PodDisruptionBudget')[0].spec.minAvailable).toBe(2); // quorum of the autoscaler's 3
    expectValidManifests(m);
  });

  test('many cdk8s-plus autoscalers: the app walks to find them do not grow with their number', () => {
    const walksFor = (n: number) => {
      const app = Testing.app();
      const c = new Chart(app, 'test');
      for (let i = 0; i < n; i++) {
        const w = new WebService(c, `web${i}`, {
          exposeService: false,
          budget: DisruptionBudget.quorum(),
          containers: [{ name: 'web', image: 'example/web:1.0' }],
        });
        new plus.HorizontalPodAutoscaler(c, `hpa${i}`, { target: w, minReplicas: 3, maxReplicas: 6 });
      }
      const walks = jest.spyOn(app.node, 'findAll');
      const m = Testing.synth(c);
      expect(byKind(m, 'PodDisruptionBudget').map((b) => b.spec.minAvailable)).toEqual(Array(n).fill(2));
      return walks.mock.calls.length;
    };
    expect(walksFor(40)).toBe(walksFor(10)); // one index walk serves every WebService
  });

  test('a cdk8s-plus HorizontalPodAutoscaler is refused by a WebService that already owns its replica count', () => {
    const container = { name: 'web', image: 'nginxinc/nginx-unprivileged:1.25' };
    const c = chart();
    const fixed = new WebService(c, 'fixed', { exposeService: false, replicas: 3, containers: [container] });
    expect(() => new plus.HorizontalPodAutoscaler(c, 'hpa1', { target: fixed, maxReplicas: 5 })).toThrow(
      /\[test\/fixed\] Deployment\/fixed replicas: is set and a cdk8s-plus HorizontalPodAutoscaler targets this WebService[\s\S]*minReplicas/,
    );
    const scaled = new WebService(c, 'scaled', { exposeService: false, autoscaling: { maxReplicas: 5 }, containers: [container] });
    expect(() => new plus.HorizontalPodAutoscaler(c, 'hpa2', { target: scaled, maxReplicas: 5 })).toThrow(
      /\[test\/scaled\] Deployment\/scaled autoscaling: is set and a cdk8s-plus HorizontalPodAutoscaler also targets this WebService/,
    );
  });
});

describe('InitStep options and cdk8s-plus Services', () => {
  test('waitForService takes a cdk8s-plus Service and a BareService, and another lookup command', () => {
    const c = chart();
    const plusSvc = new plus.Service(c, 'cache', { ports: [{ port: 6379 }] });
    const bare = new BareService(c, 'db', { ports: [{ port: 5432 }] });
    const a = InitStep.waitForService(plusSvc, { lookupCommand: 'getent hosts' });
    const b = InitStep.waitForService(bare);
    expect(a.container.command![2]).toContain(`until getent hosts ${plusSvc.name}.apps.svc;`);
    expect(b.container.name).toBe('wait-for-db');
    expect(b.container.command![2]).toContain('until nslookup db.apps.svc;');
    expect(() => InitStep.waitForService('db', { lookupCommand: 'x; rm -rf /' })).toThrow(/lookupCommand/);
  });

  test('configFromOrdinal: source and target paths', () => {
    const step = InitStep.configFromOrdinal({
      source: PodVolume.emptyDir('src'),
      target: 'conf',
      firstPodFiles: ['primary.cnf'],
      sourcePath: '/config/source',
      targetPath: '/config/out',
    });
    expect(step.container.mounts).toEqual([
      { volume: 'src', path: '/config/source' },
      { volume: 'conf', path: '/config/out' },
    ]);
    expect(step.container.command![2]).toContain('cp /config/source/primary.cnf /config/out/');
  });
});

describe('companion objects: name, labels, annotations', () => {
  test('budgetOptions, readServiceOptions and serviceOptions labels', () => {
    const c = chart();
    new StatefulService(c, 'db', {
      replicas: 3,
      containers: [{ name: 'db', image: 'example/db:1.0', ports: [{ name: 'pg', number: 5432 }] }],
      budget: DisruptionBudget.quorum(),
      budgetOptions: { name: 'db-quorum', labels: { tier: 'db' }, annotations: { owner: 'team-a' } },
      readServiceOptions: { labels: { 'monitoring.example.com/scrape': 'true' }, annotations: { note: 'reads' } },
    });
    new WebService(c, 'web', {
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] }],
      serviceOptions: { labels: { expose: 'internal' } },
      budget: DisruptionBudget.maxUnavailable(1),
      budgetOptions: { name: 'web-pdb' },
    });
    const m = Testing.synth(c);
    const pdbs = byKind(m, 'PodDisruptionBudget');
    expect(pdbs.map((p) => ownMetadata(p.metadata))).toEqual([
      { name: 'db-quorum', namespace: 'apps', labels: { tier: 'db' }, annotations: { owner: 'team-a' } },
      { name: 'web-pdb', namespace: 'apps' },
    ]);
    const svc = (name: string) => byKind(m, 'Service').find((s) => s.metadata.name === name);
    expect(ownMetadata(svc('db-read').metadata)).toEqual({
      name: 'db-read',
      namespace: 'apps',
      labels: { 'monitoring.example.com/scrape': 'true' },
      annotations: { note: 'reads' },
    });
    expect(ownMetadata(svc('db').metadata).labels).toBeUndefined();
    expect(ownMetadata(svc('web').metadata).labels).toEqual({ expose: 'internal' });
    expectValidManifests(m);
    expect(() => new WebService(chart(), 'x', { containers: [{ name: 'a', image: 'a:1' }], replicas: 1, budgetOptions: {} })).toThrow(
      /budgetOptions: is set but the workload gets no budget/,
    );
  });
});

describe('more companions', () => {
  test('autoscalerOptions on a WebService, serviceOptions on a StatefulService (the headless Service)', () => {
    const c = chart();
    new WebService(c, 'web', {
      containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] }],
      autoscaling: { maxReplicas: 5 },
      autoscalerOptions: { name: 'web-hpa', labels: { tier: 'web' } },
    });
    new StatefulService(c, 'db', {
      containers: [{ name: 'db', image: 'example/db:1.0', ports: [{ name: 'pg', number: 5432 }] }],
      serviceOptions: { name: 'db-peers', labels: { discovery: 'peers' }, annotations: { note: 'x' } },
    });
    const m = Testing.synth(c);
    expect(ownMetadata(byKind(m, 'HorizontalPodAutoscaler')[0].metadata)).toEqual({
      name: 'web-hpa',
      namespace: 'apps',
      labels: { tier: 'web' },
    });
    const headless = byKind(m, 'Service').find((s) => s.metadata.name === 'db-peers');
    expect(ownMetadata(headless.metadata)).toEqual({
      name: 'db-peers',
      namespace: 'apps',
      labels: { discovery: 'peers' },
      annotations: { note: 'x' },
    });
    expect(byKind(m, 'StatefulSet')[0].spec.serviceName).toBe('db-peers');
    expectValidManifests(m);
    expect(
      () =>
        new StatefulService(chart(), 'x', {
          containers: [{ name: 'a', image: 'a:1' }],
          serviceName: 'a',
          serviceOptions: { name: 'b' },
        }),
    ).toThrow(/serviceOptions\.name: is the same setting as serviceName/);
  });
});

describe('other cdk8s-plus majors', () => {
  // a stand-in for a cdk8s-plus-33 class: jsii type information names the package and its major
  class Probe33 {
    public _toKube() {
      return { tcpSocket: { port: 8080 } };
    }
  }
  class Odd33 {}
  Object.defineProperty(Probe33, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-33.Probe', version: '2.0.0' } });
  Object.defineProperty(Odd33, Symbol.for('jsii.rtti'), { value: { fqn: 'cdk8s-plus-33.Handler', version: '2.0.0' } });

  test('an object of another major with the same shape is accepted; one without it is an error naming the supported major', () => {
    const c = chart();
    new WebService(c, 'web', {
      exposeService: false,
      containers: [{ name: 'web', image: 'example/web:1.0', readiness: new Probe33() as any }],
    });
    expect(byKind(Testing.synth(c), 'Deployment')[0].spec.template.spec.containers[0].readinessProbe).toEqual({
      tcpSocket: { port: 8080 },
    });
    expect(
      () => new WebService(chart(), 'x', { exposeService: false, containers: [{ name: 'a', image: 'a:1', preStop: new Odd33() as any }] }),
    ).toThrow(/containers\[0\]\.preStop: is a cdk8s-plus-33 object; this library is built on cdk8s-plus-27/);
  });

  test("ContainerProbe: probes of cdk8s-plus-33 (today's cdk8s init) and of our own factories render like plus-27 ones", () => {
    const render = (probe: plus.Probe | ContainerProbe) => {
      const c = chart();
      new WebService(c, 'web', {
        exposeService: false,
        containers: [{ name: 'web', image: 'example/web:1.0', ports: [{ name: 'http', number: 8080 }], readiness: probe }],
      });
      return byKind(Testing.synth(c), 'Deployment')[0].spec.template.spec.containers[0].readinessProbe;
    };
    const opts = { periodSeconds: Duration.seconds(5), failureThreshold: 3 };
    const expected = render(plus.Probe.fromHttpGet('/healthz', opts));
    expect(expected).toMatchObject({ httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5, failureThreshold: 3 });
    expect(render(ContainerProbe.fromPlus(plus33.Probe.fromHttpGet('/healthz', opts)))).toEqual(expected);
    expect(render(ContainerProbe.httpGet('/healthz', opts))).toEqual(expected);
    expect(render(ContainerProbe.tcpSocket())).toEqual(render(plus.Probe.fromTcpSocket()));
    expect(render(ContainerProbe.command(['true']))).toEqual(render(plus.Probe.fromCommand(['true'])));
    expect(() => ContainerProbe.fromPlus(plus33.Handler.fromCommand(['true']))).toThrow(
      /\[<ContainerProbe.fromPlus>\] probe: is a cdk8s-plus-33 Handler, not a Probe that renders like cdk8s-plus-27's/,
    );
    expect(() => ContainerProbe.fromPlus({})).toThrow(/probe: is not a cdk8s-plus Probe/);
    // given directly (from JavaScript, or TypeScript with a cast), a plus object of the wrong class is refused too
    expect(
      () =>
        new WebService(chart(), 'x', {
          exposeService: false,
          containers: [{ name: 'a', image: 'a:1', readiness: plus33.Handler.fromCommand(['true']) as any }],
        }),
    ).toThrow(/containers\[0\]\.readiness: is a cdk8s-plus-33 Handler, not a Probe/);
  });
});

describe('webhooks through a cdk8s-plus Service or a BareService', () => {
  test('WebhookClientConfig.service takes them, and checks their port', () => {
    const c = chart();
    const plusSvc = new plus.Service(c, 'hooks', { ports: [{ port: 443, targetPort: 8443 }] });
    const bare = new BareService(c, 'other-hooks', { ports: [{ port: 8443 }] });
    const rules = [{ operations: [WebhookOperation.CREATE], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }];
    new MutatingWebhook(c, 'm', { webhooks: [{ name: 'a.hooks.example.com', rules, clientConfig: WebhookClientConfig.service(plusSvc) }] });
    new MutatingWebhook(c, 'n', {
      webhooks: [{ name: 'b.hooks.example.com', rules, clientConfig: WebhookClientConfig.service(bare, { port: 8443 }) }],
    });
    const m = Testing.synth(c);
    const services = byKind(m, 'MutatingWebhookConfiguration').map((w) => w.webhooks[0].clientConfig.service);
    expect(services).toEqual([
      { name: plusSvc.name, namespace: 'apps' },
      { name: 'other-hooks', namespace: 'apps', port: 8443 },
    ]);
    const wrong = chart();
    const svc = new BareService(wrong, 'hooks', { ports: [{ port: 443 }] });
    new MutatingWebhook(wrong, 'm', {
      webhooks: [{ name: 'a.hooks.example.com', rules, clientConfig: WebhookClientConfig.service(svc, { port: 9443 }) }],
    });
    expect(() => Testing.synth(wrong)).toThrow(/has no port 9443/);
  });
});

describe('NodeAgent companions', () => {
  test('accessOptions and serviceAccountOptions name and label the ClusterRole, its binding and the ServiceAccount', () => {
    const c = chart();
    new NodeAgent(c, 'agent', {
      podSecurity: PodSecurity.privileged('reads node logs'),
      containers: [{ name: 'a', image: 'example/agent:1.0' }],
      rules: [{ resources: ['nodes'], verbs: ['get', 'list', 'watch'] }],
      accessOptions: { name: 'agent-nodes-reader', labels: { team: 'infra' }, annotations: { why: 'node metadata' } },
      serviceAccountOptions: { name: 'agent-sa', labels: { team: 'infra' } },
    });
    const m = Testing.synth(c);
    expect(ownMetadata(byKind(m, 'ClusterRole')[0].metadata)).toEqual({
      name: 'agent-nodes-reader',
      labels: { team: 'infra' },
      annotations: { why: 'node metadata' },
    });
    expect(ownMetadata(byKind(m, 'ClusterRoleBinding')[0].metadata)).toEqual({
      name: 'agent-nodes-reader',
      labels: { team: 'infra' },
      annotations: { why: 'node metadata' },
    });
    expect(ownMetadata(byKind(m, 'ServiceAccount')[0].metadata)).toEqual({
      name: 'agent-sa',
      namespace: 'apps',
      labels: { team: 'infra' },
    });
    expect(byKind(m, 'DaemonSet')[0].spec.template.spec.serviceAccountName).toBe('agent-sa');
    expectValidManifests(m);
    expect(
      () =>
        new NodeAgent(chart(), 'x', {
          podSecurity: PodSecurity.privileged('x'),
          containers: [{ name: 'a', image: 'a:1' }],
          accessOptions: {},
        }),
    ).toThrow(/accessOptions: is set without rules/);
  });
});
