// Rollouts on config change. Every Deployment, StatefulSet and DaemonSet of the app whose pods use a
// ConfigMap or Secret of the same app and namespace carries its content hash on the pod template
// (checksum.cdk8s-patterns.io/configmap.<name>, .../secret.<name>): change the data, and the next apply
// rolls the pods, as Helm charts do with `checksum/config`. It works for cdk8s-plus objects as well as ours
// (the plus Deployment below), and is switched off per workload with a reason (`configRollout`).
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { ContainerProbe, OptOut, PodHardeningInitializer, PodInitializers, PodVolume, WebService } from '../lib';

const IMAGE = 'nginxinc/nginx-unprivileged:1.25';

export function addConfigRollout(app: App): void {
  const chart = new Chart(app, 'config-rollout', { namespace: 'shop' });

  // our WebService: the ConfigMap mounted as files, the Secret as environment variables
  const config = new plus.ConfigMap(chart, 'config', {
    metadata: { name: 'shop-config' },
    data: { 'shop.yaml': 'currency: EUR\npageSize: 20\n' },
  });
  const db = new plus.Secret(chart, 'db', {
    metadata: { name: 'shop-db' },
    stringData: { DATABASE_URL: 'postgres://shop@db.shop.svc:5432/shop' },
  });
  new WebService(chart, 'shop', {
    containers: [
      {
        name: 'shop',
        image: IMAGE,
        ports: [{ name: 'http', number: 8080 }],
        readiness: ContainerProbe.httpGet('/'),
        envFrom: [{ secret: db }],
        mounts: [{ volume: 'config', path: '/etc/shop', readOnly: true }],
      },
    ],
    volumes: [PodVolume.configMap('config', config)],
  });

  // a cdk8s-plus Deployment with a cdk8s-plus ConfigMap gets its hash the same way
  const workerConfig = new plus.ConfigMap(chart, 'worker-config', { metadata: { name: 'worker-config' }, data: { QUEUE: 'orders' } });
  new plus.Deployment(chart, 'worker', {
    metadata: { name: 'worker' },
    replicas: 2,
    containers: [{ image: IMAGE, portNumber: 8080, envFrom: [plus.Env.fromConfigMap(workerConfig)] }],
  });

  // this one reloads its price list itself when the mounted file changes: no rollout wanted
  const prices = new plus.ConfigMap(chart, 'prices', { metadata: { name: 'price-list' }, data: { 'prices.csv': 'sku,eur\nA1,9.90\n' } });
  new WebService(chart, 'pricing', {
    containers: [
      {
        name: 'pricing',
        image: IMAGE,
        ports: [{ name: 'http', number: 8080 }],
        readiness: ContainerProbe.httpGet('/'),
        mounts: [{ volume: 'prices', path: '/srv/prices', readOnly: true }],
      },
    ],
    volumes: [PodVolume.configMap('prices', prices)],
    configRollout: OptOut.because('watches /srv/prices and reloads it without a restart'),
  });

  // the plus Deployment up to Pod Security "restricted" (its hash is written after the initializers ran)
  new PodInitializers(chart, 'hardening', { initializers: [new PodHardeningInitializer()] });
}
