import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PatternDefaults } from '../../lib/pod/defaults';
import { PatternError } from '../../lib/core/errors';
import { PatternsApp } from '../../lib/synth/patterns-app';
import { toYamlStream } from '../../lib/core/yaml';
import {
  LabelSelectorOperator,
  LxcfsInitializer,
  PodInfoEnvInitializer,
  PodInitializer,
  PodInitializerProps,
  PodInitializers,
  PodMutation,
} from '../../lib';
import { locatePodTemplate } from '../../lib/pod/pod-bearing';
import { PodSecurity } from '../../lib/pod/security';
import { StatefulService } from '../../lib/workloads/stateful-service';
import { WebService } from '../../lib/workloads/web-service';
import { expectValidManifests } from '../util';

const FIXTURE = path.join(__dirname, 'fixtures', 'workloads.yaml');

/** Sets one variable in every app container. */
class SetEnv extends PodInitializer {
  constructor(
    name: string,
    private readonly key: string,
    private readonly value: string,
    match: Omit<PodInitializerProps, 'name'> = {},
  ) {
    super({ name, ...match });
  }

  public initialize(pod: PodMutation): void {
    pod.addEnv(this.key, this.value);
  }
}

/** Mounts a volume it does not add. */
class MountOnly extends PodInitializer {
  constructor() {
    super({ name: 'mount-only.test.example.com' });
  }

  public initialize(pod: PodMutation): void {
    pod.addMount({ volume: 'missing', path: '/data' });
  }
}

/** A restricted, fully specified pod spec, as a raw manifest would carry it. */
function podSpec(extra: Record<string, unknown> = {}) {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image: 'app:1.0',
        resources: { requests: { cpu: '50m', memory: '64Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
    ...extra,
  };
}

function template(app: string, extra: Record<string, unknown> = {}) {
  return { metadata: { labels: { app } }, spec: podSpec(extra) };
}

/** Every pod-bearing kind as a raw ApiObject. */
function rawWorkloads(chart: Chart): void {
  const raw = (id: string, apiVersion: string, kind: string, body: Record<string, unknown>) =>
    new ApiObject(chart, id, { apiVersion, kind, metadata: { name: id }, ...body } as any);
  const selector = (app: string) => ({ matchLabels: { app } });
  raw('pod', 'v1', 'Pod', { spec: podSpec() });
  raw('deploy', 'apps/v1', 'Deployment', { spec: { selector: selector('deploy'), template: template('deploy') } });
  raw('sts', 'apps/v1', 'StatefulSet', { spec: { serviceName: 'sts', selector: selector('sts'), template: template('sts') } });
  raw('sts-service', 'v1', 'Service', {
    metadata: { name: 'sts' },
    spec: { clusterIP: 'None', selector: { app: 'sts' }, ports: [{ port: 80 }] },
  });
  raw('ds', 'apps/v1', 'DaemonSet', { spec: { selector: selector('ds'), template: template('ds') } });
  raw('rs', 'apps/v1', 'ReplicaSet', { spec: { selector: selector('rs'), template: template('rs') } });
  raw('rc', 'v1', 'ReplicationController', { spec: { selector: { app: 'rc' }, template: template('rc') } });
  raw('job', 'batch/v1', 'Job', { spec: { template: template('job', { restartPolicy: 'Never' }) } });
  raw('cron', 'batch/v1', 'CronJob', {
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: template('cron', { restartPolicy: 'OnFailure' }) } } },
  });
  raw('config', 'v1', 'ConfigMap', { data: { key: 'value' } });
}

function web(chart: Chart, id = 'web', props: Partial<ConstructorParameters<typeof WebService>[2]> = {}): WebService {
  return new WebService(chart, id, {
    replicas: 1,
    containers: [{ name: 'app', image: 'app:1.0', ports: [{ name: 'http', number: 8080 }], security: { runAsUser: 1000 } }],
    ...props,
  });
}

const podOf = (obj: any) => locatePodTemplate(obj)!.template;
const envNames = (obj: any, container = 0) => (podOf(obj).spec.containers[container].env ?? []).map((e: any) => e.name);
const applied = (obj: any) => podOf(obj).metadata?.annotations?.[PodInitializers.APPLIED_ANNOTATION];
const named = (manifests: any[], name: string) => manifests.find((m) => m.metadata.name === name);

