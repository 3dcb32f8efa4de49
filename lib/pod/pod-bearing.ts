import { plain } from '../core/plain';

/**
 * Prefix of the config hash annotations on pod templates (`checksum.cdk8s-patterns.io/configmap.<name>`,
 * see `ConfigRollout`); here, with no cdk8s import, so the release review reads it without loading cdk8s.
 */
export const CONFIG_HASH_PREFIX = 'checksum.cdk8s-patterns.io/';

/** How a pod-bearing kind holds its pod template. */
export interface PodBearingKind {
  /** Keys from the object to the template (`{ metadata, spec }`); empty for a Pod itself. */
  readonly path: readonly string[];
  /** The resource name admission rules use for the kind (`deployments`). */
  readonly resource: string;
  /** What restartPolicy its pods need: controllers keep pods running, jobs run them to completion. */
  readonly restart: 'always' | 'completion' | 'any';
  /**
   * Its controller replaces the running pods when the template changes (a rollout): Deployment,
   * StatefulSet, DaemonSet. Not a ReplicaSet or ReplicationController (new pods only), a Job (its
   * template is immutable), a CronJob (each run starts new pods) or a Pod.
   */
  readonly rollsOnChange?: boolean;
}

const controller = (resource: string, rollsOnChange = false): PodBearingKind => ({
  path: ['spec', 'template'],
  resource,
  restart: 'always',
  rollsOnChange,
});

/**
 * Every kind that carries a pod template, by `group/kind` (group '' is the core group): the one table
 * that validation (which checks pod templates) and initializers (which mutate them) both read.
 */
const KINDS: Record<string, PodBearingKind> = {
  '/Pod': { path: [], resource: 'pods', restart: 'any' },
  '/PodTemplate': { path: ['template'], resource: 'podtemplates', restart: 'any' },
  '/ReplicationController': controller('replicationcontrollers'),
  'apps/Deployment': controller('deployments', true),
  'apps/ReplicaSet': controller('replicasets'),
  'apps/StatefulSet': controller('statefulsets', true),
  'apps/DaemonSet': controller('daemonsets', true),
  'extensions/Deployment': controller('deployments', true),
  'extensions/ReplicaSet': controller('replicasets'),
  'extensions/DaemonSet': controller('daemonsets', true),
  'batch/Job': { path: ['spec', 'template'], resource: 'jobs', restart: 'completion' },
  'batch/CronJob': { path: ['spec', 'jobTemplate', 'spec', 'template'], resource: 'cronjobs', restart: 'completion' },
};

/** Where the pod template of `group/kind` sits, or undefined for kinds without one. */
export function podBearingKind(group: string, kind: string): PodBearingKind | undefined {
  return KINDS[`${group}/${kind}`];
}

/** The kinds that carry a pod template (`Pod`, `Deployment`...), each once whatever its groups. */
export function podBearingKinds(): string[] {
  return [...new Set(Object.keys(KINDS).map((key) => key.slice(key.indexOf('/') + 1)))];
}

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

/** Where the pod template of a manifest is: its kind's entry, the template, and the object holding it. */
export interface PodTemplateSite {
  /** API group (`""` for the core group). */
  readonly group: string;
  /** API version (`v1`). */
  readonly version: string;
  /** The kind's entry in the table. */
  readonly kind: PodBearingKind;
  /** The template (`{ metadata, spec }`; the manifest itself for a Pod), if the manifest holds one. */
  readonly template: any;
  /** The object holding the template under the last key of `kind.path` (undefined for a Pod). */
  readonly parent: any;
}

/**
 * The one pod-template locator: validation (which checks templates), initializers (which change
 * them), effective resources and the release review all find templates through it. Undefined for a
 * manifest whose kind carries no pod template.
 */
export function podTemplateSite(json: any): PodTemplateSite | undefined {
  if (!json || typeof json.apiVersion !== 'string' || typeof json.kind !== 'string') return undefined;
  const slash = json.apiVersion.lastIndexOf('/');
  const group = slash >= 0 ? json.apiVersion.slice(0, slash) : '';
  const kind = podBearingKind(group, json.kind);
  if (!kind) return undefined;
  let parent: any = undefined;
  let template: any = json;
  for (const key of kind.path) {
    parent = template;
    template = template !== null && typeof template === 'object' ? template[key] : undefined;
  }
  return { group, version: json.apiVersion.slice(slash + 1), kind, template, parent };
}

/** Finds the pod template of any pod-bearing kind (Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob), when it has containers. */
export function locatePodTemplate(json: any): PodTemplateLocation | undefined {
  const site = podTemplateSite(json);
  if (!site) return undefined;
  const { template, parent, kind } = site;
  if (!template || typeof template !== 'object' || !template.spec || !Array.isArray(template.spec.containers)) return undefined;
  const last = kind.path[kind.path.length - 1];
  return {
    group: site.group,
    version: site.version,
    resource: kind.resource,
    template,
    path: kind.path.join('.'),
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
