import { Chart, Duration, Size, Testing } from 'cdk8s';
import { DeploymentStrategy, Metric, MetricTarget, PercentOrAbsolute, Probe, ServiceType, Topology } from 'cdk8s-plus-27';
import { PatternDefaults } from '../../lib/pod/defaults';
import { PatternError } from '../../lib/core/errors';
import { DisruptionBudget } from '../../lib/workloads/disruption-budget';
import { DeploymentUpdateStrategy } from '../../lib/workloads/rolling-update';
import { WebService, WebServiceProps } from '../../lib/workloads/web-service';
import { addIstioApp } from '../../apps/istio-app';
import { addNginxDeployment } from '../../apps/nginx-deployment';
import { byKind, expectValidManifests, synthExample, ownMetadata } from '../util';

const base: WebServiceProps = {
  containers: [{ name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] }],
};

function build(props: Partial<WebServiceProps> = {}, chartProps: { namespace?: string } = {}) {
  const chart = new Chart(Testing.app(), 'test', chartProps);
  const web = new WebService(chart, 'web', { ...base, ...props });
  const manifests = () => Testing.synth(chart);
  const deployment = () => byKind(manifests(), 'Deployment')[0];
  return { chart, web, manifests, deployment };
}

describe('WebService: Deployment', () => {
  test('defaults: 2 replicas, a ClusterIP Service over the named ports, selector == template labels, restricted pods', () => {
    const { manifests } = build();
    const m = manifests();
    expect(m.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'NetworkPolicy', 'PodDisruptionBudget']);
    const [dep] = byKind(m, 'Deployment');
    const [svc] = byKind(m, 'Service');
    expect(dep.metadata.name).toBe('web');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(ownMetadata(dep.spec.template.metadata).labels).toBeUndefined();
    expect(dep.spec.template.metadata.labels).toEqual(expect.objectContaining(dep.spec.selector.matchLabels));
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }); // the default, written out
    expect(dep.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(svc.metadata.name).toBe('web');
    expect(svc.spec).toEqual({ selector: dep.spec.selector.matchLabels, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
    expectValidManifests(m);
  });

  test('RollingUpdate with absolute, percent and cdk8s-plus PercentOrAbsolute values', () => {
    const abs = build({ strategy: DeploymentUpdateStrategy.rollingUpdate({ maxSurge: 1, maxUnavailable: 0 }) }).deployment();
    expect(abs.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const pct = build({
      strategy: DeploymentUpdateStrategy.rollingUpdate({ maxSurge: '50%', maxUnavailable: PercentOrAbsolute.percent(0) }),
    }).deployment();
    expect(pct.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: '0%' } });
    const one = build({ strategy: DeploymentUpdateStrategy.rollingUpdate({ maxUnavailable: PercentOrAbsolute.absolute(2) }) }).deployment();
    expect(one.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } });
    expect(build({ strategy: DeploymentUpdateStrategy.rollingUpdate() }).deployment().spec.strategy).toEqual({ type: 'RollingUpdate' });
  });

  test('Recreate has no rollingUpdate; a cdk8s-plus DeploymentStrategy is accepted', () => {
    expect(build({ strategy: DeploymentUpdateStrategy.recreate() }).deployment().spec.strategy).toEqual({ type: 'Recreate' });
    expect(build({ strategy: DeploymentStrategy.recreate() }).deployment().spec.strategy).toEqual({ type: 'Recreate' });
    const plus = build({ strategy: DeploymentStrategy.rollingUpdate({ maxSurge: PercentOrAbsolute.absolute(3) }) });
    expect(plus.deployment().spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: '25%' } });
    expectValidManifests(plus.manifests());
  });

  test('minReady, progressDeadline and revisionHistoryLimit', () => {
    const spec = build({ minReady: Duration.seconds(10), progressDeadline: Duration.minutes(5), revisionHistoryLimit: 3 }).deployment()
      .spec;
    expect(spec.minReadySeconds).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(300);
    expect(spec.revisionHistoryLimit).toBe(3);
  });

  test('probes, preStop, terminationGracePeriodSeconds and resources', () => {
    const { deployment, manifests } = build({
      terminationGracePeriod: Duration.seconds(45),
      containers: [
        {
          ...base.containers[0],
          readiness: Probe.fromHttpGet('/ready'),
          liveness: Probe.fromHttpGet('/live', { periodSeconds: Duration.seconds(20) }),
          startup: Probe.fromTcpSocket({ failureThreshold: 30 }),
          preStop: ['sleep', '10'],
          resources: { cpu: { request: '250m', limit: '1' }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) } },
        },
      ],
    });
    const pod = deployment().spec.template.spec;
    const c = pod.containers[0];
    expect(pod.terminationGracePeriodSeconds).toBe(45);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 8080, scheme: 'HTTP' });
    expect(c.livenessProbe.periodSeconds).toBe(20);
    expect(c.startupProbe).toEqual({ failureThreshold: 30, tcpSocket: { port: 8080 } });
    expect(c.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } });
    expectValidManifests(manifests());
  });
});

