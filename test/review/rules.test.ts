// One before/after pair per rule. Each case says why the API server refuses the update (the 1.27 update
// validation function) or why data is lost, and what the rule must not flag.
import { ChangeSeverity, ReleaseReview } from '../../lib';
import {
  crd,
  daemonSet,
  deployment,
  job,
  namespace,
  patch,
  pvc,
  review,
  role,
  roleBinding,
  rulesOf,
  service,
  statefulSet,
} from './helpers';

interface Case {
  rule: string;
  why: string;
  before: object[];
  after: object[];
}

const CM = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { a: '1' } };
const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop' }, type: 'Opaque', data: { p: 'cA==' } };
const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'debug', namespace: 'shop' },
  spec: { containers: [{ name: 'sh', image: 'busybox:1.36' }] },
};
const SC = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'fast' },
  provisioner: 'ebs.csi.aws.com',
  parameters: { type: 'gp3' },
};
const PDB = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
};

const CASES: Case[] = [
  // ---- breaking: refused by the 1.27 update validation
  {
    rule: 'statefulset-spec-immutable',
    why: 'ValidateStatefulSetUpdate allows only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and minReadySeconds to change: a bigger claim template is refused',
    before: [statefulSet()],
    after: [
      statefulSet('db', {
        spec: {
          volumeClaimTemplates: [
            { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } },
          ],
        },
      }),
    ],
  },
  {
    rule: 'statefulset-spec-immutable',
    why: 'ValidateStatefulSetUpdate: serviceName is not in the list of mutable fields',
    before: [statefulSet()],
    after: [statefulSet('db', { spec: { serviceName: 'db-headless' } })],
  },
  {
    rule: 'statefulset-spec-immutable',
    why: "ValidateStatefulSetUpdate in 1.27: revisionHistoryLimit is not yet mutable (1.27's message lists no revisionHistoryLimit)",
    before: [statefulSet()],
    after: [statefulSet('db', { spec: { revisionHistoryLimit: 5 } })],
  },
  {
    rule: 'selector-immutable',
    why: 'the apps/v1 Deployment update strategy (next to ValidateDeploymentUpdate) calls ValidateImmutableField on spec.selector',
    before: [deployment()],
    after: [
      deployment('web', {
        spec: {
          selector: { matchLabels: { app: 'web', tier: 'front' } },
          template: { metadata: { labels: { app: 'web', tier: 'front' } } },
        },
      }),
    ],
  },
  {
    rule: 'selector-immutable',
    why: 'the apps/v1 DaemonSet update strategy (next to ValidateDaemonSetUpdate) calls ValidateImmutableField on spec.selector',
    before: [daemonSet()],
    after: [
      daemonSet('agent', { spec: { selector: { matchLabels: { app: 'agent2' } }, template: { metadata: { labels: { app: 'agent2' } } } } }),
    ],
  },
  {
    rule: 'job-spec-immutable',
    why: "ValidateJobSpecUpdate → validatePodTemplateUpdate: a Job's template is immutable (a new image needs a new Job)",
    before: [job()],
    after: [job('migrate', { spec: { template: { spec: { containers: [{ name: 'main', image: 'migrate:2.0' }] } } } })],
  },
  {
    rule: 'job-spec-immutable',
    why: 'ValidateJobSpecUpdate → validateCompletions: completions change only in an Indexed Job, together with parallelism',
    before: [job('migrate', { spec: { completions: 3 } })],
    after: [job('migrate', { spec: { completions: 5 } })],
  },
  {
    rule: 'pod-spec-immutable',
    why: 'ValidatePodUpdate: a Pod may change only images, activeDeadlineSeconds and add tolerations; a new env var is refused',
    before: [POD],
    after: [patch(POD, { spec: { containers: [{ name: 'sh', image: 'busybox:1.36', env: [{ name: 'A', value: '1' }] }] } })],
  },
  {
    rule: 'service-ip-immutable',
    why: 'ValidateServiceUpdate → validateUpgradeDowngradeClusterIPs: a headless Service (clusterIP None) cannot get an IP, nor the reverse',
    before: [service('db', { spec: { clusterIP: 'None' } })],
    after: [service('db', { spec: { clusterIP: '10.0.0.10' } })],
  },
  {
    rule: 'service-ip-immutable',
    why: 'ValidateServiceUpdate: an allocated clusterIP cannot become None',
    before: [service('db')],
    after: [service('db', { spec: { clusterIP: 'None' } })],
  },
  {
    rule: 'service-load-balancer-class-immutable',
    why: 'ValidateServiceUpdate → validateLoadBalancerClassField: loadBalancerClass may not change once set on a LoadBalancer',
    before: [service('web', { spec: { type: 'LoadBalancer', loadBalancerClass: 'a.example.com/lb' } })],
    after: [service('web', { spec: { type: 'LoadBalancer', loadBalancerClass: 'b.example.com/lb' } })],
  },
  {
    rule: 'pvc-spec-immutable',
    why: 'ValidatePersistentVolumeClaimUpdate: spec is immutable except resources.requests; the storage class cannot change',
    before: [pvc()],
    after: [pvc('uploads', { spec: { storageClassName: 'fast' } })],
  },
  {
    rule: 'pvc-spec-immutable',
    why: 'ValidatePersistentVolumeClaimUpdate: the storage request cannot be less than before',
    before: [pvc()],
    after: [pvc('uploads', { spec: { resources: { requests: { storage: '1Gi' } } } })],
  },
  {
    rule: 'configmap-immutable',
    why: 'ValidateConfigMapUpdate: data of an immutable ConfigMap cannot change',
    before: [{ ...CM, immutable: true }],
    after: [{ ...CM, immutable: true, data: { a: '2' } }],
  },
  {
    rule: 'secret-immutable',
    why: "ValidateSecretUpdate: a Secret's type is immutable",
    before: [SECRET],
    after: [{ ...SECRET, type: 'kubernetes.io/basic-auth' }],
  },
  {
    rule: 'secret-immutable',
    why: 'ValidateSecretUpdate: an immutable Secret cannot become mutable',
    before: [{ ...SECRET, immutable: true }],
    after: [{ ...SECRET, immutable: false }],
  },
  {
    rule: 'binding-role-ref-immutable',
    why: 'ValidateRoleBindingUpdate: "cannot change roleRef"',
    before: [roleBinding('reader', 'reader')],
    after: [roleBinding('reader', 'writer')],
  },
  {
    rule: 'binding-role-ref-immutable',
    why: 'ValidateClusterRoleBindingUpdate: "cannot change roleRef"',
    before: [
      {
        ...roleBinding(),
        kind: 'ClusterRoleBinding',
        metadata: { name: 'reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      },
    ],
    after: [
      {
        ...roleBinding(),
        kind: 'ClusterRoleBinding',
        metadata: { name: 'reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      },
    ],
  },
  {
    rule: 'crd-immutable',
    why: 'ValidateCustomResourceDefinitionSpecUpdate: scope is immutable once the CRD is established',
    before: [crd()],
    after: [crd({ spec: { scope: 'Cluster' } })],
  },
  {
    rule: 'crd-storage-version-removed',
    why: 'ValidateCustomResourceDefinitionStoredVersions: the old storage version is in status.storedVersions and must stay in spec.versions',
    before: [crd()],
    after: [crd({ spec: { versions: [{ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] } })],
  },
  {
    rule: 'storageclass-immutable',
    why: 'ValidateStorageClassUpdate: "updates to parameters are forbidden."',
    before: [SC],
    after: [{ ...SC, parameters: { type: 'io2' } }],
  },
  // ---- data loss: accepted, but data is lost or orphaned
  {
    rule: 'statefulset-removed',
    why: 'its claims data-db-0…2 are orphaned (whenDeleted: Retain) and a StatefulSet under another name never mounts them',
    before: [statefulSet()],
    after: [],
  },
  {
    rule: 'statefulset-renamed',
    why: 'claims are named <template>-<statefulset>-<ordinal>: database-0 mounts data-database-0, new and empty',
    before: [statefulSet('db')],
    after: [statefulSet('database')],
  },
  {
    rule: 'claim-template-renamed',
    why: 'pods of the recreated StatefulSet mount storage-db-N, new and empty; data-db-N are orphaned',
    before: [statefulSet()],
    after: [
      statefulSet('db', {
        spec: {
          volumeClaimTemplates: [
            { metadata: { name: 'storage' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } },
          ],
        },
      }),
    ],
  },
  {
    rule: 'claims-deleted-on-scale-down',
    why: 'whenScaled: Delete makes the controller delete the claims of the ordinals it removes',
    before: [statefulSet('db', { spec: { persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Retain' } } })],
    after: [
      statefulSet('db', { spec: { replicas: 1, persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Retain' } } }),
    ],
  },
  {
    rule: 'pvc-removed',
    why: 'deleting a claim releases its volume, which the Delete reclaim policy deletes',
    before: [pvc()],
    after: [],
  },
  {
    rule: 'namespace-removed',
    why: 'deleting a Namespace deletes every object in it',
    before: [namespace('shop'), deployment()],
    after: [deployment()],
  },
  {
    rule: 'crd-removed',
    why: 'deleting a CRD deletes every custom resource of it',
    before: [crd()],
    after: [],
  },
  // ---- risky
  {
    rule: 'rbac-widened',
    why: 'the role now also grants delete on pods',
    before: [role()],
    after: [role('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'delete'] }])],
  },
  {
    rule: 'rbac-widened',
    why: 'a wildcard resource grants every resource of the group',
    before: [role()],
    after: [role('reader', [{ apiGroups: [''], resources: ['*'], verbs: ['get', 'list'] }])],
  },
  {
    rule: 'rbac-widened',
    why: 'a binding with a new subject gives the role to someone else',
    before: [roleBinding()],
    after: [
      roleBinding('reader', 'reader', [
        { kind: 'ServiceAccount', name: 'web', namespace: 'shop' },
        { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
      ]),
    ],
  },
  {
    rule: 'service-exposed',
    why: 'a LoadBalancer Service is reachable from outside the cluster',
    before: [service()],
    after: [service('web', { spec: { type: 'LoadBalancer' } })],
  },
  {
    rule: 'replicas-zero',
    why: 'replicas 0 stops every pod',
    before: [deployment()],
    after: [deployment('web', { spec: { replicas: 0 } })],
  },
  {
    rule: 'budget-removed',
    why: 'without a budget a drain may evict every pod at once',
    before: [PDB],
    after: [],
  },
  {
    rule: 'pod-security-lowered',
    why: 'the Namespace enforces baseline instead of restricted',
    before: [namespace('shop', 'restricted')],
    after: [namespace('shop', 'baseline')],
  },
  {
    rule: 'pod-security-lowered',
    why: 'the pod template declares privileged (no annotation means restricted)',
    before: [deployment()],
    after: [deployment('web', { spec: { template: { metadata: { annotations: { 'cdk8s-patterns.io/pod-security': 'privileged' } } } } })],
  },
  {
    rule: 'host-access-added',
    why: 'a hostPath volume and hostNetwork give the pod access to the node',
    before: [daemonSet()],
    after: [
      daemonSet('agent', { spec: { template: { spec: { hostNetwork: true, volumes: [{ name: 'proc', hostPath: { path: '/proc' } }] } } } }),
    ],
  },
  // ---- info
  {
    rule: 'config-rollout',
    why: 'a changed ConfigMap hash on the pod template is a rollout of the Deployment, named with the ConfigMap that caused it',
    before: [
      CM,
      deployment('web', {
        spec: { template: { metadata: { annotations: { 'checksum.cdk8s-patterns.io/configmap.cfg': '1111111111111111' } } } },
      }),
    ],
    after: [
      patch(CM, { data: { a: '2' } }),
      deployment('web', {
        spec: { template: { metadata: { annotations: { 'checksum.cdk8s-patterns.io/configmap.cfg': '2222222222222222' } } } },
      }),
    ],
  },
];

describe('every rule fires on its before/after pair', () => {
  test.each(CASES.map((c) => [c.rule, c.why, c] as const))('%s: %s', (rule, _why, c) => {
    const report = review(c.before, c.after);
    expect(rulesOf(report)).toContain(rule);
    const info = ReleaseReview.rules().find((r) => r.id === rule)!;
    const f = report.changes.flatMap((x) => x.findings).find((x) => x.rule === rule)!;
    expect(f.severity).toBe(info.severity);
    expect(f.citation).toBe(info.citation);
    const blocking = info.severity === ChangeSeverity.BREAKING || info.severity === ChangeSeverity.DATA_LOSS;
    expect(report.exitCode).toBe(blocking ? 1 : 0);
  });

  test('every rule of the table has a case', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    expect(
      ReleaseReview.rules()
        .map((r) => r.id)
        .filter((id) => id !== 'renamed' && !covered.has(id)),
    ).toEqual([]);
  });
});

describe('what the API server accepts is not flagged', () => {
  const quiet = (before: object[], after: object[]) => {
    const r = review(before, after);
    expect(r.changes.flatMap((c) => c.findings).filter((f) => f.severity !== ChangeSeverity.INFO)).toEqual([]);
    expect(r.exitCode).toBe(0);
  };
  test('StatefulSet: replicas, template, updateStrategy, minReadySeconds, retention policy, ordinals', () => {
    quiet(
      [statefulSet()],
      [
        statefulSet('db', {
          spec: {
            replicas: 5,
            minReadySeconds: 10,
            ordinals: { start: 1 },
            updateStrategy: { type: 'OnDelete' },
            persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
            template: { spec: { containers: [{ name: 'main', image: 'db:2.0' }] } },
          },
        }),
      ],
    );
  });
  test('Deployment: template and replicas', () => {
    quiet(
      [deployment()],
      [deployment('web', { spec: { replicas: 4, template: { spec: { containers: [{ name: 'main', image: 'web:2.0' }] } } } })],
    );
  });
  test('Job: parallelism and activeDeadlineSeconds; Indexed Job: completions with parallelism (elastic)', () => {
    quiet([job()], [job('migrate', { spec: { parallelism: 3, activeDeadlineSeconds: 600 } })]);
    quiet(
      [job('i', { spec: { completionMode: 'Indexed', completions: 3, parallelism: 3 } })],
      [job('i', { spec: { completionMode: 'Indexed', completions: 5, parallelism: 5 } })],
    );
  });
  test('Pod: image and added tolerations', () => {
    quiet(
      [POD],
      [patch(POD, { spec: { containers: [{ name: 'sh', image: 'busybox:1.37' }], tolerations: [{ key: 'a', operator: 'Exists' }] } })],
    );
  });
  test('Service: ports, selector; an omitted clusterIP keeps the allocated one', () => {
    quiet(
      [service('db', { spec: { clusterIP: '10.0.0.10' } })],
      [service('db', { spec: { clusterIP: null, ports: [{ name: 'http', port: 8080 }] } })],
    );
  });
  test('PVC: a bigger request (expansion)', () => {
    quiet([pvc()], [pvc('uploads', { spec: { resources: { requests: { storage: '10Gi' } } } })]);
  });
  test("mutable ConfigMap data; a binding's subjects removed; a role narrowed", () => {
    quiet([CM], [{ ...CM, data: { a: '2' } }]);
    quiet(
      [
        roleBinding('r', 'reader', [
          { kind: 'ServiceAccount', name: 'a', namespace: 'shop' },
          { kind: 'ServiceAccount', name: 'b', namespace: 'shop' },
        ]),
      ],
      [roleBinding('r', 'reader', [{ kind: 'ServiceAccount', name: 'a', namespace: 'shop' }])],
    );
    quiet([role('reader', [{ apiGroups: [''], resources: ['*'], verbs: ['*'] }])], [role()]);
  });
  test('CRD: a new served version, the storage version moved but kept', () => {
    quiet(
      [crd()],
      [
        crd({
          spec: {
            versions: [
              { name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
              { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
            ],
          },
        }),
      ],
    );
  });
  test('StorageClass: allowVolumeExpansion', () => {
    quiet([SC], [{ ...SC, allowVolumeExpansion: true }]);
  });
  test('a StatefulSet without claim templates removed loses nothing', () => {
    quiet([statefulSet('db', { spec: { volumeClaimTemplates: null } })], []);
  });
});

test('the namespace-removed finding names the objects of the tree that go with it', () => {
  const r = review([namespace('shop'), deployment(), service()], [deployment(), service()]);
  const f = r.changes.flatMap((c) => c.findings).find((x) => x.rule === 'namespace-removed')!;
  expect(f.message).toContain('2 in this tree: Deployment/web, Service/web');
});

test('field changes are reported with JSON paths, list items by name', () => {
  const r = review(
    [deployment()],
    [
      deployment('web', {
        spec: { template: { spec: { containers: [{ name: 'main', image: 'web:2.0', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
      }),
    ],
  );
  expect(r.changes[0].fieldChanges).toEqual([
    { path: 'spec.template.spec.containers[name=main].image', before: '"web:1.0"', after: '"web:2.0"' },
  ]);
});
