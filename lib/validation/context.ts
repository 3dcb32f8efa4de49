import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { RenderedObject } from '../core/registry';
import { arr, obj, str } from './json-path';
import { ObjectPolicy, PolicyResolver } from './policy';
import { podTemplateOf, PodTemplateJson } from './pod-templates';
import { Labels, mapMatches, selectorMatches } from './selectors';
import type { KnownKindSchema } from './schema/known-kinds';

/** One API object of the app, as the rules see it. */
export interface ObjectInfo {
  /** Position in the app's output (problems are reported in this order). */
  readonly index: number;
  readonly obj: ApiObject;
  readonly json: Record<string, any>;
  readonly apiVersion: string;
  readonly kind: string;
  /** API group ('' for the core group). */
  readonly group: string;
  /** `metadata.name`, or '' when missing. */
  readonly name: string;
  /** Effective namespace: `metadata.namespace`, else the chart's, else `default`; '' for cluster-scoped kinds. */
  readonly namespace: string;
  /** `Kind/name`, for messages. */
  readonly ref: string;
  readonly policy: ObjectPolicy;
  /** The pod template, for pod-bearing kinds. */
  readonly template?: PodTemplateJson;
}

/** One version of a custom resource kind defined by a CustomResourceDefinition in the app. */
export interface CustomKind {
  readonly crd: ObjectInfo;
  readonly served: boolean;
  /** The version's `openAPIV3Schema`, if it has one. */
  readonly schema?: Record<string, any>;
}

/** Built-in kinds that are not namespaced, by `group/kind`. */
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/ClusterCIDR',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/InitializerConfiguration',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/ResourceClass',
  'policy/PodSecurityPolicy',
]);

const CRD = 'apiextensions.k8s.io/CustomResourceDefinition';

function matches(w: ObjectInfo, matchLabels: Labels, selector?: Record<string, any>): boolean {
  return mapMatches(matchLabels, w.template!.labels) && (!selector || selectorMatches(selector, w.template!.labels));
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ''). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Everything the rules need, built in one pass over the app's objects: object infos, a look-up by
 * (group, kind, namespace, name), pod templates indexed by namespace and by label, the CRDs of the app,
 * and the ServiceAccounts some binding grants access to. Each rule then runs in O(objects).
 */
export class ValidationContext {
  public readonly objects: ObjectInfo[] = [];
  /** Objects with a pod template. */
  public readonly workloads: ObjectInfo[] = [];
  /** Later objects with the (group, kind, namespace, name) of an earlier one, with that first one. */
  public readonly duplicates: Array<{ readonly object: ObjectInfo; readonly first: ObjectInfo }> = [];
  /** Custom kinds by `apiVersion|kind`. */
  public readonly customKinds = new Map<string, CustomKind>();
  /** CRDs by `group|kind`, for versions they do not define. */
  public readonly crdByKind = new Map<string, ObjectInfo>();
  /** Namespaces of the app by name. */
  public readonly namespaces = new Map<string, ObjectInfo>();
  /** Custom kinds the library knows a schema of without a CRD in the app, by `apiVersion|kind` (lib/monitoring). */
  public readonly knownKinds: ReadonlyMap<string, KnownKindSchema>;

  private readonly byKey = new Map<string, ObjectInfo>();
  private readonly workloadsByNamespace = new Map<string, ObjectInfo[]>();
  private readonly workloadsByLabel = new Map<string, ObjectInfo[]>();
  private readonly granted = new Set<string>();
  private readonly clusterScopedCustom = new Set<string>();

  constructor(rendered: readonly RenderedObject[], knownKinds: ReadonlyMap<string, KnownKindSchema> = new Map()) {
    this.knownKinds = knownKinds;
    for (const r of rendered) {
      const json = obj(r.json);
      if (json && json.apiVersion === 'apiextensions.k8s.io/v1' && json.kind === 'CustomResourceDefinition') this.indexCrdScope(json);
    }
    const policies = new PolicyResolver();
    const chartNamespaces = new Map<IConstruct | undefined, string>();
    rendered.forEach((r, index) => {
      const json = obj(r.json) ?? {};
      const apiVersion = typeof json.apiVersion === 'string' ? json.apiVersion : '';
      const kind = typeof json.kind === 'string' ? json.kind : '';
      const group = groupOf(apiVersion);
      const name = str(json.metadata?.name) ?? '';
      const clusterScoped = CLUSTER_SCOPED.has(`${group}/${kind}`) || this.clusterScopedCustom.has(`${group}|${kind}`);
      const namespace = clusterScoped ? '' : (str(json.metadata?.namespace) ?? chartNamespace(r.obj, chartNamespaces));
      const info: ObjectInfo = {
        index,
        obj: r.obj,
        json,
        apiVersion,
        kind,
        group,
        name,
        namespace,
        ref: `${kind || '<no kind>'}/${name || '<no name>'}`,
        policy: policies.of(r.obj),
        template: podTemplateOf(json),
      };
      this.objects.push(info);
      this.indexObject(info);
    });
  }

