// Seed 002: PodPreset. The Kubernetes example "allow-database" gives every pod labeled
// role: frontend the database port, the database settings and a cache volume. The PodPreset
// admission plugin is gone since Kubernetes 1.20; the PodPresetInitializer applies the same
// semantics at synth time. The admin console opts out with podpreset.admission.kubernetes.io/exclude.
import { App, Chart } from 'cdk8s';
import { ConfigMap } from 'cdk8s-plus-27';
import { ContainerProbe, PodInitializers, PodPresetInitializer, ContainerSpec, PodVolume, WebService } from '../lib';

export function addPodPreset(app: App): Chart {
  const chart = new Chart(app, 'podpreset');
  const dbConfig = new ConfigMap(chart, 'db-config', { metadata: { name: 'db-config' }, data: { DB_HOST: 'redis', DB_NAME: 'sessions' } });

  new PodInitializers(chart, 'presets', {
    initializers: [
      new PodPresetInitializer({
        presetName: 'allow-database',
        selector: { matchLabels: { role: 'frontend' } },
        env: { DB_PORT: '6379' },
        envFrom: [{ configMap: dbConfig }],
        mounts: [{ volume: 'cache-volume', path: '/cache' }],
        volumes: [PodVolume.emptyDir('cache-volume')],
      }),
    ],
  });

  // the unprivileged nginx image runs as uid 101, so it fits the restricted profile
  const nginx: ContainerSpec = {
    name: 'nginx',
    image: 'nginxinc/nginx-unprivileged:1.25',
    ports: [{ name: 'http', number: 8080 }],
    readiness: ContainerProbe.httpGet('/'),
    security: { runAsUser: 101 },
  };
  new WebService(chart, 'website', { podLabels: { role: 'frontend' }, containers: [nginx] });
  new WebService(chart, 'admin', {
    replicas: 1,
    podLabels: { role: 'frontend' },
    podAnnotations: { [PodPresetInitializer.EXCLUDE_ANNOTATION]: 'true' },
    containers: [nginx],
  });
  return chart;
}
