// An existing cdk8s-plus-27 app with this library's constructs added. The plain cdk8s-plus-27
// Deployment cannot reach Pod Security "restricted" (plus-27 cannot express a capabilities drop or a
// seccomp profile): in the chart `mixed-plus` that is a warning, not an error (coexistence); the chart
// `mixed-plus-hardened` adds the hardening initializer and synthesizes without any warning. A
// cdk8s-plus HorizontalPodAutoscaler scales the WebService, as it would a plus Deployment.
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import {
  BareDisruptionBudget,
  BareService,
  ContainerProbe,
  DisruptionBudget,
  PodHardeningInitializer,
  PodInitializers,
  WebService,
} from '../lib';

function addShop(chart: Chart): void {
  // the app as it was: plain cdk8s-plus-27
  const legacy = new plus.Deployment(chart, 'legacy', {
    replicas: 2,
    containers: [{ image: 'nginxinc/nginx-unprivileged:1.25', portNumber: 8080, readiness: plus.Probe.fromHttpGet('/') }],
  });
  // our constructs next to it: a Service and a standalone budget over the plus Deployment's pods
  new BareService(chart, 'legacy-svc', { selector: legacy.matchLabels, ports: [{ port: 80, targetPort: 8080 }] });
  new BareDisruptionBudget(chart, 'legacy-budget', {
    selector: legacy.matchLabels,
    replicas: 2,
    budget: DisruptionBudget.maxUnavailable(1),
  });
  const api = new WebService(chart, 'api', {
    containers: [
      {
        name: 'api',
        image: 'nginxinc/nginx-unprivileged:1.25',
        ports: [{ name: 'http', number: 8080 }],
        readiness: ContainerProbe.httpGet('/'),
      },
    ],
  });
  // the app's cdk8s-plus autoscaler scales our WebService (IScalable): its Deployment omits replicas
  new plus.HorizontalPodAutoscaler(chart, 'api-autoscaler', { target: api, minReplicas: 2, maxReplicas: 6 });
}

export function addMixedPlus(app: App): void {
  addShop(new Chart(app, 'mixed-plus', { namespace: 'shop' }));
  const hardened = new Chart(app, 'mixed-plus-hardened', { namespace: 'shop-hardened' });
  addShop(hardened);
  // one line: every pod template of the chart, the cdk8s-plus one included, up to "restricted"
  new PodInitializers(hardened, 'hardening', { initializers: [new PodHardeningInitializer()] });
}
