import { labelKeyViolation, labelValueViolation } from '../../core/names';
import type { ObjectInfo } from '../context';
import { Report, RuleInput } from '../findings';
import { arr, at, obj } from '../json-path';
import { ValidationRule } from '../rule';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);
const LABEL_SELECTOR_KINDS = new Set([
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'extensions/Deployment',
  'extensions/ReplicaSet',
  'extensions/DaemonSet',
  'batch/Job',
  'policy/PodDisruptionBudget',
  '/PersistentVolumeClaim',
]);

/**
 * Labels: keys and values of labels in metadata (objects, pod templates, claim and job templates) and
 * in selectors (equality selectors, `matchLabels`, `matchExpressions` with their operators, in workload,
 * Service, PDB, PVC, NetworkPolicy, affinity and topology spread selectors); annotation keys.
 */
const KEY_HINT = 'an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "."';
const LABEL_HINT = 'at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or empty)';

export function checkLabels({ ctx, report }: RuleInput): void {
  for (const o of ctx.objects) {
    const spec = obj(o.json.spec);
    checkMetadata(o, report, 'metadata', o.json.metadata);
    const gk = `${o.group}/${o.kind}`;
    if (gk === '/Service' || gk === '/ReplicationController') checkLabelMap(o, report, 'spec.selector', spec?.selector);
    else if (LABEL_SELECTOR_KINDS.has(gk)) checkSelector(o, report, 'spec.selector', spec?.selector);
    else if (gk === 'batch/CronJob') {
      checkMetadata(o, report, 'spec.jobTemplate.metadata', spec?.jobTemplate?.metadata);
      checkSelector(o, report, 'spec.jobTemplate.spec.selector', spec?.jobTemplate?.spec?.selector);
    } else if (gk === 'networking.k8s.io/NetworkPolicy') checkNetworkPolicy(o, report, spec);
    const t = o.template;
    if (t) {
      checkMetadata(o, report, t.metaPath, { labels: t.labels, annotations: t.annotations });
      checkPodSelectors(o, report, t.specPath, t.spec);
    }
    arr(spec?.volumeClaimTemplates).forEach((c, i) => {
      checkMetadata(o, report, `spec.volumeClaimTemplates[${i}].metadata`, c?.metadata);
      checkSelector(o, report, `spec.volumeClaimTemplates[${i}].spec.selector`, c?.spec?.selector);
    });
  }
}

function checkMetadata(o: ObjectInfo, report: Report, path: string, metadata: unknown): void {
  const meta = obj(metadata);
  if (!meta) return;
  checkLabelMap(o, report, at(path, 'labels'), meta.labels);
  const annotations = obj(meta.annotations);
  for (const k in annotations) {
    const why = labelKeyViolation(k);
    if (why) report(o, ValidationRule.LABELS, at(at(path, 'annotations'), k), why.replace(/^label key/, 'annotation key'), KEY_HINT);
  }
}

/** Label keys and values of a label map or an equality selector. */
function checkLabelMap(o: ObjectInfo, report: Report, path: string, value: unknown): void {
  const labels = obj(value);
  for (const k in labels) {
    const v = labels[k];
    const why = labelKeyViolation(k) ?? (typeof v === 'string' ? labelValueViolation(v) : undefined);
    if (why) report(o, ValidationRule.LABELS, at(path, k), why, LABEL_HINT);
  }
}

/** A LabelSelector: `matchLabels`, and `matchExpressions` with valid keys, operators and values. */
function checkSelector(o: ObjectInfo, report: Report, path: string, value: unknown): void {
  const selector = obj(value);
  if (!selector) return;
  checkLabelMap(o, report, at(path, 'matchLabels'), selector.matchLabels);
  arr(selector.matchExpressions).forEach((e, i) => {
    const ep = `${path}.matchExpressions[${i}]`;
    if (typeof e?.key === 'string') {
      const why = labelKeyViolation(e.key);
      if (why) report(o, ValidationRule.LABELS, `${ep}.key`, why, KEY_HINT);
    }
    const values = arr(e?.values);
    if (!OPERATORS.has(e?.operator)) {
      report(
        o,
        ValidationRule.LABELS,
        `${ep}.operator`,
        `"${e?.operator}" is not a label selector operator (In, NotIn, Exists, DoesNotExist)`,
      );
    } else if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) {
      report(o, ValidationRule.LABELS, `${ep}.values`, `must not be empty with operator ${e.operator}`, 'list the values');
    } else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) {
      report(o, ValidationRule.LABELS, `${ep}.values`, `must be empty with operator ${e.operator}`, 'remove the values');
    }
    values.forEach((v, j) => {
      const why = typeof v === 'string' ? labelValueViolation(v) : undefined;
      if (why) report(o, ValidationRule.LABELS, `${ep}.values[${j}]`, why, LABEL_HINT);
    });
  });
}

function checkNetworkPolicy(o: ObjectInfo, report: Report, spec: Record<string, any> | undefined): void {
  checkSelector(o, report, 'spec.podSelector', spec?.podSelector);
  for (const [rules, peers] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const) {
    arr(spec?.[rules]).forEach((rule, i) =>
      arr(rule?.[peers]).forEach((peer, j) => {
        checkSelector(o, report, `spec.${rules}[${i}].${peers}[${j}].podSelector`, peer?.podSelector);
        checkSelector(o, report, `spec.${rules}[${i}].${peers}[${j}].namespaceSelector`, peer?.namespaceSelector);
      }),
    );
  }
}

/** Label selectors inside a pod spec: pod (anti-)affinity terms and topology spread constraints. */
function checkPodSelectors(o: ObjectInfo, report: Report, specPath: string, spec: Record<string, any>): void {
  const affinity = obj(spec.affinity);
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = obj(affinity?.[kind]);
    if (!a) continue;
    const base = `${specPath}.affinity.${kind}`;
    arr(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      checkSelector(o, report, `${base}.requiredDuringSchedulingIgnoredDuringExecution[${i}].labelSelector`, term?.labelSelector);
      checkSelector(o, report, `${base}.requiredDuringSchedulingIgnoredDuringExecution[${i}].namespaceSelector`, term?.namespaceSelector);
    });
    arr(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, i) => {
      const term = w?.podAffinityTerm;
      checkSelector(
        o,
        report,
        `${base}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm.labelSelector`,
        term?.labelSelector,
      );
      checkSelector(
        o,
        report,
        `${base}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm.namespaceSelector`,
        term?.namespaceSelector,
      );
    });
  }
  arr(spec.topologySpreadConstraints).forEach((c, i) =>
    checkSelector(o, report, `${specPath}.topologySpreadConstraints[${i}].labelSelector`, c?.labelSelector),
  );
}
