import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { EnvFieldPaths, Probe } from 'cdk8s-plus-27';
import {
  LxcfsInitializer,
  PodInfoEnvInitializer,
  PodInitializer,
  PodInitializers,
  PodPresetInitializer,
  PodPresetInitializerProps,
  PodResources,
  SidecarInitializer,
  SidecarTemplate,
} from '../../lib';
import { locatePodTemplate } from '../../lib/pod/pod-bearing';
import { ContainerSpec } from '../../lib/pod/container';
import { PodSecurity } from '../../lib/pod/security';
import { PodVolume } from '../../lib/pod/volume';
import { WebService, WebServiceProps } from '../../lib/workloads/web-service';
import { expectValidManifests } from '../util';

const APP: ContainerSpec = { name: 'app', image: 'app:1.0', ports: [{ name: 'http', number: 8080 }], security: { runAsUser: 1000 } };
const SETUP: ContainerSpec = { name: 'setup', image: 'busybox:1.36', security: { runAsUser: 65534 } };

/** One WebService with `initializers` registered on its chart; returns the synthesized objects. */
function synth(initializers: PodInitializer[], props: Partial<WebServiceProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  // the ConfigMaps the sidecar and preset refer to
  for (const name of ['envoy', 'db-config']) new ApiObject(chart, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  new WebService(chart, 'web', { replicas: 1, containers: [APP], initContainers: [SETUP], ...props });
  new PodInitializers(chart, 'test', { initializers });
  const manifests = Testing.synth(chart);
  return { manifests, pod: locatePodTemplate(manifests.find((m) => m.kind === 'Deployment'))!.template as any };
}

describe('LxcfsInitializer', () => {
  test('mounts the six lxcfs /proc files read-only into every app container, from File hostPaths', () => {
    const { manifests, pod } = synth([new LxcfsInitializer()], { podSecurity: PodSecurity.privileged('lxcfs') });
    const files = ['cpuinfo', 'meminfo', 'diskstats', 'stat', 'swaps', 'uptime'];
    const own = (list: any[]) => list.filter((v: any) => !v.name.startsWith('rw-')); // not the /tmp emptyDirs
    expect(own(pod.spec.volumes)).toEqual(
      files.map((f) => ({ name: `lxcfs-proc-${f}`, hostPath: { path: `/var/lib/lxcfs/proc/${f}`, type: 'File' } })),
    );
    expect(own(pod.spec.containers[0].volumeMounts)).toEqual(
      files.map((f) => ({ name: `lxcfs-proc-${f}`, mountPath: `/proc/${f}`, readOnly: true })),
    );
    expect(own(pod.spec.initContainers[0].volumeMounts)).toEqual([]);
    expectValidManifests(manifests);
  });

  test('directory and files can be chosen; bad ones are refused at registration', () => {
    const { pod } = synth([new LxcfsInitializer({ lxcfsDir: '/run/lxcfs/', files: ['meminfo', 'loadavg'] })], {
      podSecurity: PodSecurity.privileged('lxcfs'),
    });
    expect(pod.spec.volumes.filter((v: any) => v.hostPath).map((v: any) => v.hostPath.path)).toEqual([
      '/run/lxcfs/proc/meminfo',
      '/run/lxcfs/proc/loadavg',
    ]);
    const chart = new Chart(Testing.app(), 'test');
    expect(
      () => new PodInitializers(chart, 'bad', { initializers: [new LxcfsInitializer({ lxcfsDir: 'lxcfs', files: ['../etc/passwd'] })] }),
    ).toThrow(
      /initializers\[0\]\.lxcfsDir: "lxcfs" must be an absolute path[\s\S]*initializers\[0\]\.files\[0\]: "\.\.\/etc\/passwd" is not a \/proc file name/,
    );
  });
});

describe('SidecarInitializer', () => {
  const envoy: ContainerSpec = {
    name: 'envoy',
    image: 'envoyproxy/envoy:v1.27.2',
    ports: [{ name: 'envoy', number: 15001 }],
    mounts: [{ volume: 'envoy-conf', path: '/etc/envoy' }],
    security: { runAsUser: 101 },
  };
  const sidecar = () =>
    new SidecarInitializer({
      name: 'envoy.sidecars.test.example.com',
      template: new SidecarTemplate({ containers: [envoy], volumes: [PodVolume.configMap('envoy-conf', 'envoy')] }),
    });

  test("appends the containers with the pod's securityContext and default resources, and adds the volumes", () => {
    const { pod } = synth([sidecar()]);
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['app', 'envoy']);
    expect(pod.spec.containers[1]).toEqual({
      name: 'envoy',
      image: 'envoyproxy/envoy:v1.27.2',
      ports: [{ name: 'envoy', containerPort: 15001 }],
      resources: { requests: { cpu: '100m', memory: '128Mi' } },
      // a read-only root filesystem like every container the library renders, /tmp an emptyDir of the template
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsUser: 101, readOnlyRootFilesystem: true },
      volumeMounts: [
        { name: 'envoy-conf', mountPath: '/etc/envoy' },
        { name: 'rw-envoy-tmp', mountPath: '/tmp' },
      ],
    });
    expect(pod.spec.volumes).toEqual([
      { name: 'rw-setup-tmp', emptyDir: {} },
      { name: 'rw-app-tmp', emptyDir: {} },
      { name: 'envoy-conf', configMap: { name: 'envoy' } },
      { name: 'rw-envoy-tmp', emptyDir: {} },
    ]);
  });

  test('a privileged pod gets no restricted defaults on the sidecar', () => {
    const { pod } = synth([sidecar()], { podSecurity: PodSecurity.privileged('node access') });
    expect(pod.spec.containers[1].securityContext).toEqual({ runAsUser: 101, readOnlyRootFilesystem: true });
  });

  test('a container of the same name and definition is left alone; a different one is a conflict', () => {
    const same = synth([sidecar()], { containers: [APP, envoy], volumes: [PodVolume.configMap('envoy-conf', 'envoy')] });
    expect(same.pod.spec.containers.map((c: any) => c.name)).toEqual(['app', 'envoy']);
    expect(() =>
      synth([sidecar()], {
        containers: [APP, { ...envoy, image: 'envoyproxy/envoy:v1.26.0' }],
        volumes: [PodVolume.configMap('envoy-conf', 'envoy')],
      }),
    ).toThrow(
      /spec\.template\.spec\.containers: initializer "envoy\.sidecars\.test\.example\.com" \(configuration "test"\) sets container "envoy", but the pod template of Deployment\/web itself sets it differently/,
    );
    expect(() => synth([sidecar()], { initContainers: [{ ...SETUP, name: 'envoy' }] })).toThrow(
      /sets container "envoy", but the pod template of Deployment\/web itself has it in initContainers; names are unique across containers and initContainers/,
    );
    expect(() =>
      synth([sidecar()], {
        volumes: [PodVolume.emptyDir('envoy-conf')],
        containers: [{ ...APP, mounts: [{ volume: 'envoy-conf', path: '/x' }] }],
      }),
    ).toThrow(
      /spec\.template\.spec\.volumes: initializer "envoy\.sidecars\.test\.example\.com" \(configuration "test"\) sets volume "envoy-conf", but the pod template of Deployment\/web itself sets it differently/,
    );
  });

  test('the template is checked like any container: no probes on init containers, unique names', () => {
    const chart = new Chart(Testing.app(), 'test');
    const bad = new SidecarInitializer({
      name: 'bad.sidecars.test.example.com',
      template: new SidecarTemplate({ containers: [envoy], initContainers: [{ ...envoy, readiness: Probe.fromTcpSocket() }] }),
    });
    expect(() => new PodInitializers(chart, 'bad', { initializers: [bad] })).toThrow(
      /initializers\[0\]\.template\.initContainers\[0\]\.readiness: init containers run to completion and cannot have probes[\s\S]*template\.containers\[0\]\.name: container name "envoy" is used twice/,
    );
  });
});

