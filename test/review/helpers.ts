import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { ReleaseReview, ReviewReport } from '../../lib';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary folder of YAML: one file `app.k8s.yaml` of `objects`, or `{ file: objects }`. */
export function folder(objects: object[] | Record<string, object[]>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
  made.push(dir);
  const files = Array.isArray(objects) ? { 'app.k8s.yaml': objects } : objects;
  for (const [file, objs] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), objs.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  }
  return dir;
}

export function review(
  before: object[] | Record<string, object[]>,
  after: object[] | Record<string, object[]>,
  acknowledgements: string[] = [],
): ReviewReport {
  return ReleaseReview.diffFolders(folder(before), folder(after), { acknowledgements });
}

/** The ids of the rules that fired (sorted, deduplicated). */
export function rulesOf(report: ReviewReport): string[] {
  return [...new Set(report.changes.flatMap((c) => c.findings.map((f) => f.rule)))].sort();
}

export const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));

/** Deep-merges `patch` into a copy of `base` (arrays replaced). */
export function patch<T extends object>(base: T, p: object): T {
  const merge = (a: any, b: any): any => {
    if (b === undefined) return a;
    if (b === null) return undefined;
    if (typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b) || a === null) return clone(b);
    const out: any = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const m = merge(a[k], v);
      if (m === undefined) delete out[k];
      else out[k] = m;
    }
    return out;
  };
  return merge(clone(base), p);
}

const pod = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: 'main', image: `${app}:1.0`, ports: [{ name: 'http', containerPort: 8080 }] }] },
});

export function statefulSet(name = 'db', extra: object = {}): any {
  return patch(
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: 'shop' },
      spec: {
        replicas: 3,
        serviceName: name,
        selector: { matchLabels: { app: name } },
        template: pod(name),
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
        ],
      },
    },
    extra,
  );
}

export function deployment(name = 'web', extra: object = {}): any {
  return patch(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: pod(name) },
    },
    extra,
  );
}

export function daemonSet(name = 'agent', extra: object = {}): any {
  return patch(
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'shop' },
      spec: { selector: { matchLabels: { app: name } }, template: pod(name) },
    },
    extra,
  );
}

export function job(name = 'migrate', extra: object = {}): any {
  return patch(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'shop' },
      spec: { template: patch(pod(name), { spec: { restartPolicy: 'Never' } }) },
    },
    extra,
  );
}

export function service(name = 'web', extra: object = {}): any {
  return patch(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'shop' },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    extra,
  );
}

export function pvc(name = 'uploads', extra: object = {}): any {
  return patch(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'shop' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    },
    extra,
  );
}

export function role(
  name = 'reader',
  rules: object[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
  kind = 'Role',
): any {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: kind === 'Role' ? { name, namespace: 'shop' } : { name }, rules };
}

export function roleBinding(
  name = 'reader',
  roleName = 'reader',
  subjects: object[] = [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
): any {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
    subjects,
  };
}

export function crd(extra: object = {}): any {
  return patch(
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    },
    extra,
  );
}

export function namespace(name = 'shop', enforce?: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(enforce ? { labels: { 'pod-security.kubernetes.io/enforce': enforce } } : {}) },
  };
}
