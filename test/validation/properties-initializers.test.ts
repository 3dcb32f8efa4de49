import { ApiObject } from 'cdk8s';
import { EnvFieldPaths } from 'cdk8s-plus-27';
import fc from 'fast-check';
import {
  PodVolume,
  WebService,
  LxcfsInitializer,
  PodInfoEnvInitializer,
  PodInitializer,
  PodInitializers,
  PodPresetInitializer,
  SidecarInitializer,
  SidecarTemplate,
} from '../../lib';
import { cases, checkConstruct, expectBothOutcomes, Gen, materializePod, podSecurityOf, RUNS } from './properties';

/** Synth-time initializers over a WebService and a raw Deployment: presets, lxcfs, pod info env, sidecars. */
const props = (g: Gen) =>
  fc.record({
    pod: g.pod({ security: ['restricted', 'baseline', 'privileged'] }),
    rawDeployment: fc.boolean(),
    configName: g.pick(['10-platform', 'presets'], ['Bad Name']),
    preset: g.optional(
      fc.record({
        presetName: g.pick(['allow-database'], ['Bad']),
        selector: g.pick<Record<string, string>>([{ role: 'frontend' }, { app: 'x' }], [{ 'bad key': 'v' }]),
        env: fc.dictionary(g.pick(['DB_PORT', 'DB_HOST'], ['1BAD']), fc.constantFrom('6379', 'redis'), { maxKeys: 2 }),
        envFromConfigMap: fc.boolean(),
        mountPath: g.pick(['/cache'], ['relative']),
        volumeName: g.pick(['cache-volume'], ['Cache', 'scratch']),
        initContainers: fc.boolean(),
      }),
    ),
    lxcfs: g.optional(
      fc.record({
        lxcfsDir: g.pick(['/var/lib/lxcfs'], ['relative']),
        files: fc.subarray(g.valid ? ['meminfo', 'cpuinfo'] : ['meminfo', 'cpuinfo', 'Bad-File'], { minLength: g.valid ? 1 : 0 }),
      }),
    ),
    podInfo: g.optional(
      fc.record(
        { initContainers: fc.boolean(), variables: fc.constantFrom(undefined, { MY_POD: EnvFieldPaths.POD_NAME }) },
        { requiredKeys: ['initContainers'] },
      ),
    ),
    sidecar: g.optional(
      fc.record({
        name: g.pick(['proxy.sidecars.example.com'], ['proxy', 'proxy.example']),
        container: g.pick(['proxy'], ['app', 'Proxy']),
        image: g.pick(['envoyproxy/envoy:v1.27.0'], ['envoy']),
      }),
    ),
  });

test(`PodInitializers (PodPreset, Lxcfs, PodInfoEnv, Sidecar): ${RUNS.initializers} generated setups raise PatternError or synthesize valid output`, () => {
  const outcomes = checkConstruct(
    cases(props),
    (chart, p) => {
      const initializers: PodInitializer[] = [];
      if (p.preset) {
        initializers.push(
          new PodPresetInitializer({
            presetName: p.preset.presetName,
            selector: { matchLabels: p.preset.selector },
            env: p.preset.env,
            envFrom: p.preset.envFromConfigMap ? [{ configMap: 'cfg' }] : undefined,
            mounts: [{ volume: 'cache-volume', path: p.preset.mountPath }],
            volumes: [PodVolume.emptyDir(p.preset.volumeName)],
            initContainers: p.preset.initContainers,
          }),
        );
      }
      // lxcfs mounts host paths: only pods declared privileged may take it
      if (p.lxcfs) initializers.push(new LxcfsInitializer({ ...p.lxcfs, selector: { matchLabels: { lxcfs: 'true' } } }));
      if (p.podInfo) initializers.push(new PodInfoEnvInitializer(p.podInfo));
      if (p.sidecar) {
        const template = new SidecarTemplate({
          containers: [{ name: p.sidecar.container, image: p.sidecar.image, ports: [{ name: 'proxy-admin', number: 15000 }] }],
        });
        initializers.push(new SidecarInitializer({ name: p.sidecar.name, template }));
      }
      new PodInitializers(chart, 'init', { name: p.configName, initializers });
      const pod = materializePod(chart, p.pod);
      const privileged = p.pod.podSecurity === 'privileged';
      new WebService(chart, 'web', {
        ...pod,
        podLabels: { ...pod.podLabels, role: 'frontend', ...(privileged ? { lxcfs: 'true' } : {}) },
        exposeService: false,
      });
      if (p.rawDeployment) {
        const labels = { app: 'x' };
        new ApiObject(chart, 'raw', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'raw' },
          spec: {
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                automountServiceAccountToken: false,
                securityContext: podSecurityOf('restricted')!.podContext(),
                containers: [
                  {
                    name: 'raw',
                    image: 'nginx:1.25',
                    resources: { requests: { cpu: '10m' } },
                    securityContext: podSecurityOf('restricted')!.containerContext(),
                  },
                ],
              },
            },
          },
        } as any);
      }
    },
    RUNS.initializers,
  );
  expectBothOutcomes(outcomes);
});