describe('synth-time initializers: reach', () => {
  test("every pod-bearing kind: raw ApiObjects, cdk8s-plus, our constructs and Include'd YAML; other kinds untouched", () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    rawWorkloads(chart);
    web(chart);
    const plus = new kplus.Deployment(chart, 'plus', {
      metadata: { name: 'plus' },
      automountServiceAccountToken: false,
      containers: [{ name: 'app', image: 'app:1.0', portNumber: 8080, securityContext: { user: 1000 } }],
    });
    plus.podMetadata.addAnnotation('cdk8s-patterns.io/pod-security', 'baseline');
    plus.podMetadata.addAnnotation('cdk8s-patterns.io/pod-security-reason', 'cdk8s-plus defaults');
    new Include(chart, 'vendor', { url: FIXTURE });
    new PodInitializers(app, 'pod-info', { initializers: [new PodInfoEnvInitializer({ initContainers: false })] });

    const m = Testing.synth(chart);
    const pods = m.filter((o) => locatePodTemplate(o));
    expect(pods.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'CronJob/cron',
      'CronJob/vendor-report',
      'DaemonSet/ds',
      'Deployment/deploy',
      'Deployment/plus',
      'Deployment/vendor-api',
      'Deployment/web',
      'Job/job',
      'Pod/pod',
      'ReplicaSet/rs',
      'ReplicationController/rc',
      'StatefulSet/sts',
    ]);
    for (const o of pods) {
      expect({ object: `${o.kind}/${o.metadata.name}`, env: envNames(o) }).toEqual({
        object: `${o.kind}/${o.metadata.name}`,
        env: ['POD_NAME', 'POD_NAMESPACE', 'POD_IP'],
      });
      expect(applied(o)).toBe('pod-info-env.initializers.cdk8s-patterns.io');
    }
    expect(named(m, 'cron').spec.jobTemplate.spec.template.spec.containers[0].env[2]).toEqual({
      name: 'POD_IP',
      valueFrom: { fieldRef: { fieldPath: 'status.podIP' } },
    });
    expect(named(m, 'config')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { key: 'value' } });
    expectValidManifests(m);
  });

  test('a configuration on a Chart applies below that chart only', () => {
    const app = Testing.app();
    const one = new Chart(app, 'one');
    const two = new Chart(app, 'two');
    web(one, 'web-one');
    web(two, 'web-two');
    new PodInitializers(one, 'pod-info', { initializers: [new PodInfoEnvInitializer()] });
    expect(envNames(Testing.synth(one)[0])).toEqual(['POD_NAME', 'POD_NAMESPACE', 'POD_IP']);
    expect(envNames(Testing.synth(two)[0])).toEqual([]);
    expect(applied(Testing.synth(two)[0])).toBeUndefined();
  });

  test('rules, kinds and label selectors choose the pod templates', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    rawWorkloads(chart);
    new PodInitializers(chart, 'match', {
      initializers: [
        new SetEnv('deployments.test.example.com', 'BY_RULE', '1', {
          rules: [{ apiGroups: ['apps'], apiVersions: ['*'], resources: ['deployments', 'statefulsets'] }],
        }),
        new SetEnv('pods.test.example.com', 'BY_POD_RULE', '1', { rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }),
        new SetEnv('cron.test.example.com', 'BY_KIND', '1', { kinds: ['CronJob'] }),
        new SetEnv('selected.test.example.com', 'BY_LABEL', '1', {
          selector: { matchExpressions: [{ key: 'app', operator: LabelSelectorOperator.IN, values: ['job', 'ds'] }] },
        }),
      ],
    });
    const m = Testing.synth(chart);
    const env = (name: string) => envNames(named(m, name));
    expect(env('deploy')).toEqual(['BY_RULE', 'BY_POD_RULE']);
    expect(env('sts')).toEqual(['BY_RULE', 'BY_POD_RULE']);
    expect(env('rs')).toEqual(['BY_POD_RULE']);
    expect(env('cron')).toEqual(['BY_POD_RULE', 'BY_KIND']);
    expect(env('job')).toEqual(['BY_POD_RULE', 'BY_LABEL']);
    expect(env('ds')).toEqual(['BY_POD_RULE', 'BY_LABEL']);
  });

  test('kinds accepts every pod-bearing kind, PodTemplate included', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    rawWorkloads(chart);
    new ApiObject(chart, 'pt', { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt' }, template: template('pt') } as any);
    new PodInitializers(chart, 'templates', {
      initializers: [new SetEnv('templates.test.example.com', 'BY_KIND', '1', { kinds: ['PodTemplate'] })],
    });
    const m = Testing.synth(chart);
    expect(envNames(named(m, 'pt'))).toEqual(['BY_KIND']);
    expect(envNames(named(m, 'deploy'))).toEqual([]);
  });
});

