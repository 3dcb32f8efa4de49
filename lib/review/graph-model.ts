// The topology of synthesized objects: per chart (file), workloads with the Services and budgets that select
// them, their autoscalers, claims, ServiceAccounts and RBAC grants, the ConfigMaps and Secrets they use,
// admission webhooks, custom resources and the synth-time initializers that changed their pods.
import { configReferencesOf } from '../pod/config-references';
import { POD_SECURITY_ANNOTATION } from '../pod/security';
import { isEmptySelector, selectorMatches } from '../validation/selectors';
import { Entry, KubeObject, groupKind, isWorkload, podTemplateOf } from './identity';

export type Category = 'workload' | 'service' | 'config' | 'storage' | 'rbac' | 'policy' | 'admission' | 'initializer' | 'other';

/** Fill and stroke of each category, the same in every picture (SVG, DOT, Mermaid). */
export const CATEGORY_COLORS: Record<Category, [fill: string, stroke: string]> = {
  workload: ['#dbeafe', '#1d4ed8'],
  service: ['#dcfce7', '#15803d'],
  config: ['#fef9c3', '#a16207'],
  storage: ['#ede9fe', '#6d28d9'],
  rbac: ['#fee2e2', '#b91c1c'],
  policy: ['#e0f2fe', '#0369a1'],
  admission: ['#fae8ff', '#a21caf'],
  initializer: ['#ffedd5', '#c2410c'],
  other: ['#f1f5f9', '#475569'],
};

export interface GNode {
  /** Stable key: the object key, or a synthetic one for claim templates, initializers and external objects. */
  readonly key: string;
  readonly file: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly category: Category;
  /** Lines of the label: kind, name, then details. */
  readonly lines: string[];
  /** Referenced but not in the tree. */
  readonly external: boolean;
}

export interface GEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

export interface GModel {
  readonly files: string[];
  readonly nodes: GNode[];
  readonly edges: GEdge[];
}

const INITIALIZERS_APPLIED = 'initializers.cdk8s-patterns.io/applied';

function categoryOf(o: KubeObject): Category {
  const gk = groupKind(o);
  if (isWorkload(o)) return 'workload';
  if (gk === 'Service' || gk === 'networking.k8s.io/Ingress' || gk === 'networking.k8s.io/NetworkPolicy') return 'service';
  if (gk === 'ConfigMap' || gk === 'Secret') return 'config';
  if (gk === 'PersistentVolumeClaim' || gk === 'PersistentVolume' || gk === 'storage.k8s.io/StorageClass') return 'storage';
  if (gk.startsWith('rbac.authorization.k8s.io/') || gk === 'ServiceAccount') return 'rbac';
  if (gk === 'policy/PodDisruptionBudget' || gk.startsWith('autoscaling/') || gk === 'Namespace') return 'policy';
  if (gk.startsWith('admissionregistration.k8s.io/') || gk === 'apiextensions.k8s.io/CustomResourceDefinition') return 'admission';
  return 'other';
}

/** Whether a selector draws an edge to pods with `labels`; an empty one draws none (it would join everything). */
function selects(sel: any, labels: Record<string, string>): boolean {
  return !!sel && typeof sel === 'object' && !isEmptySelector(sel) && selectorMatches(sel, labels);
}

function details(o: KubeObject): string[] {
  const gk = groupKind(o);
  const out: string[] = [];
  if (isWorkload(o)) {
    if (typeof o.spec?.replicas === 'number') out.push(`replicas ${o.spec.replicas}`);
    if (gk === 'batch/CronJob' && o.spec?.schedule) out.push(`schedule ${o.spec.schedule}`);
    const level = podTemplateOf(o)?.metadata?.annotations?.[POD_SECURITY_ANNOTATION];
    if (level) out.push(`pod security: ${level}`);
  } else if (gk === 'Service') {
    const ports = ((o.spec?.ports ?? []) as any[]).map((p) => p.port).join(',');
    const type = o.spec?.clusterIP === 'None' ? 'headless' : (o.spec?.type ?? 'ClusterIP');
    out.push(ports ? `${type} :${ports}` : type);
  } else if (gk === 'PersistentVolumeClaim') {
    const s = o.spec?.resources?.requests?.storage;
    if (s) out.push(String(s));
  } else if (gk === 'rbac.authorization.k8s.io/Role' || gk === 'rbac.authorization.k8s.io/ClusterRole') {
    const rules: any[] = o.rules ?? [];
    for (const r of rules.slice(0, 3)) {
      const what = r.nonResourceURLs ?? r.resources ?? [];
      out.push(`${(r.verbs ?? []).join(',')} ${what.join(',')}`.slice(0, 48));
    }
    if (rules.length > 3) out.push(`+${rules.length - 3} more rules`);
  } else if (gk === 'policy/PodDisruptionBudget') {
    if (o.spec?.minAvailable !== undefined) out.push(`minAvailable ${o.spec.minAvailable}`);
    if (o.spec?.maxUnavailable !== undefined) out.push(`maxUnavailable ${o.spec.maxUnavailable}`);
  } else if (gk === 'Namespace') {
    const enforce = o.metadata.labels?.['pod-security.kubernetes.io/enforce'];
    if (enforce) out.push(`enforce ${enforce}`);
  }
  return out;
}

