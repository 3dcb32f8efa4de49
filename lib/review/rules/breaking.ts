// Changes the Kubernetes 1.27 API server refuses on update (`kubectl apply` fails with "Forbidden" or
// "field is immutable"). Each rule cites the update validation that refuses it.
import { quantityValue } from '../../core/quantity-grammar';
import { at, formatPath, RawChange, under } from '../field-diff';
import { canonical } from '../identity';
import { ChangeSeverity } from '../types';
import { Hit, rule, Rule, RuleContext } from './rule';

const paths = (cs: RawChange[]) => [...new Set(cs.map((c) => formatPath(c.segs)))];
const onUpdate = (check: (ctx: RuleContext) => Hit[]) => (ctx: RuleContext) => (ctx.type === 'changed' ? check(ctx) : []);
const list = (xs: string[]) => xs.map((x) => `\`${x}\``).join(', ');

// ValidateStatefulSetUpdate (pkg/apis/apps/validation/validation.go, release-1.27) copies these fields from
// the new spec into a clone of the old one and forbids any remaining difference.
const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export const statefulSetSpecImmutable = rule(
  'statefulset-spec-immutable',
  ChangeSeverity.BREAKING,
  ['apps/StatefulSet'],
  'a StatefulSet spec field other than replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds changes (selector, serviceName, volumeClaimTemplates, podManagementPolicy, revisionHistoryLimit)',
  "ValidateStatefulSetUpdate, pkg/apis/apps/validation/validation.go: \"spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\"",
  onUpdate((ctx) => {
    const cs = ctx.changes.filter((c) => c.segs[0] === 'spec' && !(c.segs.length > 1 && STS_MUTABLE.includes(c.segs[1])));
    if (cs.length === 0) return [];
    const fields = [...new Set(cs.map((c) => c.segs[1] ?? 'spec'))];
    return [
      {
        message: `the API server refuses this update: ${list(fields.map((f) => `spec.${f}`))} of a StatefulSet cannot change; delete it with \`kubectl delete statefulset --cascade=orphan\` (pods and claims stay) and apply again`,
        paths: paths(cs),
      },
    ];
  }),
);

// The apps/v1 update strategies check the selector right after ValidateDeploymentUpdate / ValidateReplicaSetUpdate /
// ValidateDaemonSetUpdate (pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go ValidateUpdate, "TODO(#50791):
// move selector immutability check inside ValidateDeploymentUpdate()").
export const selectorImmutable = rule(
  'selector-immutable',
  ChangeSeverity.BREAKING,
  ['apps/Deployment', 'apps/ReplicaSet', 'apps/DaemonSet'],
  'the label selector of a Deployment, ReplicaSet or DaemonSet changes',
  'ValidateDeploymentUpdate / ValidateReplicaSetUpdate / ValidateDaemonSetUpdate via the apps/v1 update strategies (pkg/registry/apps/*/strategy.go ValidateUpdate): apivalidation.ValidateImmutableField(spec.selector) — "spec.selector: Invalid value: field is immutable"',
  onUpdate((ctx) => {
    const cs = ctx.changes.filter((c) => under(c, 'spec', 'selector'));
    if (cs.length === 0) return [];
    return [
      {
        message: `the API server refuses this update: the ${ctx.after!.kind} selector is immutable in apps/v1; create the workload under a new name (and remove the old one) or delete and recreate it`,
        paths: paths(cs),
      },
    ];
  }),
);

const JOB_SCHEDULING = ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates'];

