import { App, Chart, Size, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { InitializerConfiguration, PodInitializers, SidecarInitializer, SidecarInjector, SidecarTemplate, Validation } from '../../lib';
import { locatePodTemplate } from '../../lib/pod/pod-bearing';
import { WebService } from '../../lib/workloads/web-service';
import { addEnvoyInjector } from '../../apps/envoy-injector';
import { addInitializerConfigs113 } from '../../apps/initializer-config-1.13';
import { addLxcfs } from '../../apps/lxcfs';
import { addPodinit, podinitReport, resourcesReport } from '../../apps/podinit';
import { addPodPreset } from '../../apps/podpreset';
import { byKind, expectValidManifests, synthExample } from '../util';

const named = (m: any[], kind: string, name: string) => m.find((o) => o.kind === kind && o.metadata.name === name);
const pod = (obj: any) => locatePodTemplate(obj)!.template as any;

describe('example: lxcfs (seed 000)', () => {
  const m = synthExample(addLxcfs);

  test('the web app gets the lxcfs /proc files; the lxcfs DaemonSet itself does not', () => {
    const web = pod(named(m, 'Deployment', 'web'));
    expect(web.metadata.annotations[PodInitializers.APPLIED_ANNOTATION]).toBe('lxcfs.initializers.cdk8s-patterns.io');
    expect(web.spec.containers[0].volumeMounts.map((v: any) => v.mountPath)).toEqual([
      '/tmp',
      '/var/cache/nginx',
      '/var/run',
      '/proc/cpuinfo',
      '/proc/meminfo',
      '/proc/diskstats',
      '/proc/stat',
      '/proc/swaps',
      '/proc/uptime',
    ]);
    const agent = pod(named(m, 'DaemonSet', 'lxcfs'));
    expect(agent.metadata.annotations[PodInitializers.APPLIED_ANNOTATION]).toBeUndefined();
    expect(agent.spec.containers[0].volumeMounts[0]).toEqual({
      name: 'lxcfs',
      mountPath: '/var/lib/lxcfs',
      mountPropagation: 'Bidirectional',
    });
  });

  test('valid', () => {
    expectValidManifests(m);
  });
});

describe('example: PodPreset (seed 002)', () => {
  const m = synthExample(addPodPreset);

  test('the frontend gets the preset; the excluded admin console does not', () => {
    const website = pod(named(m, 'Deployment', 'website'));
    expect(website.spec.containers[0].env).toEqual([{ name: 'DB_PORT', value: '6379' }]);
    expect(website.spec.volumes).toEqual([
      { name: 'rw-nginx-tmp', emptyDir: {} },
      { name: 'cache-volume', emptyDir: {} },
    ]);
    expect(Object.keys(website.metadata.annotations)).toContain('podpreset.admission.kubernetes.io/podpreset-allow-database');
    const admin = pod(named(m, 'Deployment', 'admin'));
    expect(admin.spec.containers[0].env).toBeUndefined();
    expect(admin.spec.volumes).toEqual([{ name: 'rw-nginx-tmp', emptyDir: {} }]); // no preset volume, only its /tmp
  });

  test('valid', () => {
    expectValidManifests(m);
  });
});

describe('example: Envoy sidecar injector (seed 001)', () => {
  const m = synthExample(addEnvoyInjector);

  test('template ConfigMap, injector Deployment + Service + PDB, RBAC to read that ConfigMap only, webhook for pod CREATE', () => {
    expect(m.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/envoy-injector',
      'Deployment/envoy-injector',
      'MutatingWebhookConfiguration/envoy-injector',
      'NetworkPolicy/envoy-injector',
      'PodDisruptionBudget/envoy-injector',
      'Role/envoy-injector',
      'RoleBinding/envoy-injector',
      'Service/envoy-injector',
      'ServiceAccount/envoy-injector',
    ]);
    const template = parse(named(m, 'ConfigMap', 'envoy-injector').data[SidecarInjector.TEMPLATE_KEY]);
    expect(template.containers[0]).toEqual(expect.objectContaining({ name: 'envoy', image: 'envoyproxy/envoy:v1.27.2' }));
    expect(template.volumes).toEqual([
      { name: 'envoy-conf', configMap: { name: 'envoy' } },
      { name: 'rw-envoy-tmp', emptyDir: {} },
    ]);
    expect(template.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(named(m, 'Role', 'envoy-injector').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['envoy-injector'], verbs: ['get', 'list', 'watch'] },
    ]);
    const deployment = pod(named(m, 'Deployment', 'envoy-injector'));
    expect(deployment.spec.serviceAccountName).toBe('envoy-injector');
    expect(deployment.spec.automountServiceAccountToken).toBe(true);
    // the API server calls the webhook from outside the pod network: its port is open to any source
    expect(named(m, 'NetworkPolicy', 'envoy-injector').spec.ingress).toEqual([{ ports: [{ port: 'https', protocol: 'TCP' }] }]);
    const webhook = named(m, 'MutatingWebhookConfiguration', 'envoy-injector');
    expect(webhook.metadata.namespace).toBeUndefined();
    expect(webhook.metadata.annotations).toEqual({ 'cert-manager.io/inject-ca-from': 'envoy-injector/envoy-injector' });
    expect(webhook.webhooks[0]).toEqual(
      expect.objectContaining({
        clientConfig: { service: { name: 'envoy-injector', namespace: 'envoy-injector', path: '/inject' } },
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['envoy-injector', 'kube-system'] }],
        },
        objectSelector: { matchLabels: { 'envoy-injection': 'enabled' } },
      }),
    );
  });

  test('valid', () => {
    expectValidManifests(m);
  });
});

