// The Kubernetes documentation's init-containers example (concepts/workloads/pods/init-containers):
// a bare Pod whose two init containers wait for the Services myservice and mydb, and those two
// Services, which have no selector (their endpoints are managed by hand), reproduced with the public API.
import { App, Chart } from 'cdk8s';
import { BarePod, BareService } from '../lib';

export function addInitContainersPod(app: App): BarePod {
  const chart = new Chart(app, 'init-containers-pod');
  // selector-less Services: no pods are selected, endpoints come from an Endpoints object or EndpointSlices
  new BareService(chart, 'myservice', { ports: [{ port: 80, targetPort: 9376 }] });
  new BareService(chart, 'mydb', { ports: [{ port: 80, targetPort: 9377 }] });
  const wait = (name: string) => ({
    name: `init-${name}`,
    image: 'busybox:1.28',
    command: [
      'sh',
      '-c',
      `until nslookup ${name}.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for ${name}; sleep 2; done`,
    ],
    security: { runAsUser: 65534 },
  });
  return new BarePod(chart, 'myapp-pod', {
    podLabels: { app: 'myapp' },
    // the init containers read their namespace from the ServiceAccount token mount
    tokenMountReason: 'the init containers read the namespace from the token mount',
    initContainers: [wait('myservice'), wait('mydb')],
    containers: [
      {
        name: 'myapp-container',
        image: 'busybox:1.28',
        command: ['sh', '-c', 'echo The app is running! && sleep 3600'],
        security: { runAsUser: 65534 },
      },
    ],
  });
}
