// Seed 001 §26, corrected: the example-role may read pods and the one ConfigMap "my-config" in
// mynamespace; example-rolebinding grants it to the user example-user and to the ServiceAccount
// example-sa (a pod running as example-sa can then only get/list/watch pods). The seed's YAML had
// `rbac.authroization.k8s.io`, `apiVersoin` and a list under `roleRef`; none of that can happen here.
// Print who may do what with:
//   node -e "require('./apps/ts-hook').register(); require('./apps/rbac-basics.ts').printPermissions()"
import { App, Chart } from 'cdk8s';
import { PermissionReport, RbacResource, RbacRole, RbacRoleBinding, RbacServiceAccount, Subject, Verbs } from '../lib';

export function addRbacBasics(app: App): RbacRoleBinding {
  const chart = new Chart(app, 'rbac-basics', { namespace: 'mynamespace' });
  const sa = new RbacServiceAccount(chart, 'example-sa');
  const role = new RbacRole(chart, 'example-role');
  role.allow(Verbs.READ).on(RbacResource.PODS);
  role.allow('get').on(RbacResource.CONFIG_MAPS.named('my-config'));
  return new RbacRoleBinding(chart, 'example-rolebinding', { role, subjects: [Subject.user('example-user'), sa] });
}

/** Prints the example's permission report. */
export function printPermissions(): void {
  const app = new App();
  addRbacBasics(app);
  process.stdout.write(PermissionReport.format(app));
}