  /** The object of the app with this group, kind, namespace ('' for cluster-scoped) and name. */
  public find(group: string, kind: string, namespace: string, name: string): ObjectInfo | undefined {
    return this.byKey.get(key(group, kind, namespace, name));
  }

  /**
   * A workload in `namespace` whose pod labels an equality selector (`matchLabels`) and optional
   * LabelSelector `expressions` match. Looks only at the workloads carrying the rarest selected label.
   */
  public findWorkload(namespace: string, matchLabels: Labels, selector?: Record<string, any>): ObjectInfo | undefined {
    return this.candidates(namespace, matchLabels)?.find((w) => matches(w, matchLabels, selector));
  }

  /** Every workload in `namespace` whose pod labels the selector matches (see `findWorkload`), in output order. */
  public findWorkloads(namespace: string, matchLabels: Labels, selector?: Record<string, any>): ObjectInfo[] {
    return this.candidates(namespace, matchLabels)?.filter((w) => matches(w, matchLabels, selector)) ?? [];
  }

  /** The workloads of `namespace` carrying the rarest of the selected labels. */
  private candidates(namespace: string, matchLabels: Labels): ObjectInfo[] | undefined {
    let candidates = this.workloadsByNamespace.get(namespace);
    for (const k in matchLabels) {
      const list = this.workloadsByLabel.get(labelKey(namespace, k, matchLabels[k]));
      if (!list) return undefined;
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    return candidates;
  }

  /** Whether some binding of the app grants the ServiceAccount `namespace/name` a role. */
  public isGranted(namespace: string, name: string): boolean {
    return this.granted.has(`${namespace}/${name}`) || this.granted.has(`${namespace}/*`) || this.granted.has('*');
  }

  private indexCrdScope(json: Record<string, any>): void {
    if (json.spec?.scope === 'Cluster' && typeof json.spec?.group === 'string' && typeof json.spec?.names?.kind === 'string') {
      this.clusterScopedCustom.add(`${json.spec.group}|${json.spec.names.kind}`);
    }
  }

  private indexObject(o: ObjectInfo): void {
    if (o.name) {
      const k = key(o.group, o.kind, o.namespace, o.name);
      const first = this.byKey.get(k);
      if (first) this.duplicates.push({ object: o, first });
      else this.byKey.set(k, o);
    }
    const gk = `${o.group}/${o.kind}`;
    if (o.template) this.indexWorkload(o);
    else if (gk === CRD && o.apiVersion === 'apiextensions.k8s.io/v1') this.indexCrd(o);
    else if (gk === '/Namespace' && o.name) this.namespaces.set(o.name, o);
    else if (gk === 'rbac.authorization.k8s.io/RoleBinding' || gk === 'rbac.authorization.k8s.io/ClusterRoleBinding') this.indexGrants(o);
  }

  private indexWorkload(o: ObjectInfo): void {
    this.workloads.push(o);
    push(this.workloadsByNamespace, o.namespace, o);
    const labels = o.template!.labels;
    for (const k in labels) push(this.workloadsByLabel, labelKey(o.namespace, k, labels[k]), o);
  }

  private indexCrd(o: ObjectInfo): void {
    const spec = obj(o.json.spec);
    const group = str(spec?.group);
    const kind = str(spec?.names?.kind);
    if (!group || !kind) return;
    this.crdByKind.set(`${group}|${kind}`, o);
    for (const v of arr(spec?.versions)) {
      if (!str(v?.name)) continue;
      this.customKinds.set(`${group}/${v.name}|${kind}`, { crd: o, served: v.served !== false, schema: obj(v.schema?.openAPIV3Schema) });
    }
  }

  private indexGrants(o: ObjectInfo): void {
    for (const s of arr(o.json.subjects)) {
      const name = str(s?.name);
      if (!name) continue;
      if (s.kind === 'ServiceAccount') {
        this.granted.add(`${str(s.namespace) ?? o.namespace}/${name}`);
      } else if (s.kind === 'Group' && name === 'system:serviceaccounts') {
        this.granted.add('*');
      } else if (s.kind === 'Group' && name.startsWith('system:serviceaccounts:')) {
        this.granted.add(`${name.slice('system:serviceaccounts:'.length)}/*`);
      } else if (s.kind === 'User' && name.startsWith('system:serviceaccount:')) {
        this.granted.add(name.slice('system:serviceaccount:'.length).replace(':', '/'));
      }
    }
  }
}

/** The namespace of a namespaced object without `metadata.namespace`: its chart's, else `default`. */
function chartNamespace(o: ApiObject, cache: Map<IConstruct | undefined, string>): string {
  const scope = o.node.scope;
  let ns = cache.get(scope);
  if (ns === undefined) {
    ns = Chart.of(o).namespace ?? 'default';
    cache.set(scope, ns);
  }
  return ns;
}

function key(group: string, kind: string, namespace: string, name: string): string {
  return `${group}\u0000${kind}\u0000${namespace}\u0000${name}`;
}

function labelKey(namespace: string, k: string, v: string): string {
  return `${namespace}\u0000${k}\u0000${v}`;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
