import { nameViolation, NameRule, portNumberViolation } from '../../core/names';
import { quantityValue } from '../../core/quantity';
import type { ObjectInfo } from '../context';
import { RuleInput } from '../findings';
import { arr, at, obj, str } from '../json-path';
import { containersOf } from '../pod-templates';
import { ValidationRule } from '../rule';

/**
 * What the Kubernetes 1.27 API server's own validation (`pkg/apis/<group>/validation` of
 * kubernetes release-1.27) rejects in fields the schema accepts. Each check names the Go function it
 * reproduces:
 *
 * - `ValidateObjectMeta` → `ValidateAnnotationsSize` (apimachinery `pkg/api/validation/objectmeta.go`):
 *   annotation keys and values together at most 256 KiB (`TotalAnnotationSizeLimitB`).
 * - `ValidatePodSpec` (core): `hostname` and `subdomain` are DNS-1123 labels (≤ 63 characters);
 *   `validatePodSecurityContext` / `ValidateSecurityContext`: `runAsUser`, `runAsGroup`, `fsGroup`,
 *   `supplementalGroups` are valid user/group ids (`IsValidUserID`/`IsValidGroupID`: 0…2147483647);
 *   `ValidateVolumes`: `defaultMode` and `items[].mode` of secret, configMap, projected and
 *   downwardAPI volumes between 0 and 0777; `ValidateVolumeMounts`: mountPath unique per container,
 *   `subPath` a relative path without `..` (`validateLocalDescendingPath`); `validateContainerPorts`:
 *   containerPort 1…65535, hostPort 0…65535 (`IsValidPortNum`); `ValidateResourceRequirements`:
 *   a limit is not below its request, quantities are not negative.
 * - `ValidateService` (core): ports 1…65535, nodePort 0…65535, an integer targetPort 1…65535.
 * - `ValidatePersistentVolumeClaimSpec` (core): at least one access mode, a `storage` request.
 * - `ValidateJobSpec` (batch): with `completionMode: Indexed`, `completions` is set and neither it nor
 *   `parallelism` exceeds 100,000 (`maxParallelismForIndexedJob`).
 * - `ValidateRoleBindingSubject` (rbac): every subject has a name.
 * - `ValidateNonnegativeField` over replicas, minReadySeconds, revisionHistoryLimit... of the apps and
 *   batch kinds (`NONNEGATIVE`); `validateProbe`: probe timings >= 0, successThreshold 1 for liveness
 *   and startup probes; `ValidateHorizontalPodAutoscalerSpec`: minReplicas >= 1, maxReplicas >=
 *   minReplicas; `ValidatePodDisruptionBudgetSpec` (policy): not both minAvailable and maxUnavailable.
 * - `ValidateCustomResourceDefinitionOpenAPISchema` (apiextensions): every `pattern` compiles as a
 *   regular expression (Go RE2: no lookaround, no back-references).
 */
export function checkApiServer({ ctx, report }: RuleInput): void {
  for (const o of ctx.objects) {
    const at_ = (field: string, message: string, hint?: string) =>
      report(o, ValidationRule.API_SERVER, field, message, hint ?? hintFor(message));
    checkAnnotationsSize(o.json.metadata, 'metadata', at_);
    const t = o.template;
    if (t) {
      checkAnnotationsSize(o.json.spec?.template?.metadata, t.metaPath, at_);
      checkPodSpec(t.spec, t.specPath, at_);
      for (const { c, path } of containersOf(t)) checkContainer(c, path, at_);
    }
    const gk = o.group === '' ? o.kind : `${o.group}/${o.kind}`;
    const nonnegative = NONNEGATIVE[gk];
    if (nonnegative) checkNonnegative(o.json, nonnegative, at_);
    switch (gk) {
      case 'Service':
        checkService(o, at_);
        break;
      case 'PersistentVolumeClaim':
        checkClaimSpec(obj(o.json.spec), 'spec', at_);
        break;
      case 'apps/StatefulSet':
        arr(o.json.spec?.volumeClaimTemplates).forEach((c, i) => checkClaimSpec(obj(c?.spec), `spec.volumeClaimTemplates[${i}].spec`, at_));
        break;
      case 'batch/Job':
        checkJobSpec(obj(o.json.spec), 'spec', at_);
        break;
      case 'autoscaling/HorizontalPodAutoscaler':
        checkAutoscaler(obj(o.json.spec), at_);
        break;
      case 'policy/PodDisruptionBudget':
        if (o.json.spec?.minAvailable !== undefined && o.json.spec?.maxUnavailable !== undefined)
          at_('spec.maxUnavailable', 'minAvailable and maxUnavailable cannot both be set', 'keep one of them');
        break;
      case 'batch/CronJob':
        checkJobSpec(obj(o.json.spec?.jobTemplate?.spec), 'spec.jobTemplate.spec', at_);
        break;
      case 'rbac.authorization.k8s.io/RoleBinding':
      case 'rbac.authorization.k8s.io/ClusterRoleBinding':
        arr(o.json.subjects).forEach((s, i) => {
          if (obj(s) && !str(s.name))
            at_(`subjects[${i}].name`, 'is required: a subject without a name matches nobody', 'name the user, group or ServiceAccount');
        });
        break;
      case 'apiextensions.k8s.io/CustomResourceDefinition':
        arr(o.json.spec?.versions).forEach((v, i) =>
          checkPatterns(v?.schema?.openAPIV3Schema, `spec.versions[${i}].schema.openAPIV3Schema`, at_),
        );
        break;
    }
  }
}