describe('PodPresetInitializer', () => {
  const preset = (props: Partial<PodPresetInitializerProps> = {}) =>
    new PodPresetInitializer({
      presetName: 'allow-database',
      selector: { matchLabels: { role: 'frontend' } },
      env: { DB_PORT: '6379' },
      envFrom: [{ configMap: 'db-config' }],
      mounts: [{ volume: 'cache-volume', path: '/cache' }],
      volumes: [PodVolume.emptyDir('cache-volume')],
      ...props,
    });
  const frontend = { podLabels: { role: 'frontend' } };

  test('env, envFrom and mounts go into app containers, volumes into the pod; the pod is annotated', () => {
    const { pod } = synth([preset()], frontend);
    expect(pod.spec.containers[0]).toEqual(
      expect.objectContaining({
        env: [{ name: 'DB_PORT', value: '6379' }],
        envFrom: [{ configMapRef: { name: 'db-config' } }],
        volumeMounts: [
          { name: 'rw-app-tmp', mountPath: '/tmp' },
          { name: 'cache-volume', mountPath: '/cache' },
        ],
      }),
    );
    expect(pod.spec.initContainers[0].env).toBeUndefined();
    expect(pod.spec.volumes.map((v: any) => v.name)).toEqual(['rw-setup-tmp', 'rw-app-tmp', 'cache-volume']);
    expect(pod.metadata.annotations['podpreset.admission.kubernetes.io/podpreset-allow-database']).toMatch(/^[0-9a-f]{10}$/);
    expect(pod.metadata.annotations['initializers.cdk8s-patterns.io/applied']).toBe('allow-database.podpreset.cdk8s-patterns.io');
  });

  test('init containers too when asked (Kubernetes 1.14–1.19 behaviour)', () => {
    const { pod } = synth([preset({ initContainers: true })], frontend);
    expect(pod.spec.initContainers[0].env).toEqual([{ name: 'DB_PORT', value: '6379' }]);
  });

  test('pods the selector does not match, and pods annotated exclude, are left alone', () => {
    expect(synth([preset()]).pod.spec.containers[0].env).toBeUndefined();
    const excluded = synth([preset()], { ...frontend, podAnnotations: { [PodPresetInitializer.EXCLUDE_ANNOTATION]: 'true' } }).pod;
    expect(excluded.spec.containers[0].env).toBeUndefined();
    expect(excluded.metadata.annotations).toEqual({ [PodPresetInitializer.EXCLUDE_ANNOTATION]: 'true' });
  });

  test('identical entries are not duplicated', () => {
    const { pod } = synth([preset()], {
      ...frontend,
      volumes: [PodVolume.emptyDir('cache-volume')],
      containers: [
        { ...APP, env: { DB_PORT: '6379' }, envFrom: [{ configMap: 'db-config' }], mounts: [{ volume: 'cache-volume', path: '/cache' }] },
      ],
    });
    expect(pod.spec.containers[0].env).toHaveLength(1);
    expect(pod.spec.containers[0].envFrom).toHaveLength(1);
    expect(pod.spec.containers[0].volumeMounts).toHaveLength(2); // the preset's and /tmp
    expect(pod.spec.volumes.filter((v: any) => !v.name.startsWith('rw-'))).toHaveLength(1);
  });

  test('a differing entry with the same name or mount path is a conflict', () => {
    expect(() => synth([preset()], { ...frontend, containers: [{ ...APP, env: { DB_PORT: '5432' } }] })).toThrow(
      /containers\[app\]\.env: initializer "allow-database\.podpreset\.cdk8s-patterns\.io" \(configuration "test"\) sets env DB_PORT of container "app", but the pod template of Deployment\/web itself sets it differently/,
    );
    expect(() =>
      synth([preset()], {
        ...frontend,
        volumes: [PodVolume.emptyDir('scratch')],
        containers: [{ ...APP, mounts: [{ volume: 'scratch', path: '/cache' }] }],
      }),
    ).toThrow(
      /containers\[app\]\.volumeMounts: .* sets the mount of volume "cache-volume" at \/cache in container "app", but the pod template of Deployment\/web itself mounts "scratch" at \/cache/,
    );
    expect(() =>
      synth([preset()], {
        ...frontend,
        volumes: [PodVolume.emptyDir('cache-volume')],
        containers: [{ ...APP, mounts: [{ volume: 'cache-volume', path: '/tmp/cache' }] }],
      }),
    ).toThrow(/mounts "cache-volume" at \/tmp\/cache/);
  });

  test('two presets that disagree: both named', () => {
    const other = preset({ presetName: 'cache', env: { DB_PORT: '1234' }, envFrom: undefined, mounts: undefined, volumes: undefined });
    expect(() => synth([preset(), other], frontend)).toThrow(
      /initializer "cache\.podpreset\.cdk8s-patterns\.io" \(configuration "test"\) sets env DB_PORT of container "app", but initializer "allow-database\.podpreset\.cdk8s-patterns\.io" \(configuration "test"\) sets it differently/,
    );
  });

  test('the annotation changes exactly when the preset does', () => {
    const hash = (p: PodPresetInitializer) =>
      synth([p], frontend).pod.metadata.annotations['podpreset.admission.kubernetes.io/podpreset-allow-database'];
    expect(hash(preset())).toBe(hash(preset()));
    expect(hash(preset({ env: { DB_PORT: '6380' } }))).not.toBe(hash(preset()));
  });

  test('bad presets are refused at registration', () => {
    const chart = new Chart(Testing.app(), 'test');
    expect(
      () =>
        new PodInitializers(chart, 'bad', {
          initializers: [
            new PodPresetInitializer({
              presetName: 'Bad_Name',
              name: 'bad.podpreset.example.com',
              selector: {},
              env: { '1X': 'y' },
              mounts: [{ volume: 'v', path: 'rel' }],
            }),
          ],
        }),
    ).toThrow(
      /initializers\[0\]\.presetName: "Bad_Name" is not a valid DNS-1123 subdomain[\s\S]*env\.1X: "1X" is not a valid environment variable name[\s\S]*mounts\[0\]\.path: mount path "rel" must be absolute/,
    );
    expect(
      () => new PodInitializers(chart, 'empty', { initializers: [new PodPresetInitializer({ presetName: 'nothing', selector: {} })] }),
    ).toThrow(/initializers\[0\]: a preset needs at least one of env, envFrom, mounts, volumes/);
  });
});

