// An existing cdk8s-plus-27 app with this library's constructs added. The plain cdk8s-plus-27
// Deployment cannot reach Pod Security "restricted" (plus-27 cannot express a capabilities drop or a
// seccomp profile): in the chart `mixed-plus` that is a warning, not an error (coexistence); the chart
// `mixed-plus-hardened` adds the hardening initializer and synthesizes without any warning.
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { BareDisruptionBudget, BareService, DisruptionBudget, PodHardeningInitializer, PodInitializers, WebService } from '../lib';

function addShop(chart: Chart): void {
  // the app as it was: plain cdk8s-plus-27
  const legacy = new plus.Deployment(chart, 'legacy', {
    replicas: 2,
    containers: [{ image: 'nginxinc/nginx-unprivileged:1.25', portNumber: 8080 }],
  });
  // our constructs next to it: a Service and a standalone budget over the plus Deployment's pods
  new BareService(chart, 'legacy-svc', { selector: legacy.matchLabels, ports: [{ port: 80, targetPort: 8080 }] });
  new BareDisruptionBudget(chart, 'legacy-budget', {
    selector: legacy.matchLabels,
    replicas: 2,
    budget: DisruptionBudget.maxUnavailable(1),
  });
  new WebService(chart, 'api', {
    containers: [{ name: 'api', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] }],
  });
}

export function addMixedPlus(app: App): void {
  addShop(new Chart(app, 'mixed-plus', { namespace: 'shop' }));
  const hardened = new Chart(app, 'mixed-plus-hardened', { namespace: 'shop-hardened' });
  addShop(hardened);
  // one line: every pod template of the chart, the cdk8s-plus one included, up to "restricted"
  new PodInitializers(hardened, 'hardening', { initializers: [new PodHardeningInitializer()] });
}
