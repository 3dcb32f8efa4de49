/**
 * Mutants of a manifest for the mutation test: each is the manifest with one fault the Kubernetes 1.27
 * API server rejects (int32 overflow, out-of-enum value, wrong type, unknown field, missing required
 * field, each server-side rule of `api-server`, removed API versions, misspelled kinds, bad names and
 * labels). Built from the type table, so every field of every kind the corpus uses is covered.
 */
import { NONNEGATIVE } from '../../lib/validation/rules/api-server';
import {
  ARRAY,
  CONST,
  ENUM,
  INT32,
  INT64,
  INTEGER,
  MAP,
  OBJECT,
  ObjType,
  STRING,
  TypeNode,
  lookupKind,
} from '../../lib/validation/schema/table';

export interface Mutant {
  /** The kind of fault (`int32-overflow`, `out-of-enum`...). */
  readonly category: string;
  /** Where, for messages. */
  readonly where: string;
  readonly json: any;
}

type Path = Array<string | number>;

const clone = (x: any): any => JSON.parse(JSON.stringify(x));

function setAt(root: any, path: Path, value: unknown): any {
  const out = clone(root);
  let node = out;
  for (const k of path.slice(0, -1)) node = node[k];
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return out;
}

function getAt(root: any, path: Path): any {
  let node = root;
  for (const k of path) node = node?.[k];
  return node;
}

/** Generic mutants from the type table: one per present field of each mutable type. */
function tableMutants(json: any, out: Mutant[]): void {
  const t = lookupKind(json.apiVersion, json.kind, '1.27');
  if (!t) return;
  const add = (category: string, path: Path, value: unknown) =>
    out.push({ category, where: path.join('.'), json: setAt(json, path, value) });
  const walkObject = (v: any, type: ObjType, path: Path, top: boolean): void => {
    add('unknown-field', [...path, 'bogusField'], 'x');
    for (const r of type.required) if (v[r] !== undefined) add('missing-required', [...path, r], undefined);
    for (const key of Object.keys(v)) {
      const f = type.fields[key];
      if (!f || (top && (key === 'apiVersion' || key === 'kind'))) continue;
      walkNode(v[key], f, [...path, key]);
    }
  };
  const walkNode = (v: any, n: TypeNode, path: Path): void => {
    if (v === null || v === undefined) return;
    switch (n.k) {
      case OBJECT:
        if (typeof v === 'object' && !Array.isArray(v)) walkObject(v, n.t!, path, false);
        add('wrong-type', path, typeof v === 'object' && !Array.isArray(v) ? 'not-an-object' : { not: 'this type' });
        return;
      case INT32:
        add('int32-overflow', path, 2 ** 31);
        add('wrong-type', path, 'not-a-number');
        return;
      case INT64:
      case INTEGER:
        add('wrong-type', path, 'not-a-number');
        return;
      case ENUM:
        add('out-of-enum', path, 'NotAValue');
        return;
      case STRING:
      case CONST:
        add('wrong-type', path, 12345);
        return;
      case ARRAY:
        if (Array.isArray(v) && v.length > 0) walkNode(v[0], n.e!, [...path, 0]);
        add('wrong-type', path, 'not-an-array');
        return;
      case MAP: {
        const keys = typeof v === 'object' && v ? Object.keys(v) : [];
        if (keys.length > 0) walkNode(v[keys[0]], n.e!, [...path, keys[0]]);
        add('wrong-type', path, ['not-a-map']);
        return;
      }
      default:
        return;
    }
  };
  walkObject(json, t, [], true);
}

/** Where a kind keeps its pod spec. */
const POD_SPEC: Record<string, Path> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Removed API versions a kind can be moved to (the lifecycle mutants). */
const REMOVED_VERSION: Record<string, string> = {
  Deployment: 'extensions/v1beta1',
  DaemonSet: 'apps/v1beta2',
  StatefulSet: 'apps/v1beta1',
  ReplicaSet: 'extensions/v1beta1',
  Ingress: 'networking.k8s.io/v1beta1',
  CronJob: 'batch/v1beta1',
  PodDisruptionBudget: 'policy/v1beta1',
  HorizontalPodAutoscaler: 'autoscaling/v2beta2',
  Role: 'rbac.authorization.k8s.io/v1beta1',
  ClusterRole: 'rbac.authorization.k8s.io/v1beta1',
  RoleBinding: 'rbac.authorization.k8s.io/v1beta1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1beta1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1beta1',
  PriorityClass: 'scheduling.k8s.io/v1beta1',
  StorageClass: 'storage.k8s.io/v1beta1',
  NetworkPolicy: 'extensions/v1beta1',
};

