import { podTemplateSite } from '../pod/pod-bearing';
export { canonical } from '../core/plain';
// Object identity: what `kubectl apply` and GitOps tools key objects by (API group, kind, namespace, name;
// not the version: apps/v1 and apps/v1beta2 Deployments are the same object).

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  readonly [key: string]: any;
}

/** A parsed object of one side, with where it came from. */
export interface Entry {
  readonly key: string;
  readonly file: string;
  readonly index: number;
  readonly obj: KubeObject;
}

export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The group and kind, e.g. `apps/StatefulSet`, `Service` (core). */
export function groupKind(o: { apiVersion: string; kind: string }): string {
  const g = apiGroup(o.apiVersion);
  return g ? `${g}/${o.kind}` : o.kind;
}

export function objectKey(o: KubeObject): string {
  return `${groupKind(o)}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
}

/** `Kind/name` or `Kind/namespace/name`, for messages and `--ack` targets. */
export function displayName(kind: string, namespace: string, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** The pod template (`{ metadata, spec }`) of a workload, or the Pod itself; undefined for other kinds. */
export function podTemplateOf(o: KubeObject | undefined): { metadata?: any; spec?: any } | undefined {
  const t = podTemplateSite(o)?.template;
  return t !== null && typeof t === 'object' ? t : undefined;
}

/** A Pod, or an object whose controller creates pods from its template (not a bare PodTemplate). */
export function isWorkload(o: { apiVersion: string; kind: string }): boolean {
  const site = podTemplateSite(o);
  return site !== undefined && site.kind.resource !== 'podtemplates';
}