describe('example: InitializerConfigurations for a declared 1.13 cluster (seeds 000, 001)', () => {
  const app = Testing.app();
  Validation.enable(app, { k8sVersion: '1.13' });
  const chart = addInitializerConfigs113(app);
  const m = Testing.synth(chart);

  test("seed 000's ordering: configurations by name, initializers in declared order", () => {
    expect(InitializerConfiguration.pendingFor(chart, '', 'v1', 'pods')).toEqual([
      'envoy.initializer.kubernetes.io',
      'podimage.example.com',
      'podimage-2.example.com',
      'podimage.example.com',
    ]);
    expect(byKind(m, 'InitializerConfiguration').map((o) => o.metadata.name)).toEqual([
      'lxcfs.initializer',
      'example-config',
      'example-config-2',
      'envoy-config',
    ]);
  });

  test('valid for Kubernetes 1.13 and stable', () => {
    expectValidManifests(m, '1.13');
  });
});

describe('example: podinit (seeds 002, 003)', () => {
  const m = synthExample(addPodinit);

  test("wait, copy, run once; every container gets the pod's identity", () => {
    const spec = pod(named(m, 'Deployment', 'myapp')).spec;
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-mydb', 'copy-shared-data', 'podinit']);
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect(c.env.map((e: any) => e.name)).toEqual(['POD_NAME', 'POD_NAMESPACE', 'POD_IP']);
    }
  });

  test('the printed report: effective requests from the heaviest init step, limits from the app', () => {
    expect(podinitReport()).toBe('Deployment/myapp: requests cpu=200m memory=256Mi; limits cpu=500m memory=256Mi');
  });

  test('the report reads the objects as written: a container injected by an initializer counts', () => {
    const chart = new Chart(new App(), 'report');
    new WebService(chart, 'web', {
      containers: [
        {
          name: 'app',
          image: 'app:1.0',
          ports: [{ name: 'http', number: 8080 }],
          security: { runAsUser: 1000 },
          resources: { cpu: { request: '100m' }, memory: { request: Size.mebibytes(128) } },
        },
      ],
    });
    const proxy = { name: 'proxy', image: 'proxy:1.0', resources: { cpu: { request: '50m' }, memory: { request: Size.mebibytes(64) } } };
    new PodInitializers(chart, 'mesh', {
      initializers: [new SidecarInitializer({ name: 'proxy.test.example.com', template: new SidecarTemplate({ containers: [proxy] }) })],
    });
    expect(resourcesReport(chart)).toBe('Deployment/web: requests cpu=150m memory=192Mi; limits none');
  });

  test('valid', () => {
    expectValidManifests(m);
  });
});