describe('synth-time initializers: order and idempotence', () => {
  test('configurations run in order of name, wherever registered; initializers in declared order', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(chart, 'b-config', { initializers: [new SetEnv('b.test.example.com', 'B', '1')] });
    new PodInitializers(app, 'z-app', { initializers: [new SetEnv('z.test.example.com', 'Z', '1')] });
    new PodInitializers(chart, 'a-config', {
      initializers: [new SetEnv('a2.test.example.com', 'A2', '1'), new SetEnv('a1.test.example.com', 'A1', '1')],
    });
    const deployment = Testing.synth(chart)[0];
    expect(envNames(deployment)).toEqual(['A2', 'A1', 'B', 'Z']);
    expect(applied(deployment)).toBe('a2.test.example.com,a1.test.example.com,b.test.example.com,z.test.example.com');
  });

  test('applying the same initializers twice changes nothing', () => {
    const once = Testing.app();
    const twice = Testing.app();
    for (const [app, configs] of [
      [once, ['first']],
      [twice, ['first', 'second']],
    ] as const) {
      const chart = new Chart(app, 'test');
      web(chart);
      for (const name of configs) {
        new PodInitializers(chart, name, { initializers: [new PodInfoEnvInitializer(), new SetEnv('x.test.example.com', 'X', '1')] });
      }
    }
    expect(toYamlStream(Testing.synth(twice.charts[0]))).toEqual(toYamlStream(Testing.synth(once.charts[0])));
  });

  test('re-initializing YAML that was already initialized gives identical YAML (Include of our own output)', () => {
    const first = Testing.app();
    const chart = new Chart(first, 'test');
    rawWorkloads(chart);
    web(chart);
    const initializers = () => [new PodInfoEnvInitializer(), new SetEnv('x.test.example.com', 'X', '1')];
    new PodInitializers(first, 'platform', { initializers: initializers() });
    const yaml = toYamlStream(Testing.synth(chart));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'initializers-'));
    try {
      fs.writeFileSync(path.join(dir, 'out.yaml'), yaml);
      const second = Testing.app();
      const again = new Chart(second, 'test');
      new Include(again, 'previous', { url: path.join(dir, 'out.yaml') });
      new PodInitializers(second, 'platform', { initializers: initializers() });
      expect(toYamlStream(Testing.synth(again))).toEqual(yaml);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('each synth renders the same YAML (the transform starts from fresh JSON)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    rawWorkloads(chart);
    new PodInitializers(app, 'platform', { initializers: [new PodInfoEnvInitializer()] });
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });

  test('a configuration created after a synth takes its place by name on the next synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(chart, 'b-config', { initializers: [new SetEnv('b.test.example.com', 'B', '1')] });
    expect(envNames(Testing.synth(chart)[0])).toEqual(['B']);
    new PodInitializers(app, 'a-app', { initializers: [new SetEnv('a.test.example.com', 'A', '1')] });
    expect(envNames(Testing.synth(chart)[0])).toEqual(['A', 'B']);
  });

  test('an initializer sees the annotations set by those before it', () => {
    class Mark extends PodInitializer {
      constructor() {
        super({ name: 'mark.test.example.com' });
      }

      public initialize(pod: PodMutation): void {
        pod.setAnnotation('test.example.com/marked', 'true');
      }
    }
    class IfMarked extends SetEnv {
      public matches(target: Parameters<PodInitializer['matches']>[0]): boolean {
        return target.annotations['test.example.com/marked'] === 'true';
      }
    }
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(chart, 'config', {
      initializers: [
        new IfMarked('before.test.example.com', 'BEFORE', '1'),
        new Mark(),
        new IfMarked('after.test.example.com', 'AFTER', '1'),
      ],
    });
    const deployment = Testing.synth(chart)[0];
    expect(envNames(deployment)).toEqual(['AFTER']);
    expect(applied(deployment)).toBe('mark.test.example.com,after.test.example.com');
  });
});

