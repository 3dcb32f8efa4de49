// Seeds 002 and 003: init containers. Before nginx starts, the pod waits for the "mydb" Service's DNS
// name (seed 002), copies the site into a shared volume (seed 003's `cp -a`) and runs a one-time
// setup whose marker file lives on an emptyDir, so it runs once per pod even when Kubernetes runs the
// init containers again (seed 003's podinit). The PodInfoEnvInitializer gives every
// container POD_NAME, POD_NAMESPACE and POD_IP. `printPodinitReport()` prints the pod's effective
// requests and limits: init containers run one at a time, app containers together.
import { App, Chart, Size, Testing } from 'cdk8s';
import { ContainerProbe, InitStep, PodInfoEnvInitializer, PodInitializers, PodResources, WebService } from '../lib';

export function addPodinit(app: App): Chart {
  const chart = new Chart(app, 'podinit', { namespace: 'podinit' });
  new PodInitializers(chart, 'pod-info', { initializers: [new PodInfoEnvInitializer()] });

  const waitForDb = InitStep.waitForService('mydb');
  const copySite = InitStep.copyFiles({
    image: 'registry.example.com/site-content:1.0',
    sourcePath: '/site',
    volume: 'shared-data',
    runAsUser: 65534,
  });
  const register = InitStep.runOnce({ script: 'echo "PODINIT-TRACE-LOG: registering $POD_NAMESPACE/$POD_NAME"' });

  new WebService(chart, 'myapp', {
    volumes: [...copySite.volumes, ...register.volumes],
    initContainers: [
      waitForDb.container,
      // copying the site is the heaviest step: the pod's effective memory request comes from it
      { ...copySite.container, resources: { cpu: { request: '200m' }, memory: { request: Size.mebibytes(256) } } },
      register.container,
    ],
    containers: [
      {
        name: 'nginx',
        image: 'nginxinc/nginx-unprivileged:1.25',
        ports: [{ name: 'http', number: 8080 }],
        mounts: [{ volume: 'shared-data', path: '/usr/share/nginx/html', readOnly: true }],
        // the Service sends traffic only once nginx answers (the validation warns about a container behind a Service without one)
        readiness: ContainerProbe.httpGet('/'),
        security: { runAsUser: 101 },
        resources: { cpu: { request: '100m', limit: '500m' }, memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) } },
      },
    ],
  });
  return chart;
}

/**
 * Effective requests and limits of every pod template of `chart`, one line each, read from the objects
 * as they are written: after synth-time initializers, which may add containers.
 */
export function resourcesReport(chart: Chart): string {
  return Testing.synth(chart)
    .flatMap((obj) => {
      const resources = PodResources.ofManifest(obj);
      if (!resources) return [];
      const { requests, limits } = resources;
      const list = (r: { [key: string]: string }) =>
        Object.entries(r)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ') || 'none';
      return [`${obj.kind}/${obj.metadata.name}: requests ${list(requests)}; limits ${list(limits)}`];
    })
    .join('\n');
}

/** `resourcesReport` of the podinit example. */
export function podinitReport(): string {
  return resourcesReport(addPodinit(new App()));
}

/** Prints `podinitReport()`: `node -e "require('./apps/ts-hook').register(); require('./apps/podinit.ts').printPodinitReport()"`. */
export function printPodinitReport(): void {
  console.log(podinitReport());
}