type At = (field: string, message: string, hint?: string) => void;

/** The fix of a problem reported without a hint of its own, from its message. */
function hintFor(message: string): string {
  if (message.includes('greater than or equal to 0')) return 'use 0 or more';
  if (message.includes('must be 1 for a')) return 'set it to 1, or leave it out';
  if (message.includes('not a valid port number')) return 'use a port from 1 to 65535';
  if (message.includes('not a valid group id')) return 'use a gid from 0 to 2147483647';
  if (message.includes('mount paths must be unique')) return 'mount it at another path';
  if (message.includes('relative path inside the volume')) return 'name a path inside the volume, e.g. "conf"';
  if (message.includes('not a DNS-1123 label')) return 'shorten it to 63 characters, lower case';
  if (message.includes('is required when completionMode is Indexed')) return 'set completions (the number of indexes)';
  if (message.includes('the most an Indexed Job allows')) return 'split the work into several Jobs';
  if (message.includes('not a valid regular expression')) return 'fix the pattern (Go RE2 syntax)';
  if (message.includes('must not be negative')) return 'use a positive quantity';
  if (message.includes('greater than or equal to')) return 'raise it';
  return 'see docs/RULES.md (api-server)';
}

/**
 * Integer fields the API server requires to be >= 0 (`ValidateNonnegativeField`), by kind, as paths
 * from the object root: ValidateDeploymentSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec,
 * ValidateReplicaSetSpec (apps), ValidateJobSpec, ValidateCronJobSpec (batch).
 */
export const NONNEGATIVE: Record<string, readonly string[]> = {
  'apps/Deployment': ['spec.replicas', 'spec.minReadySeconds', 'spec.revisionHistoryLimit', 'spec.progressDeadlineSeconds'],
  'apps/StatefulSet': ['spec.replicas', 'spec.minReadySeconds', 'spec.revisionHistoryLimit', 'spec.ordinals.start'],
  'apps/DaemonSet': ['spec.minReadySeconds', 'spec.revisionHistoryLimit'],
  'apps/ReplicaSet': ['spec.replicas', 'spec.minReadySeconds'],
  ReplicationController: ['spec.replicas', 'spec.minReadySeconds'],
  'batch/Job': ['spec.parallelism', 'spec.completions', 'spec.activeDeadlineSeconds', 'spec.backoffLimit', 'spec.ttlSecondsAfterFinished'],
  'batch/CronJob': [
    'spec.startingDeadlineSeconds',
    'spec.successfulJobsHistoryLimit',
    'spec.failedJobsHistoryLimit',
    'spec.jobTemplate.spec.parallelism',
    'spec.jobTemplate.spec.completions',
    'spec.jobTemplate.spec.activeDeadlineSeconds',
    'spec.jobTemplate.spec.backoffLimit',
    'spec.jobTemplate.spec.ttlSecondsAfterFinished',
  ],
};

/** Probe fields that must be >= 0 (`validateProbe`); liveness and startup probes need successThreshold 1 (`validateContainers`). */
const PROBE_FIELDS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];

function checkNonnegative(json: Record<string, any>, paths: readonly string[], report: At): void {
  for (const p of paths) {
    let v: any = json;
    for (const k of p.split('.')) v = v?.[k];
    if (isInt(v) && v < 0) report(p, `must be greater than or equal to 0 (got ${v})`);
  }
}

function checkProbes(c: Record<string, any>, path: string, report: At): void {
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = obj(c[probe]);
    if (!p) continue;
    for (const f of PROBE_FIELDS) {
      if (isInt(p[f]) && p[f] < 0) report(`${path}.${probe}.${f}`, `must be greater than or equal to 0 (got ${p[f]})`);
    }
    if (probe !== 'readinessProbe' && isInt(p.successThreshold) && p.successThreshold !== 1)
      report(`${path}.${probe}.successThreshold`, `must be 1 for a ${probe} (got ${p.successThreshold})`);
  }
}

