// Seed 001: the "nginx-deployment" Deployment — 2 replicas, rolling updates that add one new pod and
// take down one old pod at a time (maxSurge 1, maxUnavailable 1), a container port 8080, readiness
// and liveness probes, and a preStop hook that lets endpoints drain before SIGTERM.
import { App, Chart, Duration } from 'cdk8s';
import { Probe } from 'cdk8s-plus-27';
import { DeploymentUpdateStrategy, DisruptionBudget, WebService } from '../lib';

export function addNginxDeployment(app: App): WebService {
  const chart = new Chart(app, 'nginx-deployment');
  return new WebService(chart, 'nginx-deployment', {
    replicas: 2,
    selectorLabels: { app: 'nginx-deployment' },
    strategy: DeploymentUpdateStrategy.rollingUpdate({ maxSurge: 1, maxUnavailable: 1 }),
    minReady: Duration.seconds(5),
    revisionHistoryLimit: 5,
    terminationGracePeriod: Duration.seconds(30),
    // nginx-unprivileged runs as user 101 on port 8080, so the pod meets the restricted profile
    containers: [
      {
        name: 'nginx',
        image: 'nginxinc/nginx-unprivileged:1.25',
        ports: [{ name: 'http', number: 8080 }],
        readiness: Probe.fromHttpGet('/', { initialDelaySeconds: Duration.seconds(5), periodSeconds: Duration.seconds(5) }),
        liveness: Probe.fromHttpGet('/', { initialDelaySeconds: Duration.seconds(15), periodSeconds: Duration.seconds(10) }),
        // keep serving while the endpoint is removed from the Service, then let nginx shut down
        preStop: ['sh', '-c', 'sleep 5'],
      },
    ],
    serviceOptions: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    budget: DisruptionBudget.maxUnavailable(1),
  });
}