export const jobSpecImmutable = rule(
  'job-spec-immutable',
  ChangeSeverity.BREAKING,
  ['batch/Job'],
  "a Job's template, selector, completionMode, podFailurePolicy or completions changes (completions may change only with parallelism in an Indexed Job; a suspended Job that never started may change its scheduling directives)",
  'ValidateJobUpdate → ValidateJobSpecUpdate, pkg/apis/batch/validation/validation.go: ValidateImmutableField on selector, completionMode and podFailurePolicy, validatePodTemplateUpdate ("spec.template: Invalid value: field is immutable"), validateCompletions',
  onUpdate((ctx) => {
    const before = ctx.before!.spec ?? {};
    const after = ctx.after!.spec ?? {};
    const elastic = after.completionMode === 'Indexed' && after.completions === after.parallelism;
    const suspended = before.suspend === true;
    const cs = ctx.changes.filter((c) => {
      if (under(c, 'spec', 'selector') || under(c, 'spec', 'completionMode') || under(c, 'spec', 'podFailurePolicy')) return true;
      if (under(c, 'spec', 'completions')) return !elastic;
      if (under(c, 'spec', 'template')) {
        const mutable =
          suspended &&
          ((c.segs[2] === 'metadata' && (c.segs[3] === 'labels' || c.segs[3] === 'annotations')) ||
            (c.segs[2] === 'spec' && JOB_SCHEDULING.includes(c.segs[3])));
        return !mutable;
      }
      return false;
    });
    if (cs.length === 0) return [];
    return [
      {
        message:
          "the API server refuses this update: a Job's pod template and selector are fixed once it exists; give the Job a new name for the new run (or delete the old Job first)",
        paths: paths(cs),
      },
    ];
  }),
);

export const podSpecImmutable = rule(
  'pod-spec-immutable',
  ChangeSeverity.BREAKING,
  ['Pod'],
  "a bare Pod's spec changes other than container images, activeDeadlineSeconds and added tolerations",
  'ValidatePodUpdate, pkg/apis/core/validation/validation.go: "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations)…"',
  onUpdate((ctx) => {
    const oldTolerations: unknown[] = ctx.before!.spec?.tolerations ?? [];
    const newTolerations = new Set(((ctx.after!.spec?.tolerations ?? []) as unknown[]).map(canonical));
    const onlyAdded = oldTolerations.every((t) => newTolerations.has(canonical(t)));
    const cs = ctx.changes.filter((c) => {
      if (c.segs[0] !== 'spec') return false;
      if ((c.segs[1] === 'containers' || c.segs[1] === 'initContainers') && c.segs[3] === 'image' && c.segs.length === 4) return false;
      if (c.segs[1] === 'activeDeadlineSeconds') return false;
      if (c.segs[1] === 'tolerations') return !onlyAdded;
      return true;
    });
    if (cs.length === 0) return [];
    return [
      {
        message:
          "the API server refuses this update: a Pod's spec is fixed except images, activeDeadlineSeconds and new tolerations; delete the Pod first (or run it from a controller)",
        paths: paths(cs),
      },
    ];
  }),
);

function ipFields(spec: any): { clusterIP?: string; primaryIP?: string; family?: string } {
  return { clusterIP: spec?.clusterIP, primaryIP: spec?.clusterIPs?.[0], family: spec?.ipFamilies?.[0] };
}

export const serviceIpImmutable = rule(
  'service-ip-immutable',
  ChangeSeverity.BREAKING,
  ['Service'],
  "a Service's clusterIP (including `None`, headless), primary clusterIPs entry or primary ipFamily changes, unless it is or becomes ExternalName",
  'ValidateServiceUpdate, pkg/apis/core/validation/validation.go: validateUpgradeDowngradeClusterIPs ("spec.clusterIPs[0]: Invalid value: may not change once set") and validateUpgradeDowngradeIPFamilies',
  onUpdate((ctx) => {
    const b = ctx.before!.spec ?? {};
    const a = ctx.after!.spec ?? {};
    if (b.type === 'ExternalName' || a.type === 'ExternalName') return [];
    const bi = ipFields(b);
    const ai = ipFields(a);
    const bad: string[] = [];
    const bIP = bi.primaryIP ?? bi.clusterIP;
    const aIP = ai.primaryIP ?? ai.clusterIP;
    // an omitted clusterIP keeps the allocated one (the registry copies it from the old object); setting one that
    // differs from what was set, or turning an allocated IP into `None`, is refused
    if (aIP !== undefined && aIP !== '' && aIP !== bIP && ((bIP !== undefined && bIP !== '') || aIP === 'None')) {
      bad.push(ai.primaryIP !== undefined ? 'spec.clusterIPs[0]' : 'spec.clusterIP');
    }
    if (bi.family !== undefined && ai.family !== undefined && bi.family !== ai.family) bad.push('spec.ipFamilies[0]');
    if (bad.length === 0) return [];
    const headless = bIP === 'None' || aIP === 'None';
    return [
      {
        message: `the API server refuses this update: ${list(bad)} may not change once set${headless ? ' (a headless Service cannot become a normal one, nor the reverse)' : ''}; delete and recreate the Service, or create one under a new name`,
        paths: bad,
      },
    ];
  }),
);