const ANNOTATIONS_LIMIT = 256 * 1024;

function checkAnnotationsSize(metadata: unknown, path: string, report: At): void {
  const annotations = obj(obj(metadata)?.annotations);
  if (!annotations) return;
  let size = 0;
  for (const k in annotations) size += k.length + (typeof annotations[k] === 'string' ? annotations[k].length : 0);
  if (size > ANNOTATIONS_LIMIT)
    report(
      `${path}.annotations`,
      `annotations total ${size} bytes, more than the API server's limit of 262144 (256 KiB)`,
      'move large data to a ConfigMap',
    );
}

const INT32_MAX = 2 ** 31 - 1;

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function checkPodSpec(spec: Record<string, any>, path: string, report: At): void {
  for (const f of ['hostname', 'subdomain']) {
    const v = spec[f];
    if (typeof v === 'string' && v !== '' && nameViolation(v, NameRule.DNS_LABEL) !== undefined)
      report(
        `${path}.${f}`,
        `"${v.length > 70 ? `${v.slice(0, 60)}…` : v}" is not a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters)`,
      );
  }
  const sc = obj(spec.securityContext);
  if (sc) {
    checkIds(sc, `${path}.securityContext`, ['runAsUser', 'runAsGroup', 'fsGroup'], report);
    arr(sc.supplementalGroups).forEach((g, i) => {
      if (isInt(g) && (g < 0 || g > INT32_MAX))
        report(`${path}.securityContext.supplementalGroups[${i}]`, `${g} is not a valid group id (0 to ${INT32_MAX})`);
    });
  }
  arr(spec.volumes).forEach((v, i) => {
    const vp = `${path}.volumes[${i}]`;
    for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
      const s = obj(v?.[source]);
      if (!s) continue;
      checkMode(s.defaultMode, `${vp}.${source}.defaultMode`, report);
      arr(s.items).forEach((item, j) => checkMode(item?.mode, `${vp}.${source}.items[${j}].mode`, report));
      arr(s.sources).forEach((p, j) => {
        for (const ps of ['secret', 'configMap', 'downwardAPI']) {
          arr(p?.[ps]?.items).forEach((item, k) => checkMode(item?.mode, `${vp}.projected.sources[${j}].${ps}.items[${k}].mode`, report));
        }
      });
    }
  });
}

function checkIds(sc: Record<string, any>, path: string, fields: string[], report: At): void {
  for (const f of fields) {
    const v = sc[f];
    if (isInt(v) && (v < 0 || v > INT32_MAX))
      report(
        `${path}.${f}`,
        `${v} is not a valid ${f === 'runAsUser' ? 'user' : 'group'} id (0 to ${INT32_MAX})`,
        f === 'runAsUser' ? 'use a non-root uid such as 10001' : undefined,
      );
  }
}

function checkMode(mode: unknown, path: string, report: At): void {
  if (isInt(mode) && (mode < 0 || mode > 0o777))
    report(
      path,
      `${mode} (octal ${mode.toString(8)}) is not a file mode between 0 and 0777 (octal)`,
      'write it as an octal literal, e.g. 0o644 (420 in decimal)',
    );
}

function checkPort(v: unknown, path: string, report: At, allowZero: boolean): void {
  const why = isInt(v) ? portNumberViolation(v, allowZero) : undefined;
  if (why) report(path, why);
}

function checkContainer(c: Record<string, any>, path: string, report: At): void {
  const sc = obj(c.securityContext);
  if (sc) checkIds(sc, `${path}.securityContext`, ['runAsUser', 'runAsGroup'], report);
  arr(c.ports).forEach((p, i) => {
    checkPort(p?.containerPort, `${path}.ports[${i}].containerPort`, report, false);
    checkPort(p?.hostPort, `${path}.ports[${i}].hostPort`, report, true);
  });
  const mountPaths = new Map<string, number>();
  arr(c.volumeMounts).forEach((m, i) => {
    const mp = str(m?.mountPath);
    if (mp) {
      const prior = mountPaths.get(mp);
      if (prior !== undefined)
        report(
          `${path}.volumeMounts[${i}].mountPath`,
          `"${mp}" is already the mountPath of volumeMounts[${prior}]: mount paths must be unique`,
        );
      else mountPaths.set(mp, i);
    }
    const sub = str(m?.subPath);
    if (sub && (sub.startsWith('/') || sub.split(/[\\/]/).includes('..')))
      report(`${path}.volumeMounts[${i}].subPath`, `"${sub}" must be a relative path inside the volume, without '..'`);
  });
  checkResources(obj(c.resources), `${path}.resources`, report);
  checkProbes(c, path, report);
}