describe('WebService: Service', () => {
  test('LoadBalancer / NodePort on request, with explicit ports', () => {
    const lb = byKind(
      build({ serviceOptions: { type: ServiceType.LOAD_BALANCER, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }).manifests(),
      'Service',
    )[0];
    expect(lb.spec.type).toBe('LoadBalancer');
    expect(lb.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    const { manifests } = build({
      serviceOptions: { name: 'front', type: ServiceType.NODE_PORT, ports: [{ name: 'http', port: 80, nodePort: 30080 }] },
    });
    const np = byKind(manifests(), 'Service')[0];
    expect(np.metadata.name).toBe('front');
    expect(np.spec).toEqual(
      expect.objectContaining({ type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }] }),
    );
    expectValidManifests(manifests());
  });

  test('exposeService: false adds no Service; containers added later are exposed', () => {
    expect(byKind(build({ exposeService: false }).manifests(), 'Service')).toEqual([]);
    const { web, manifests } = build();
    web.pod.addContainer({ name: 'metrics', image: 'exporter:1.0', ports: [{ name: 'metrics', number: 9100 }] });
    expect(byKind(manifests(), 'Service')[0].spec.ports.map((p: any) => p.name)).toEqual(['http', 'metrics']);
  });
});

describe('WebService: autoscaling, budget, spreading', () => {
  test('an autoscaler owns the replica count: spec.replicas is omitted, the HPA targets the Deployment', () => {
    const { manifests, web } = build({ autoscaling: { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 } });
    const m = manifests();
    const dep = byKind(m, 'Deployment')[0];
    const [hpa] = byKind(m, 'HorizontalPodAutoscaler');
    expect(web.replicas).toBeUndefined();
    expect('replicas' in dep.spec).toBe(false);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata.name).toBe('web');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
      ],
    });
    expectValidManifests(m);
  });

  test('default CPU target 80%; cdk8s-plus Metrics are accepted', () => {
    const hpa = byKind(build({ autoscaling: { maxReplicas: 4 } }).manifests(), 'HorizontalPodAutoscaler')[0];
    expect(hpa.spec.minReplicas).toBeUndefined();
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    const { manifests } = build({ autoscaling: { maxReplicas: 4, metrics: [Metric.resourceCpu(MetricTarget.averageUtilization(60))] } });
    const plusHpa = byKind(manifests(), 'HorizontalPodAutoscaler')[0];
    expect(plusHpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
    ]);
    expectValidManifests(manifests());
  });

  test('PDB with quorum resolves against the autoscaler minimum, selector equals the Deployment selector', () => {
    const { manifests } = build({ autoscaling: { minReplicas: 5, maxReplicas: 9 }, budget: DisruptionBudget.quorum() });
    const m = manifests();
    const pdb = byKind(m, 'PodDisruptionBudget')[0];
    expect(pdb.spec.minAvailable).toBe(3);
    expect(pdb.spec.selector.matchLabels).toEqual(byKind(m, 'Deployment')[0].spec.selector.matchLabels);
    expect(byKind(build({ replicas: 4, budget: DisruptionBudget.quorum() }).manifests(), 'PodDisruptionBudget')[0].spec.minAvailable).toBe(
      3,
    );
    expectValidManifests(m);
  });

  test('spreading: on by default over zones and nodes, soft, counting only the current ReplicaSet', () => {
    const tsc = build().deployment().spec.template.spec.topologySpreadConstraints;
    const common = {
      maxSkew: 1,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      matchLabelKeys: ['pod-template-hash'],
    };
    expect(tsc).toEqual([
      { topologyKey: 'topology.kubernetes.io/zone', ...common },
      { topologyKey: 'kubernetes.io/hostname', ...common },
    ]);
  });

  test('spreading: off for a single pod or on request; options for hard spreading over chosen topologies', () => {
    expect(build({ replicas: 1 }).deployment().spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(build({ spread: false }).deployment().spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(build({ autoscaling: { maxReplicas: 3 } }).deployment().spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    const tsc = build({ spread: { topologies: [Topology.HOSTNAME], maxSkew: 2, required: true } }).deployment().spec.template.spec
      .topologySpreadConstraints;
    expect(tsc).toEqual([
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', maxSkew: 2, whenUnsatisfiable: 'DoNotSchedule' }),
    ]);
  });
});

describe('WebService bad input', () => {
  const noRequests = () => {
    const chart = new Chart(Testing.app(), 'test');
    PatternDefaults.set(chart, { containerResources: false });
    new WebService(chart, 'web', { ...base, autoscaling: { maxReplicas: 3 } });
    return Testing.synth(chart);
  };
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'maxSurge and maxUnavailable both 0',
      () => build({ strategy: DeploymentUpdateStrategy.rollingUpdate({ maxSurge: 0, maxUnavailable: 0 }) }),
      /test\/web.*strategy\.rollingUpdate: maxSurge and maxUnavailable are both 0/,
    ],
    [
      'both 0 as percentages',
      () => build({ strategy: DeploymentUpdateStrategy.rollingUpdate({ maxSurge: '0%', maxUnavailable: PercentOrAbsolute.absolute(0) }) }),
      /strategy\.rollingUpdate: maxSurge and maxUnavailable are both 0/,
    ],
    [
      'maxUnavailable over 100%',
      () => build({ strategy: DeploymentUpdateStrategy.rollingUpdate({ maxUnavailable: '150%' }) }),
      /strategy\.maxUnavailable: must not be more than 100%/,
    ],
    [
      'fractional percentage',
      () => build({ strategy: DeploymentUpdateStrategy.rollingUpdate({ maxSurge: PercentOrAbsolute.percent(12.5) }) }),
      /strategy\.maxSurge: must be a non-negative integer or a whole percentage.*"12\.5%"/,
    ],
    [
      'replicas with autoscaling',
      () => build({ replicas: 3, autoscaling: { maxReplicas: 5 } }),
      /test\/web.*replicas: cannot be set together with autoscaling.*hint: set autoscaling\.minReplicas/,
    ],
    [
      'minReplicas above maxReplicas',
      () => build({ autoscaling: { minReplicas: 6, maxReplicas: 5 } }),
      /autoscaling\.minReplicas: minReplicas 6 is above maxReplicas 5/,
    ],
    [
      'minReplicas 0',
      () => build({ autoscaling: { minReplicas: 0, maxReplicas: 5 } }),
      /autoscaling\.minReplicas: must be an integer of at least 1 \(got 0\)/,
    ],
    ['utilization target without requests', noRequests, /test\/web.*autoscaling\.cpuUtilization: container "web" has no cpu request/],
    [
      'progressDeadline not above minReady',
      () => build({ minReady: Duration.seconds(60), progressDeadline: Duration.seconds(60) }),
      /progressDeadline: 60s must be more than minReady \(60s\)/,
    ],
    [
      'fractional progressDeadline',
      () => build({ progressDeadline: Duration.millis(1500) }),
      /progressDeadline: must be a whole number of seconds/,
    ],
    [
      'Service without ports',
      () => build({ containers: [{ name: 'web', image: 'busybox:1.36' }] }).manifests(),
      /test\/web.*serviceOptions\.ports: the Service has no ports/,
    ],
    [
      'targetPort names no container port',
      () => build({ serviceOptions: { ports: [{ name: 'web', port: 80 }] } }).manifests(),
      /serviceOptions\.ports\[0\]\.targetPort: "web" is not the name of any container port/,
    ],
    [
      'several ports without names',
      () =>
        build({
          serviceOptions: {
            ports: [
              { port: 80, targetPort: 8080 },
              { port: 81, targetPort: 8080 },
            ],
          },
        }).manifests(),
      /serviceOptions\.ports\[0\]\.name: every port of a Service with several ports needs a name/,
    ],
    [
      'nodePort on a ClusterIP Service',
      () => build({ serviceOptions: { ports: [{ name: 'http', port: 80, nodePort: 30080 }] } }).manifests(),
      /serviceOptions\.ports\[0\]\.nodePort: is only valid on NodePort and LoadBalancer/,
    ],
    [
      'ExternalName Service',
      () => build({ serviceOptions: { type: ServiceType.EXTERNAL_NAME } }),
      /serviceOptions\.type: ExternalName Services point at a DNS name/,
    ],
    [
      'name that is no Service name',
      () => build({ name: 'web.v2' }),
      /serviceOptions\.name: "web\.v2" is not a valid DNS-1035 label.*hint: the Service is named after the WebService/,
    ],
    ['spread maxSkew 0', () => build({ spread: { maxSkew: 0 } }), /spread\.maxSkew: must be a positive integer \(got 0\)/],
    [
      'minAvailable above the autoscaler minimum',
      () => build({ autoscaling: { minReplicas: 2, maxReplicas: 5 }, budget: DisruptionBudget.minAvailable(3) }).manifests(),
      /budget\.minAvailable: minAvailable 3 is not below the 2 replicas/,
    ],
    [
      'quorum of the autoscaler minimum of 2',
      () => build({ autoscaling: { minReplicas: 2, maxReplicas: 5 }, budget: DisruptionBudget.quorum() }).manifests(),
      /test\/web.*budget\.minAvailable: the quorum of 2 replicas is 2, all of them, so no pod can ever be evicted/,
    ],
    [
      'minAvailable 100% under an autoscaler',
      () => build({ autoscaling: { maxReplicas: 5 }, budget: DisruptionBudget.minAvailable('100%') }).manifests(),
      /budget\.minAvailable: minAvailable "100%" keeps every pod/,
    ],
  ];
  test.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(PatternError);
    expect(fn).toThrow(message);
  });
});

describe('WebService examples', () => {
  test('nginx-deployment (seed 001)', () => {
    const m = synthExample(addNginxDeployment);
    const dep = byKind(m, 'Deployment')[0];
    expect(dep.metadata.name).toBe('nginx-deployment');
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } });
    const c = dep.spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(c.readinessProbe.httpGet.port).toBe(8080);
    expect(c.livenessProbe.httpGet.port).toBe(8080);
    expect(c.lifecycle.preStop.exec.command).toEqual(['sh', '-c', 'sleep 5']);
    expect(byKind(m, 'Service')[0].spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
    expectValidManifests(m);
  });

  test('Istio-style myapp (seed 001)', () => {
    const m = synthExample(addIstioApp);
    expect(m.map((o) => o.kind)).toEqual(['Deployment', 'NetworkPolicy']);
    const spec = m[0].spec.template.spec;
    expect(ownMetadata(m[0].spec.template.metadata).labels).toEqual({ app: 'myapp' });
    expect(spec.containers.map((c: any) => c.name)).toEqual(['myapp-container']);
    expectValidManifests(m);
  });
});