export const serviceLoadBalancerClassImmutable = rule(
  'service-load-balancer-class-immutable',
  ChangeSeverity.BREAKING,
  ['Service'],
  'the loadBalancerClass of a LoadBalancer Service changes',
  'ValidateServiceUpdate → validateLoadBalancerClassField, pkg/apis/core/validation/validation.go: "spec.loadBalancerClass: Invalid value: may not change once set"',
  onUpdate((ctx) => {
    const b = ctx.before!.spec ?? {};
    const a = ctx.after!.spec ?? {};
    if (b.type !== 'LoadBalancer' || a.type !== 'LoadBalancer' || b.loadBalancerClass === a.loadBalancerClass) return [];
    return [
      {
        message: 'the API server refuses this update: spec.loadBalancerClass of a LoadBalancer Service may not change once set',
        paths: ['spec.loadBalancerClass'],
      },
    ];
  }),
);

export const pvcSpecImmutable = rule(
  'pvc-spec-immutable',
  ChangeSeverity.BREAKING,
  ['PersistentVolumeClaim'],
  "a PersistentVolumeClaim's spec changes other than resources.requests, or its storage request shrinks",
  'ValidatePersistentVolumeClaimUpdate, pkg/apis/core/validation/validation.go: "spec: Forbidden: spec is immutable after creation except resources.requests for bound claims", "spec.resources.requests.storage: Forbidden: field can not be less than previous value"',
  onUpdate((ctx) => {
    const cs = ctx.changes.filter((c) => c.segs[0] === 'spec' && !under(c, 'spec', 'resources', 'requests'));
    const hits: Hit[] = [];
    if (cs.length > 0) {
      hits.push({
        message:
          "the API server refuses this update: a claim's spec is immutable except its requests; create a new claim and copy the data",
        paths: paths(cs),
      });
    }
    const b = quantityValue(at(ctx.before, 'spec', 'resources', 'requests', 'storage'));
    const a = quantityValue(at(ctx.after, 'spec', 'resources', 'requests', 'storage'));
    if (a !== undefined && b !== undefined && a < b) {
      hits.push({
        message: "the API server refuses this update: a claim's storage request cannot shrink",
        paths: ['spec.resources.requests.storage'],
      });
    }
    return hits;
  }),
);

export const configMapImmutable = rule(
  'configmap-immutable',
  ChangeSeverity.BREAKING,
  ['ConfigMap'],
  'an `immutable: true` ConfigMap changes its data or binaryData, or stops being immutable',
  'ValidateConfigMapUpdate, pkg/apis/core/validation/validation.go: "data: Forbidden: field is immutable when `immutable` is set", "immutable: Forbidden: field is immutable when `immutable` is set"',
  onUpdate((ctx) => immutableData(ctx, ['data', 'binaryData', 'immutable'], 'ConfigMap')),
);

function immutableData(ctx: RuleContext, fields: string[], kind: string): Hit[] {
  if (ctx.before!.immutable !== true) return [];
  const cs = ctx.changes.filter((c) => fields.includes(c.segs[0]));
  if (cs.length === 0) return [];
  return [
    {
      message: `the API server refuses this update: an immutable ${kind} cannot change; create one under a new name (and point the pods at it)`,
      paths: paths(cs),
    },
  ];
}

export const secretImmutable = rule(
  'secret-immutable',
  ChangeSeverity.BREAKING,
  ['Secret'],
  'a Secret changes its type, or an `immutable: true` Secret changes its data or stops being immutable',
  'ValidateSecretUpdate, pkg/apis/core/validation/validation.go: ValidateImmutableField(type) "type: Invalid value: field is immutable", and "data: Forbidden: field is immutable when `immutable` is set"',
  onUpdate((ctx) => {
    const hits = immutableData(ctx, ['data', 'stringData', 'immutable'], 'Secret');
    if ((ctx.before!.type ?? 'Opaque') !== (ctx.after!.type ?? 'Opaque')) {
      hits.push({
        message: "the API server refuses this update: a Secret's type is immutable; create one under a new name",
        paths: ['type'],
      });
    }
    return hits;
  }),
);