describe('PodInfoEnvInitializer', () => {
  test('POD_NAME, POD_NAMESPACE and POD_IP from the downward API, in app and init containers', () => {
    const { pod, manifests } = synth([new PodInfoEnvInitializer()]);
    const expected = [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
    ];
    expect(pod.spec.containers[0].env).toEqual(expected);
    expect(pod.spec.initContainers[0].env).toEqual(expected);
    expectValidManifests(manifests);
  });

  test('other variables on request; names are checked', () => {
    const { pod } = synth([new PodInfoEnvInitializer({ variables: { NODE_NAME: EnvFieldPaths.NODE_NAME } })]);
    expect(pod.spec.containers[0].env).toEqual([{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(
      () =>
        new PodInitializers(new Chart(Testing.app(), 'test'), 'bad', {
          initializers: [new PodInfoEnvInitializer({ variables: { 'MY=VAR': EnvFieldPaths.POD_NAME } })],
        }),
    ).toThrow(/initializers\[0\]\.variables\.MY=VAR: "MY=VAR" is not a valid environment variable name/);
  });
});

test('an injected sidecar counts in the effective resources of the pod', () => {
  const { pod } = synth([
    new SidecarInitializer({
      name: 'proxy.sidecars.test.example.com',
      template: new SidecarTemplate({
        containers: [
          {
            name: 'proxy',
            image: 'proxy:1.0',
            security: { runAsUser: 101 },
            resources: { cpu: { request: '50m' }, memory: { request: Size.mebibytes(32) } },
          },
        ],
      }),
    }),
  ]);
  expect(PodResources.ofPodSpec(pod.spec)).toEqual({ requests: { cpu: '150m', memory: '160Mi' }, limits: {} });
});