/** ValidateHorizontalPodAutoscalerSpec (autoscaling): minReplicas >= 1, maxReplicas >= 1 and >= minReplicas. */
function checkAutoscaler(spec: Record<string, any> | undefined, report: At): void {
  if (!spec) return;
  if (isInt(spec.minReplicas) && spec.minReplicas < 1)
    report('spec.minReplicas', `must be greater than or equal to 1 (got ${spec.minReplicas})`);
  if (isInt(spec.maxReplicas) && spec.maxReplicas < 1)
    report('spec.maxReplicas', `must be greater than or equal to 1 (got ${spec.maxReplicas})`);
  else if (isInt(spec.maxReplicas) && isInt(spec.minReplicas) && spec.maxReplicas < spec.minReplicas)
    report('spec.maxReplicas', `must be greater than or equal to minReplicas (${spec.minReplicas}), got ${spec.maxReplicas}`);
}

function checkResources(r: Record<string, any> | undefined, path: string, report: At): void {
  if (!r) return;
  const requests = obj(r.requests) ?? {};
  const limits = obj(r.limits) ?? {};
  for (const [list, values] of [
    ['requests', requests],
    ['limits', limits],
  ] as const) {
    for (const k in values) {
      const v = quantityValue(values[k]);
      if (v !== undefined && v < 0) report(at(`${path}.${list}`, k), `must not be negative (got ${values[k]})`);
    }
  }
  for (const k in limits) {
    const limit = quantityValue(limits[k]);
    const request = quantityValue(requests[k]);
    if (limit !== undefined && request !== undefined && limit < request)
      report(
        at(`${path}.limits`, k),
        `limit ${limits[k]} is below the request ${requests[k]}: the limit must be greater than or equal to the request`,
        'raise the limit or lower the request',
      );
  }
}

function checkService(o: ObjectInfo, report: At): void {
  arr(o.json.spec?.ports).forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    checkPort(p?.port, `${path}.port`, report, false);
    checkPort(p?.nodePort, `${path}.nodePort`, report, true);
    if (isInt(p?.targetPort)) checkPort(p.targetPort, `${path}.targetPort`, report, false);
  });
}

function checkClaimSpec(spec: Record<string, any> | undefined, path: string, report: At): void {
  if (!spec) return;
  if (arr(spec.accessModes).length === 0) report(`${path}.accessModes`, 'at least 1 access mode is required', 'e.g. ReadWriteOnce');
  if (spec.resources?.requests?.storage === undefined)
    report(`${path}.resources.requests.storage`, 'is required: the size of the volume', 'e.g. 10Gi');
  checkResources(obj(spec.resources), `${path}.resources`, report);
}

const MAX_INDEXED = 100_000;

function checkJobSpec(spec: Record<string, any> | undefined, path: string, report: At): void {
  if (!spec || spec.completionMode !== 'Indexed') return;
  if (spec.completions === undefined || spec.completions === null)
    report(`${path}.completions`, 'is required when completionMode is Indexed');
  for (const f of ['completions', 'parallelism']) {
    if (isInt(spec[f]) && spec[f] > MAX_INDEXED)
      report(`${path}.${f}`, `${spec[f]} is more than ${MAX_INDEXED}, the most an Indexed Job allows`);
  }
}

function checkPatterns(schema: unknown, path: string, report: At): void {
  const s = obj(schema);
  if (!s) return;
  if (typeof s.pattern === 'string') {
    const problem = patternProblem(s.pattern);
    if (problem) report(`${path}.pattern`, `${JSON.stringify(s.pattern)} is not a valid regular expression: ${problem}`);
  }
  for (const key of ['properties', 'patternProperties', 'definitions', 'dependencies']) {
    const m = obj(s[key]);
    if (m) for (const k in m) checkPatterns(m[k], at(`${path}.${key}`, k), report);
  }
  for (const key of ['items', 'additionalProperties', 'additionalItems', 'not']) {
    if (Array.isArray(s[key])) s[key].forEach((x: unknown, i: number) => checkPatterns(x, `${path}.${key}[${i}]`, report));
    else checkPatterns(s[key], `${path}.${key}`, report);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) arr(s[key]).forEach((x, i) => checkPatterns(x, `${path}.${key}[${i}]`, report));
}

/** Why Go's regexp (RE2) would not compile `p`, or undefined. */
function patternProblem(p: string): string | undefined {
  if (/\(\?<?[=!]/.test(p)) return 'lookaround assertions are not supported by the API server (Go RE2)';
  if (/\\[1-9]/.test(p)) return 'back-references are not supported by the API server (Go RE2)';
  try {
    new RegExp(p, 'u');
    return undefined;
  } catch (e) {
    try {
      new RegExp(p);
      return undefined;
    } catch {
      return (e as Error).message.replace(/^Invalid regular expression: /, '');
    }
  }
}
