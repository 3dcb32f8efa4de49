import { plain } from '../core/plain';
import { podBearingKind } from '../pod/pod-bearing';

/** The pod template inside a manifest, and how admission rules name the manifest's resource. */
export interface PodTemplateLocation {
  /** API group (`""` for the core group). */
  readonly group: string;
  /** API version (`v1`). */
  readonly version: string;
  /** Resource name admission rules use (`deployments`). */
  readonly resource: string;
  /** The template: `{ metadata, spec }` (the manifest itself for a Pod). Changes to it change the manifest. */
  readonly template: { metadata?: any; spec: any };
  /** JSON path of the template in the manifest (`spec.template`; `""` for a Pod). */
  readonly path: string;
  /** Re-sorts the keys of the template (changed in place) the way every rendered object has them. */
  sortKeys(): void;
}

/** Finds the pod template of any pod-bearing kind (Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). */
export function locatePodTemplate(json: any): PodTemplateLocation | undefined {
  if (!json || typeof json.apiVersion !== 'string' || typeof json.kind !== 'string') return undefined;
  const slash = json.apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? json.apiVersion.slice(0, slash) : '';
  const version = json.apiVersion.slice(slash + 1);
  const known = podBearingKind(group, json.kind);
  if (!known) return undefined;
  let parent: any = undefined;
  let template: any = json;
  for (const key of known.path) {
    parent = template;
    template = template?.[key];
  }
  if (!template || typeof template !== 'object' || !template.spec || !Array.isArray(template.spec.containers)) return undefined;
  const last = known.path[known.path.length - 1];
  return {
    group,
    version,
    resource: known.resource,
    template,
    path: known.path.join('.'),
    sortKeys: () => {
      if (parent) {
        parent[last] = plain(template);
      } else {
        json.metadata = plain(json.metadata);
        json.spec = plain(json.spec);
      }
    },
  };
}
