// Seed 001: the "web" StatefulSet — two nginx pods with stable names (web-0, web-1), DNS through the
// headless Service "nginx", and a 1Gi claim "www" per pod (PVCs www-web-0, www-web-1).
import { App, Chart, Size } from 'cdk8s';
import { ContainerProbe, PodSecurity, StatefulService } from '../lib';

export function addNginxWeb(app: App): StatefulService {
  const chart = new Chart(app, 'nginx-web');
  return new StatefulService(chart, 'web', {
    replicas: 2,
    serviceName: 'nginx',
    selectorLabels: { app: 'nginx' },
    // the stock nginx image starts as root to bind port 80 and drop to the nginx user
    podSecurity: PodSecurity.baseline('stock nginx image starts as root'),
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        ports: [{ name: 'web', number: 80 }],
        // the root filesystem is read-only: nginx writes its caches and pid file here (and /tmp, a default)
        writablePaths: ['/var/cache/nginx', '/var/run'],
        // ContainerProbe works whichever cdk8s-plus major the app is on (a plus-27 Probe works too)
        readiness: ContainerProbe.httpGet('/'),
      },
    ],
    claims: [{ name: 'www', size: Size.gibibytes(1), mountPath: '/usr/share/nginx/html' }],
  });
}