export const bindingRoleRefImmutable = rule(
  'binding-role-ref-immutable',
  ChangeSeverity.BREAKING,
  ['rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding'],
  "a RoleBinding's or ClusterRoleBinding's roleRef changes",
  'ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate, pkg/apis/rbac/validation/validation.go: "roleRef: Invalid value: cannot change roleRef"',
  onUpdate((ctx) => {
    const cs = ctx.changes.filter((c) => c.segs[0] === 'roleRef');
    if (cs.length === 0) return [];
    return [
      {
        message:
          "the API server refuses this update: a binding's roleRef cannot change; bind the new role under a new binding name (and remove the old binding)",
        paths: paths(cs),
      },
    ];
  }),
);

const CRD = 'apiextensions.k8s.io/CustomResourceDefinition';

export const crdImmutable = rule(
  'crd-immutable',
  ChangeSeverity.BREAKING,
  [CRD],
  "a CustomResourceDefinition's scope, group, names.plural or names.kind changes",
  'ValidateCustomResourceDefinitionUpdate → ValidateCustomResourceDefinitionSpecUpdate, staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go: ValidateImmutableField on spec.group and spec.names.plural, and on spec.scope and spec.names.kind once the CRD is established',
  onUpdate((ctx) => {
    const cs = ctx.changes.filter(
      (c) =>
        under(c, 'spec', 'scope') || under(c, 'spec', 'group') || under(c, 'spec', 'names', 'plural') || under(c, 'spec', 'names', 'kind'),
    );
    if (cs.length === 0) return [];
    return [
      {
        message:
          "the API server refuses this update: a CRD's scope, group, plural and kind are fixed once established; a new CRD (new name) is a new API, and removing the old one deletes its objects",
        paths: paths(cs),
      },
    ];
  }),
);

export const crdStorageVersionRemoved = rule(
  'crd-storage-version-removed',
  ChangeSeverity.BREAKING,
  [CRD],
  'the version a CustomResourceDefinition stored its objects in is removed from spec.versions',
  'ValidateCustomResourceDefinitionUpdate → ValidateCustomResourceDefinitionStoredVersions, apiextensions validation.go: "status.storedVersions[i]: Invalid value: must appear in spec.versions" (the old storage version stays in status.storedVersions until the objects are migrated and the status is edited)',
  onUpdate((ctx) => {
    const after = new Set(((ctx.after!.spec?.versions ?? []) as any[]).map((v) => v?.name));
    const gone = ((ctx.before!.spec?.versions ?? []) as any[])
      .filter((v) => v?.storage === true && !after.has(v.name))
      .map((v) => v.name as string);
    if (gone.length === 0) return [];
    return [
      {
        message: `the API server refuses this update: version ${list(gone)} was the storage version and is still in status.storedVersions; keep it (served: false) until the objects are migrated and storedVersions is updated`,
        paths: gone.map((v) => `spec.versions[name=${v}]`),
      },
    ];
  }),
);

export const storageClassImmutable = rule(
  'storageclass-immutable',
  ChangeSeverity.BREAKING,
  ['storage.k8s.io/StorageClass'],
  "a StorageClass's provisioner, parameters, reclaimPolicy or volumeBindingMode changes",
  'ValidateStorageClassUpdate, pkg/apis/storage/validation/validation.go: "parameters: Forbidden: updates to parameters are forbidden.", "provisioner: Forbidden: updates to provisioner are forbidden.", "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.", volumeBindingMode "field is immutable"',
  onUpdate((ctx) => {
    const cs = ctx.changes.filter((c) => ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'].includes(c.segs[0]));
    if (cs.length === 0) return [];
    return [
      {
        message:
          'the API server refuses this update: a StorageClass is fixed except its allowVolumeExpansion, mountOptions and metadata; create a new class under a new name',
        paths: paths(cs),
      },
    ];
  }),
);

export const BREAKING_RULES: Rule[] = [
  statefulSetSpecImmutable,
  selectorImmutable,
  jobSpecImmutable,
  podSpecImmutable,
  serviceIpImmutable,
  serviceLoadBalancerClassImmutable,
  pvcSpecImmutable,
  configMapImmutable,
  secretImmutable,
  bindingRoleRefImmutable,
  crdImmutable,
  crdStorageVersionRemoved,
  storageClassImmutable,
];
