// Seed 001: "myapp", the application an Istio-style initializer injects an Envoy sidecar into. As the
// user writes it: one busybox container; the sidecar comes from the initializer, not from this file.
import { App, Chart } from 'cdk8s';
import { WebService } from '../lib';

export function addIstioApp(app: App): WebService {
  const chart = new Chart(app, 'istio-app');
  return new WebService(chart, 'myapp', {
    replicas: 1,
    selectorLabels: { app: 'myapp' },
    containers: [
      {
        name: 'myapp-container',
        image: 'busybox:1.36',
        command: ['sh', '-c', 'echo hello world && sleep 3600'],
        // busybox has no user of its own: run as nobody to stay within the restricted profile
        security: { runAsUser: 65534 },
      },
    ],
    // it listens on nothing; the Envoy sidecar owns the traffic
    exposeService: false,
  });
}