describe('synth-time initializers: opt-out', () => {
  function build(annotations: Record<string, string>, where: 'pod' | 'object' = 'pod') {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const metadata = { name: 'deploy', annotations: where === 'object' ? annotations : undefined };
    const tmpl = template('deploy');
    new ApiObject(chart, 'deploy', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        selector: { matchLabels: { app: 'deploy' } },
        template: where === 'pod' ? { ...tmpl, metadata: { ...tmpl.metadata, annotations } } : tmpl,
      },
    } as any);
    new PodInitializers(app, 'platform', { initializers: [new PodInfoEnvInitializer(), new SetEnv('x.test.example.com', 'X', '1')] });
    new PodInitializers(app, 'team', { initializers: [new SetEnv('y.test.example.com', 'Y', '1')] });
    return Testing.synth(chart)[0];
  }

  test('"true" on the pod template skips every initializer and records nothing', () => {
    const d = build({ [PodInitializers.EXCLUDE_ANNOTATION]: 'true' });
    expect(envNames(d)).toEqual([]);
    expect(podOf(d).metadata.annotations).toEqual({ [PodInitializers.EXCLUDE_ANNOTATION]: 'true' });
  });

  test('"true" on the workload\'s own metadata works too', () => {
    expect(envNames(build({ [PodInitializers.EXCLUDE_ANNOTATION]: 'true' }, 'object'))).toEqual([]);
  });

  test('a list skips the initializers and configurations it names', () => {
    const d = build({ [PodInitializers.EXCLUDE_ANNOTATION]: 'x.test.example.com, team' });
    expect(envNames(d)).toEqual(['POD_NAME', 'POD_NAMESPACE', 'POD_IP']);
    expect(applied(d)).toBe('pod-info-env.initializers.cdk8s-patterns.io');
  });
});

describe('synth-time initializers: conflicts', () => {
  test('two initializers setting one variable differently: a synth error naming both', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(chart, 'one', { initializers: [new SetEnv('a.test.example.com', 'MODE', 'fast')] });
    new PodInitializers(chart, 'two', { initializers: [new SetEnv('b.test.example.com', 'MODE', 'safe')] });
    expect(() => Testing.synth(chart)).toThrow(
      /\[test\/web\/Resource\] Deployment\/web spec\.template\.spec\.containers\[app\]\.env: initializer "b\.test\.example\.com" \(configuration "two"\) sets env MODE of container "app", but initializer "a\.test\.example\.com" \(configuration "one"\) sets it differently/,
    );
  });

  test("an initializer against the pod's own definition names the workload", () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart, 'web', {
      containers: [
        { name: 'app', image: 'app:1.0', env: { MODE: 'own' }, ports: [{ name: 'http', number: 8080 }], security: { runAsUser: 1000 } },
      ],
    });
    new PodInitializers(chart, 'one', { initializers: [new SetEnv('a.test.example.com', 'MODE', 'fast')] });
    expect(() => Testing.synth(chart)).toThrow(
      /sets env MODE of container "app", but the pod template of Deployment\/web itself sets it differently/,
    );
  });

  test('conflicts are errors under PatternsApp too, and nothing is written', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'initializers-out-'));
    try {
      const app = new PatternsApp({ outdir });
      const chart = new Chart(app, 'test');
      web(chart);
      new PodInitializers(chart, 'one', { initializers: [new SetEnv('a.test.example.com', 'MODE', 'fast')] });
      new PodInitializers(chart, 'two', { initializers: [new SetEnv('b.test.example.com', 'MODE', 'safe')] });
      expect(() => app.synth()).toThrow(PatternError);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a mount of a volume nobody adds is reported', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(chart, 'one', { initializers: [new MountOnly()] });
    expect(() => Testing.synth(chart)).toThrow(
      /initializer "mount-only\.test\.example\.com" \(configuration "one"\) mounts volume "missing" into container "app", but the pod has no such volume/,
    );
  });

  test('two configurations of one name over the same objects: their order would be undefined', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(app, 'platform', { initializers: [new PodInfoEnvInitializer()] });
    new PodInitializers(chart, 'platform', { initializers: [new SetEnv('x.test.example.com', 'X', '1')] });
    expect(() => Testing.synth(chart)).toThrow(/two initializer configurations named "platform" apply \(platform, test\/platform\)/);
  });
});

