import { Chart, JsonPatch } from 'cdk8s';
import { Manifest } from '../core/manifest';

/** Keeps the chart's namespace off a cluster-scoped object (ClusterRole, ClusterRoleBinding, CRD). */
export function clusterScoped(manifest: Manifest): Manifest {
  if (Chart.of(manifest).namespace !== undefined) manifest.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return manifest;
}