export function buildGraph(entries: Entry[]): GModel {
  const nodes = new Map<string, GNode>();
  const edges = new Map<string, GEdge>();
  const files = [...new Set(entries.map((e) => e.file))].sort();
  const byKey = new Map<string, Entry>();
  for (const e of entries) {
    byKey.set(e.key, e);
    nodes.set(e.key, {
      key: e.key,
      file: e.file,
      kind: e.obj.kind,
      namespace: e.obj.metadata.namespace ?? '',
      name: e.obj.metadata.name,
      category: categoryOf(e.obj),
      lines: [e.obj.kind, e.obj.metadata.name, ...details(e.obj)],
      external: false,
    });
  }
  const edge = (from: string, to: string, label: string) => {
    const k = `${from}->${to}`;
    const prev = edges.get(k);
    if (!prev) edges.set(k, { from, to, label });
    else if (!prev.label.split(', ').includes(label)) edges.set(k, { from, to, label: `${prev.label}, ${label}` });
  };
  /** The node of a referenced object: in the tree (same namespace), else an external node in `file`. */
  const ref = (file: string, gk: string, kind: string, namespace: string, name: string, category: Category): string => {
    const key = `${gk}|${namespace}|${name}`;
    if (byKey.has(key)) return key;
    if (namespace !== '' && byKey.has(`${gk}||${name}`)) return `${gk}||${name}`;
    if (namespace === '') {
      const any = entries.find((e) => groupKind(e.obj) === gk && e.obj.metadata.name === name);
      if (any) return any.key;
    }
    const ext = `external|${file}|${key}`;
    if (!nodes.has(ext))
      nodes.set(ext, { key: ext, file, kind, namespace, name, category, lines: [kind, name, '(not in this tree)'], external: true });
    return ext;
  };

  const workloads = entries.filter((e) => isWorkload(e.obj));
  const podLabels = new Map(workloads.map((w) => [w, (podTemplateOf(w.obj)?.metadata?.labels ?? {}) as Record<string, string>]));
  const sameNs = (a: Entry, b: Entry) => (a.obj.metadata.namespace ?? '') === (b.obj.metadata.namespace ?? '');
  const crds = new Map<string, Entry>();
  for (const e of entries) {
    if (groupKind(e.obj) === 'apiextensions.k8s.io/CustomResourceDefinition')
      crds.set(`${e.obj.spec?.group}/${e.obj.spec?.names?.kind}`, e);
  }

  for (const e of entries) {
    const o = e.obj;
    const gk = groupKind(o);
    const ns = o.metadata.namespace ?? '';
    if (gk === 'Service' && o.spec?.selector && Object.keys(o.spec.selector).length > 0) {
      for (const w of workloads)
        if (sameNs(e, w) && selects({ matchLabels: o.spec.selector }, podLabels.get(w)!)) edge(e.key, w.key, 'selects');
    }
    if (gk === 'networking.k8s.io/NetworkPolicy') {
      for (const w of workloads) if (sameNs(e, w) && selects(o.spec?.podSelector ?? {}, podLabels.get(w)!)) edge(e.key, w.key, 'guards');
    }
    if (gk === 'policy/PodDisruptionBudget') {
      for (const w of workloads) if (sameNs(e, w) && selects(o.spec?.selector, podLabels.get(w)!)) edge(e.key, w.key, 'budget');
    }
    if (gk.startsWith('autoscaling/') && o.spec?.scaleTargetRef?.name) {
      const t = o.spec.scaleTargetRef;
      const tgk = t.apiVersion && t.apiVersion.includes('/') ? `${t.apiVersion.split('/')[0]}/${t.kind}` : `apps/${t.kind}`;
      edge(e.key, ref(e.file, tgk, t.kind, ns, t.name, 'workload'), 'scales');
    }
    if (gk === 'rbac.authorization.k8s.io/RoleBinding' || gk === 'rbac.authorization.k8s.io/ClusterRoleBinding') {
      const rr = o.roleRef ?? {};
      const rgk = `rbac.authorization.k8s.io/${rr.kind}`;
      edge(e.key, ref(e.file, rgk, rr.kind, rr.kind === 'Role' ? ns : '', rr.name, 'rbac'), 'grants');
      for (const s of (o.subjects ?? []) as any[]) {
        if (s.kind === 'ServiceAccount')
          edge(e.key, ref(e.file, 'ServiceAccount', 'ServiceAccount', s.namespace ?? ns, s.name, 'rbac'), 'to');
        else edge(e.key, ref(e.file, `subject/${s.kind}`, s.kind, '', s.name, 'rbac'), 'to');
      }
    }
    if (gk.startsWith('admissionregistration.k8s.io/')) {
      for (const w of (o.webhooks ?? []) as any[]) {
        const svc = w.clientConfig?.service;
        const what = [...new Set(((w.rules ?? []) as any[]).flatMap((r) => r.resources ?? []))].join(',');
        if (svc?.name)
          edge(e.key, ref(e.file, 'Service', 'Service', svc.namespace ?? '', svc.name, 'service'), what ? `calls on ${what}` : 'calls');
      }
    }
    const crd = crds.get(`${o.apiVersion.split('/')[0]}/${o.kind}`);
    if (crd && o.apiVersion.includes('/')) edge(e.key, crd.key, 'instance of');

    const tpl = podTemplateOf(o);
    if (!tpl || !isWorkload(o)) continue;
    const spec = tpl.spec ?? {};
    const sa = spec.serviceAccountName ?? spec.serviceAccount;
    if (sa && sa !== 'default') edge(e.key, ref(e.file, 'ServiceAccount', 'ServiceAccount', ns, sa, 'rbac'), 'runs as');
    for (const r of configReferencesOf(spec)) edge(e.key, ref(e.file, r.kind, r.kind, ns, r.name, 'config'), r.use);
    for (const v of (spec.volumes ?? []) as any[]) {
      if (v.persistentVolumeClaim?.claimName)
        edge(
          e.key,
          ref(e.file, 'PersistentVolumeClaim', 'PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName, 'storage'),
          'mounts',
        );
    }
    for (const t of (o.spec?.volumeClaimTemplates ?? []) as any[]) {
      const name = t?.metadata?.name;
      if (!name) continue;
      const key = `claim-template|${e.key}|${name}`;
      const size = t.spec?.resources?.requests?.storage;
      nodes.set(key, {
        key,
        file: e.file,
        kind: 'claim template',
        namespace: ns,
        name,
        category: 'storage',
        lines: ['claim template', `${name}-${o.metadata.name}-N`, ...(size ? [String(size)] : [])],
        external: false,
      });
      edge(e.key, key, 'claims');
    }
    const applied = tpl.metadata?.annotations?.[INITIALIZERS_APPLIED];
    if (typeof applied === 'string') {
      for (const name of applied
        .split(',')
        .map((s: string) => s.trim())
        .filter(Boolean)) {
        const key = `initializer|${e.file}|${name}`;
        const short = name.split('.')[0];
        if (!nodes.has(key))
          nodes.set(key, {
            key,
            file: e.file,
            kind: 'initializer',
            namespace: '',
            name,
            category: 'initializer',
            lines: ['synth-time initializer', short],
            external: false,
          });
        edge(key, e.key, 'injected into');
      }
    }
  }
  const sortedNodes = [...nodes.values()].sort((a, b) =>
    a.file === b.file ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.file < b.file ? -1 : 1,
  );
  const sortedEdges = [...edges.values()].sort((a, b) => (a.from === b.from ? (a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
  return { files, nodes: sortedNodes, edges: sortedEdges };
}