describe('synth-time initializers: Pod Security', () => {
  const lxcfs = () => new LxcfsInitializer();

  test('a hostPath into a restricted pod is an error naming the initializer, not a silent downgrade', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(chart, 'nodes', { initializers: [lxcfs()] });
    expect(() => Testing.synth(chart)).toThrow(
      /Deployment\/web spec\.template\.metadata\.annotations\.cdk8s-patterns\.io\/pod-security: initializer "lxcfs\.initializers\.cdk8s-patterns\.io" \(configuration "nodes"\) adds hostPath volume "lxcfs-proc-cpuinfo", .*hostPath volume "lxcfs-proc-uptime", which needs Pod Security "privileged", but the pod is "restricted"/,
    );
  });

  test('a pod declared privileged (on the construct, or by PatternDefaults) gets the mounts', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    web(chart, 'declared', { podSecurity: PodSecurity.privileged('lxcfs') });
    const other = new Chart(app, 'other');
    PatternDefaults.set(other, { podSecurity: PodSecurity.privileged('every pod of this chart runs on dedicated nodes') });
    new StatefulService(other, 'db', { containers: [{ name: 'db', image: 'postgres:16' }] });
    new PodInitializers(app, 'nodes', { initializers: [lxcfs()] });
    const hostPaths = (pod: any) => pod.spec.volumes.filter((v: any) => v.hostPath);
    expect(hostPaths(podOf(Testing.synth(chart)[0]))).toHaveLength(6);
    expect(hostPaths(podOf(Testing.synth(other)[1]))).toHaveLength(6);
  });

  test('registration checks name, rules, kinds and selector', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new PodInitializers(chart, 'bad', { initializers: [new SetEnv('short.name', 'X', '1')] })).toThrow(
      /\[test\/bad\] initializers\[0\]\.name: "short\.name" is not fully qualified/,
    );
    expect(
      () =>
        new PodInitializers(chart, 'rules', {
          initializers: [
            new SetEnv('x.test.example.com', 'X', '1', {
              rules: [{ apiGroups: ['*', 'apps'], apiVersions: ['v1'], resources: ['pods/status'] }],
            }),
          ],
        }),
    ).toThrow(
      /initializers\[0\]\.rules\[0\]\.apiGroups: "\*" cannot be mixed[\s\S]*rules\[0\]\.resources\[0\]: "pods\/status" names a subresource/,
    );
    expect(
      () => new PodInitializers(chart, 'kinds', { initializers: [new SetEnv('x.test.example.com', 'X', '1', { kinds: ['Service'] })] }),
    ).toThrow(/initializers\[0\]\.kinds\[0\]: "Service" has no pod template/);
    expect(
      () =>
        new PodInitializers(chart, 'selector', {
          initializers: [
            new SetEnv('x.test.example.com', 'X', '1', {
              selector: { matchExpressions: [{ key: 'app', operator: LabelSelectorOperator.EXISTS, values: ['x'] }] },
            }),
          ],
        }),
    ).toThrow(/initializers\[0\]\.selector\.matchExpressions\[0\]\.values: operator Exists takes no values/);
    expect(() => new PodInitializers(chart, 'twice', { initializers: [new PodInfoEnvInitializer(), new PodInfoEnvInitializer()] })).toThrow(
      /initializers\[1\]\.name: initializer "pod-info-env\.initializers\.cdk8s-patterns\.io" is already in configuration "twice"/,
    );
    expect(() => new PodInitializers(chart, 'Platform')).toThrow(/\[test\/Platform\] name: "Platform" is not a valid DNS-1123 subdomain/);
  });
});

test('initializers run under a plain cdk8s App synth as well', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'initializers-app-'));
  try {
    const app = new App({ outdir });
    const chart = new Chart(app, 'test');
    web(chart);
    new PodInitializers(app, 'platform', { initializers: [new PodInfoEnvInitializer()] });
    app.synth();
    expect(fs.readFileSync(path.join(outdir, 'test.k8s.yaml'), 'utf8')).toContain('fieldPath: status.podIP');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('variables go into init containers only when asked', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const svc = web(chart);
  svc.pod.addInitContainer({ name: 'setup', image: 'busybox:1.36', security: { runAsUser: 65534 } });
  new PodInitializers(chart, 'platform', { initializers: [new PodInfoEnvInitializer({ initContainers: false })] });
  const spec = podOf(Testing.synth(chart)[0]).spec;
  expect(spec.initContainers[0].env).toBeUndefined();
  expect(spec.containers[0].env).toHaveLength(3);
});