/** Mutants of the server-side rules, the API lifecycle, names and labels, where the manifest has the field. */
function ruleMutants(json: any, out: Mutant[]): void {
  const add = (category: string, where: string, mutate: (j: any) => void) => {
    const j = clone(json);
    mutate(j);
    out.push({ category, where, json: j });
  };
  const builtIn = lookupKind(json.apiVersion, json.kind, '1.27') !== undefined;
  if (!builtIn) return;
  // two letters swapped (or, where they are the same, one doubled): "Deploymnet"
  const swapped = `${json.kind.slice(0, -2)}${json.kind.slice(-1)}${json.kind.slice(-2, -1)}`;
  add('kind-typo', 'kind', (j) => (j.kind = swapped !== json.kind ? swapped : `${json.kind}${json.kind.slice(-1)}`));
  if (REMOVED_VERSION[json.kind]) add('removed-api', 'apiVersion', (j) => (j.apiVersion = REMOVED_VERSION[json.kind]));
  // RBAC names are path segments (ValidateRBACName): '_' and capitals are fine there, '/' is not
  const rbac = json.apiVersion.startsWith('rbac.authorization.k8s.io/');
  add('name', 'metadata.name', (j) => (j.metadata.name = rbac ? 'bad/name' : 'Bad_Name'));
  add('labels', 'metadata.labels', (j) => (j.metadata.labels = { ...j.metadata.labels, app: 'not a label value!' }));
  add('annotations-size', 'metadata.annotations', (j) => (j.metadata.annotations = { big: 'x'.repeat(256 * 1024 + 1) }));
  const podPath = POD_SPEC[json.kind];
  const pod = podPath ? getAt(json, podPath) : undefined;
  if (pod) {
    const at = (j: any) => getAt(j, podPath);
    const c0 = (j: any) => at(j).containers[0];
    add('hostname', `${podPath.join('.')}.hostname`, (j) => (at(j).hostname = 'h'.repeat(64)));
    add(
      'run-as-user',
      'containers[0].securityContext.runAsUser',
      (j) => (c0(j).securityContext = { ...c0(j).securityContext, runAsUser: -1 }),
    );
    add('fs-group', 'securityContext.fsGroup', (j) => (at(j).securityContext = { ...at(j).securityContext, fsGroup: -1 }));
    add('limit-below-request', 'containers[0].resources', (j) => (c0(j).resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }));
    add('container-port', 'containers[0].ports', (j) => (c0(j).ports = [{ containerPort: 70000 }]));
    add('bad-quantity', 'containers[0].resources', (j) => (c0(j).resources = { requests: { memory: '1 GB' } }));
    if (pod.containers?.[0]?.volumeMounts?.length) {
      add('duplicate-mount-path', 'volumeMounts', (j) => c0(j).volumeMounts.push({ ...c0(j).volumeMounts[0] }));
      add('sub-path', 'volumeMounts[0].subPath', (j) => (c0(j).volumeMounts[0].subPath = '../etc'));
    }
    const vi = (pod.volumes ?? []).findIndex((v: any) => v.secret || v.configMap || v.projected || v.downwardAPI);
    if (vi >= 0) {
      add('default-mode', `volumes[${vi}].defaultMode`, (j) => {
        const v = at(j).volumes[vi];
        (v.secret ?? v.configMap ?? v.projected ?? v.downwardAPI).defaultMode = 0o1000;
      });
    }
    add('restart-policy', 'restartPolicy', (j) => (at(j).restartPolicy = 'Sometimes'));
  }
  const gk = json.apiVersion.includes('/') ? `${json.apiVersion.split('/')[0]}/${json.kind}` : json.kind;
  for (const p of NONNEGATIVE[gk] ?? []) {
    const path = p.split('.');
    if (typeof getAt(json, path) === 'number') add('negative', p, (j) => (getAt(j, path.slice(0, -1))[path[path.length - 1]] = -1));
  }
  if (pod) {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (!pod.containers?.[0]?.[probe]) continue;
      add('probe', `containers[0].${probe}.periodSeconds`, (j) => (getAt(j, podPath!).containers[0][probe].periodSeconds = -1));
      if (probe !== 'readinessProbe')
        add('probe', `containers[0].${probe}.successThreshold`, (j) => (getAt(j, podPath!).containers[0][probe].successThreshold = 2));
    }
  }
  if (json.kind === 'HorizontalPodAutoscaler') {
    add('hpa-replicas', 'spec.minReplicas', (j) => (j.spec.minReplicas = 0));
    add('hpa-replicas', 'spec.maxReplicas', (j) => Object.assign(j.spec, { minReplicas: 5, maxReplicas: 2 }));
  }
  if (json.kind === 'PodDisruptionBudget')
    add('pdb-both', 'spec', (j) =>
      Object.assign(j.spec, { minAvailable: j.spec.minAvailable ?? 1, maxUnavailable: j.spec.maxUnavailable ?? 1 }),
    );
  if (json.kind === 'Service' && json.spec?.ports?.length) {
    add('node-port', 'spec.ports[0].nodePort', (j) => (j.spec.ports[0].nodePort = 99999));
    add('port', 'spec.ports[0].port', (j) => (j.spec.ports[0].port = 70000));
  }
  if (json.kind === 'PersistentVolumeClaim') add('access-modes', 'spec.accessModes', (j) => (j.spec.accessModes = []));
  if (json.kind === 'StatefulSet' && json.spec?.volumeClaimTemplates?.length)
    add('access-modes', 'spec.volumeClaimTemplates[0].spec.accessModes', (j) => (j.spec.volumeClaimTemplates[0].spec.accessModes = []));
  if (json.kind === 'Job')
    add('indexed-parallelism', 'spec.parallelism', (j) =>
      Object.assign(j.spec, { completionMode: 'Indexed', completions: 200000, parallelism: 100001 }),
    );
  if ((json.kind === 'RoleBinding' || json.kind === 'ClusterRoleBinding') && json.subjects?.length)
    add('subject-name', 'subjects[0].name', (j) => (j.subjects[0].name = ''));
  if (json.kind === 'CustomResourceDefinition')
    add('crd-pattern', 'openAPIV3Schema.pattern', (j) => (j.spec.versions[0].schema.openAPIV3Schema.pattern = '('));
}

/** Every mutant of a manifest. */
export function mutantsOf(json: any): Mutant[] {
  const out: Mutant[] = [];
  tableMutants(json, out);
  ruleMutants(json, out);
  return out;
}
