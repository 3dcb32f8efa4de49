import * as fs from 'fs';
import { validateObject } from '../../lib/validation/schema/built-in';
import { isKnownKind, K8sTypeTable, knownKinds, TABLE_FILE } from '../../lib/validation/schema/table';
import { SchemaProblem } from '../../lib/validation/schema/walk';
import { renderTable } from '../../scripts/generate-schema';

const table: K8sTypeTable = JSON.parse(fs.readFileSync(TABLE_FILE, 'utf8'));

/** `path: message` lines, for readable assertions. */
function lines(problems: SchemaProblem[] | undefined): string[] | undefined {
  return problems?.map((p) => `${p.path}: ${p.message}`);
}

const labels = { 'app.kubernetes.io/name': 'web' };
const podSpec = () => ({ containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 8080, name: 'http' }] }] });

const statefulSet = () => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', labels },
  spec: {
    serviceName: 'db',
    replicas: 3,
    selector: { matchLabels: labels },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: '25%' } },
    template: { metadata: { labels }, spec: podSpec() },
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'logs' },
        spec: { resources: { requests: { storage: 1073741824 } } },
      },
    ],
  },
});

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'team-a', labels, annotations: { 'example.com/note': 'x' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: labels, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: {
      metadata: { labels },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            ],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
            livenessProbe: { tcpSocket: { port: 8080 } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg', readOnly: true }],
          },
        ],
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg', defaultMode: 420 } },
          { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
        ],
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: labels },
          },
        ],
      },
    },
  },
});

const validObjects: Record<string, () => any> = {
  StatefulSet: statefulSet,
  Deployment: deployment,
  DaemonSet: () => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels },
        spec: { ...podSpec(), tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
      },
    },
  }),
  Service: () => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'db' },
    spec: {
      clusterIP: 'None',
      selector: labels,
      ports: [
        { name: 'sql', port: 5432, targetPort: 'sql', protocol: 'TCP' },
        { port: 80, targetPort: 8080 },
      ],
    },
  }),
  PodDisruptionBudget: () => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'db' },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  }),
  HorizontalPodAutoscaler: () => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } },
    },
  }),
  Role: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'reader', namespace: 'team-a' },
    rules: [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch'] }],
  }),
  ClusterRole: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'agg' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] },
    rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
  }),
  RoleBinding: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'reader', namespace: 'team-a' },
    subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'team-a' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
  }),
  ClusterRoleBinding: () => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'agg' },
    subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }],
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'agg' },
  }),
  CustomResourceDefinition: () => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
          additionalPrinterColumns: [{ name: 'Spec', type: 'string', jsonPath: '.spec.cronSpec' }],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['cronSpec'],
                  properties: {
                    cronSpec: { type: 'string', pattern: '^\\S+( \\S+){4}$' },
                    replicas: { type: 'integer', minimum: 1, maximum: 10.5, default: 1 },
                    ratio: { type: 'number', multipleOf: 0.25 },
                    port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
                    tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
                    extra: { type: 'object', additionalProperties: { type: 'string' } },
                    raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                  'x-kubernetes-validations': [{ rule: 'self.replicas <= 10', message: 'too many' }],
                },
                status: { type: 'object', properties: { replicas: { type: 'integer' } } },
              },
            },
          },
        },
      ],
      conversion: { strategy: 'None' },
    },
  }),
  MutatingWebhookConfiguration: () => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'inject.example.com' },
    webhooks: [
      {
        name: 'inject.example.com',
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: 'Fail',
        timeoutSeconds: 10,
        clientConfig: {
          service: { name: 'injector', namespace: 'system', path: '/mutate', port: 443 },
          caBundle: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
        },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
        namespaceSelector: { matchExpressions: [{ key: 'inject', operator: 'In', values: ['enabled'] }] },
        objectSelector: {},
      },
    ],
  }),
  Secret: () => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    type: 'Opaque',
    data: { password: 'cGFzc3dvcmQ=', empty: '', wrapped: 'aGVs\nbG8=' },
    stringData: { user: 'admin' },
  }),
  ConfigMap: () => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', creationTimestamp: null },
    data: { key: 'value' },
    binaryData: { blob: 'aGVsbG8=' },
    immutable: true,
  }),
  CronJob: () => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly' },
    spec: {
      schedule: '0 3 * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          ttlSecondsAfterFinished: 3600,
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } },
        },
      },
    },
  }),
  Lease: () => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l' },
    spec: {
      holderIdentity: 'x',
      leaseDurationSeconds: 15,
      renewTime: '2024-02-29T12:00:00.123456Z',
      acquireTime: '2024-01-01T00:00:00+01:00',
    },
  }),
  NetworkPolicy: () => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db' },
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { app: 'web' } } }],
          ports: [
            { protocol: 'TCP', port: 5432 },
            { port: 'http', endPort: 9000 },
          ],
        },
      ],
    },
  }),
  Ingress: () => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web' },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
        },
      ],
    },
  }),
  EndpointSlice: () => ({
    // discovery/v1 EndpointPort.port is optional (core/v1's is not: see SITE_OVERRIDES in generate.ts).
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'e' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'] }],
    ports: [{ name: 'all' }],
  }),
  APIService: () => ({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1.example.com' },
    spec: {
      group: 'example.com',
      version: 'v1',
      groupPriorityMinimum: 1000,
      versionPriority: 15,
      caBundle: 'Y2VydA==',
      service: { name: 'api', namespace: 'ns', port: 443 },
    },
  }),
};

describe('type table', () => {
  test('is up to date with the installed cdk8s-plus-27 (regenerate with the generate script)', () => {
    expect(fs.readFileSync(TABLE_FILE, 'utf8')).toBe(renderTable());
  });

  test('has the manifest kinds and not the request/response or List kinds', () => {
    expect(table.version).toBe('1.27');
    expect(table.source).toMatch(/^cdk8s-plus-27@\d+\.\d+\.\d+ /);
    expect(table.kinds['apps/v1/StatefulSet']).toBe('KubeStatefulSetProps');
    expect(table.kinds['autoscaling/v2/HorizontalPodAutoscaler']).toBe('KubeHorizontalPodAutoscalerV2Props');
    for (const k of [
      'v1/Status',
      'policy/v1/Eviction',
      'v1/Binding',
      'autoscaling/v1/Scale',
      'authentication.k8s.io/v1/TokenReview',
      'authentication.k8s.io/v1/TokenRequest',
      'authorization.k8s.io/v1/SubjectAccessReview',
      'v1/ComponentStatus',
      'apps/v1/StatefulSetList',
    ]) {
      expect(table.kinds[k]).toBeUndefined();
    }
  });

  test('encodes integers, floats, []byte and nested kinds', () => {
    expect(table.types.StatefulSetSpec).toEqual(expect.objectContaining({ r: ['selector', 'serviceName', 'template'] }));
    expect(table.types.StatefulSetSpec.f.replicas).toBe('int32');
    expect(table.types.SecurityContext.f.runAsUser).toBe('int64');
    expect(table.types.ContainerPort.f.protocol).toBe('~SCTP|TCP|UDP');
    expect(table.types.StatefulSetSpec.f.volumeClaimTemplates).toBe('[]KubePersistentVolumeClaimProps');
    expect(table.types.KubePersistentVolumeClaimProps.f.kind).toBe('=PersistentVolumeClaim');
    expect(table.types.JsonSchemaProps.f).toEqual(
      expect.objectContaining({
        $ref: 'string',
        maximum: 'number',
        minimum: 'number',
        multipleOf: 'number',
        maxLength: 'int64',
        'x-kubernetes-preserve-unknown-fields': 'boolean',
        properties: '{}JsonSchemaProps',
      }),
    );
    expect(table.types.KubeSecretProps.f.data).toBe('{}base64');
    expect(table.types.KubeConfigMapProps.f.binaryData).toBe('{}base64');
    expect(table.types.WebhookClientConfig.f.caBundle).toBe('base64');
    expect(table.types.ApiServiceSpec.f.caBundle).toBe('base64');
    expect(table.types.CertificateSigningRequestSpec.f.request).toBe('base64');
    expect(table.types.ObjectMeta.f.creationTimestamp).toBe('date');
    expect(table.types.RollingUpdateDeployment.f.maxSurge).toBe('int-or-string');
    expect(table.types.ResourceRequirements.f.limits).toBe('{}quantity');
  });
});

describe('validateObject: valid manifests', () => {
  test.each(Object.keys(validObjects))('%s passes', (name) => {
    expect(lines(validateObject(validObjects[name]()))).toEqual([]);
  });

  test('every kind: an object with only its required fields, and one with every field, pass', () => {
    // Values built from the table itself: this exercises every type and encoding once.
    const leaf: Record<string, unknown> = {
      string: 'x',
      integer: 1,
      int32: 1,
      int64: 1,
      number: 1.5,
      boolean: true,
      date: '2020-01-01T00:00:00Z',
      base64: 'eA==',
      'int-or-string': '1',
      quantity: '1Gi',
      any: { free: ['form'] },
    };
    const value = (enc: string, seen: string[], full: boolean): unknown => {
      if (enc.startsWith('[]')) return [value(enc.slice(2), seen, full)];
      if (enc.startsWith('{}')) return { key: value(enc.slice(2), seen, full) };
      if (enc.startsWith('=')) return enc.slice(1);
      if (enc.startsWith('~')) return enc.slice(1).split('|')[0];
      if (enc in leaf) return leaf[enc];
      if (seen.includes(enc)) return {}; // recursive types (JsonSchemaProps): stop
      const t = table.types[enc];
      const out: Record<string, unknown> = {};
      for (const f of Object.keys(t.f)) {
        if (full || t.r?.includes(f)) out[f] = value(t.f[f], [...seen, enc], full);
      }
      return out;
    };
    for (const [key, props] of Object.entries(table.kinds)) {
      const cut = key.lastIndexOf('/');
      const head = { apiVersion: key.slice(0, cut), kind: key.slice(cut + 1) };
      for (const full of [false, true]) {
        const obj = { ...(value(props, [], full) as object), ...head };
        expect([key, full, lines(validateObject(obj))]).toEqual([key, full, []]);
      }
    }
  });

  test('null means unset for optional fields, as the API server reads it', () => {
    const d = deployment();
    (d.spec as any).strategy = null;
    (d.metadata as any).namespace = null;
    expect(lines(validateObject(d))).toEqual([]);
  });
});

describe('validateObject: broken manifests', () => {
  const cases: Array<[string, () => any, string[]]> = [
    ['unknown top-level field', () => ({ ...validObjects.Service(), specs: {} }), ['specs: unknown field "specs" (did you mean "spec"?)']],
    [
      'unknown field in metadata',
      () => {
        const o = validObjects.ConfigMap();
        o.metadata.label = { a: 'b' };
        return o;
      },
      ['metadata.label: unknown field "label" (did you mean "labels"?)'],
    ],
    [
      'unknown field in a container',
      () => {
        const o = deployment();
        (o.spec.template.spec.containers[0] as any).imagePullPolicyy = 'Always';
        return o;
      },
      ['spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (did you mean "imagePullPolicy"?)'],
    ],
    [
      'unknown field in a volumeClaimTemplate',
      () => {
        const o = statefulSet();
        (o.spec.volumeClaimTemplates[0].spec as any).storage = '1Gi';
        return o;
      },
      ['spec.volumeClaimTemplates[0].spec.storage: unknown field "storage"'],
    ],
    [
      'a typo next to the status of a volumeClaimTemplate (status is accepted, as kubectl get -o yaml writes it)',
      () => {
        const o = statefulSet();
        (o.spec.volumeClaimTemplates[0] as any).status = { phase: 'Pending' };
        (o.spec.volumeClaimTemplates[0] as any).stauts = {};
        return o;
      },
      ['spec.volumeClaimTemplates[0].stauts: unknown field "stauts" (did you mean "status"?)'],
    ],
    [
      'wrong kind in a volumeClaimTemplate',
      () => {
        const o = statefulSet();
        (o.spec.volumeClaimTemplates[1] as any).kind = 'PVC';
        return o;
      },
      ['spec.volumeClaimTemplates[1].kind: must be "PersistentVolumeClaim"'],
    ],
    [
      'missing container name',
      () => {
        const o = deployment();
        delete (o.spec.template.spec.containers[0] as any).name;
        return o;
      },
      ['spec.template.spec.containers[0].name: required field missing'],
    ],
    [
      'missing selector',
      () => {
        const o = deployment();
        delete (o.spec as any).selector;
        return o;
      },
      ['spec.selector: required field missing'],
    ],
    [
      'RoleBinding missing roleRef',
      () => {
        const o = validObjects.RoleBinding();
        delete o.roleRef;
        return o;
      },
      ['roleRef: required field missing'],
    ],
    ['null required roleRef', () => ({ ...validObjects.ClusterRoleBinding(), roleRef: null }), ['roleRef: must be an object']],
    [
      'containerPort as a string',
      () => {
        const o = statefulSet();
        (o.spec.template.spec.containers[0].ports[0] as any).containerPort = '80';
        return o;
      },
      ['spec.template.spec.containers[0].ports[0].containerPort: must be an integer'],
    ],
    [
      'replicas 1.5',
      () => {
        const o = statefulSet();
        o.spec.replicas = 1.5;
        return o;
      },
      ['spec.replicas: must be an integer'],
    ],
    [
      'replicas beyond a safe integer',
      () => {
        const o = statefulSet();
        o.spec.replicas = 2 ** 53;
        return o;
      },
      ['spec.replicas: must be a 32-bit integer (-2147483648 to 2147483647), not 9007199254740992'],
    ],
    [
      'label value not a string',
      () => {
        const o = validObjects.ConfigMap();
        o.metadata.labels = { replicas: 3 };
        return o;
      },
      ['metadata.labels.replicas: must be a string'],
    ],
    [
      'dotted label key',
      () => {
        const o = validObjects.ConfigMap();
        o.metadata.labels = { 'app.kubernetes.io/name': true };
        return o;
      },
      ['metadata.labels["app.kubernetes.io/name"]: must be a string'],
    ],
    [
      'bad base64 in Secret.data',
      () => {
        const o = validObjects.Secret();
        o.data.password = 'not base64!';
        return o;
      },
      ['data.password: must be base64'],
    ],
    [
      'unpadded base64 in a caBundle',
      () => {
        const o = validObjects.MutatingWebhookConfiguration();
        o.webhooks[0].clientConfig.caBundle = 'Y2VydA';
        return o;
      },
      ['webhooks[0].clientConfig.caBundle: must be base64'],
    ],
    [
      'missing webhook sideEffects',
      () => {
        const o = validObjects.MutatingWebhookConfiguration();
        delete o.webhooks[0].sideEffects;
        return o;
      },
      ['webhooks[0].sideEffects: required field missing'],
    ],
    [
      'IntOrString as a boolean',
      () => {
        const o = validObjects.PodDisruptionBudget();
        o.spec.maxUnavailable = true;
        return o;
      },
      ['spec.maxUnavailable: must be a string or an integer'],
    ],
    [
      'IntOrString as a float',
      () => {
        const o = validObjects.PodDisruptionBudget();
        o.spec.maxUnavailable = 0.5;
        return o;
      },
      ['spec.maxUnavailable: must be a string or an integer'],
    ],
    [
      'Quantity as an object',
      () => {
        const o = deployment();
        (o.spec.template.spec.containers[0].resources.limits as any).cpu = { m: 1 };
        return o;
      },
      ['spec.template.spec.containers[0].resources.limits.cpu: must be a string or a number'],
    ],
    [
      'date not RFC 3339',
      () => {
        const o = validObjects.Lease();
        o.spec.renewTime = '2024-02-30T00:00:00Z';
        o.spec.acquireTime = 'yesterday';
        return o;
      },
      ['spec.acquireTime: must be an RFC 3339 date-time string', 'spec.renewTime: must be an RFC 3339 date-time string'],
    ],
    [
      'array where an object belongs',
      () => {
        const o = deployment();
        (o.spec as any).template = [];
        return o;
      },
      ['spec.template: must be an object'],
    ],
    [
      'object where an array belongs',
      () => {
        const o = validObjects.Role();
        o.rules = { verbs: ['get'] };
        return o;
      },
      ['rules: must be an array'],
    ],
    [
      'boolean as a string',
      () => {
        const o = validObjects.ConfigMap();
        o.immutable = 'true';
        return o;
      },
      ['immutable: must be a boolean'],
    ],
    [
      'missing apiVersion',
      () => {
        const o = validObjects.ConfigMap();
        delete o.apiVersion;
        return o;
      },
      ['apiVersion: required field missing'],
    ],
    ['kind not a string', () => ({ ...validObjects.ConfigMap(), kind: 7 }), ['kind: must be a string']],
    [
      'several problems, in walk order',
      () => {
        const o = deployment();
        (o.spec.template.spec.containers[0] as any).name = 1;
        (o.spec.template.spec.containers[0] as any).foo = 1;
        delete (o.spec.template.spec as any).containers[0].image;
        (o.metadata as any).bar = 1;
        return o;
      },
      [
        'metadata.bar: unknown field "bar"',
        'spec.template.spec.containers[0].name: must be a string',
        'spec.template.spec.containers[0].foo: unknown field "foo"',
      ],
    ],
  ];
  test.each(cases)('%s', (_name, make, expected) => {
    expect(lines(validateObject(make()))?.sort()).toEqual([...expected].sort());
  });

  test('not an object', () => {
    expect(validateObject([{ apiVersion: 'v1', kind: 'ConfigMap' }])).toEqual([{ path: '', message: 'must be an object' }]);
    expect(validateObject('x')).toEqual([{ path: '', message: 'must be an object' }]);
  });

  test('IntOrString accepts "25%" and 1; Quantity accepts "1Gi" and 1', () => {
    for (const maxUnavailable of ['25%', 1, 0]) {
      const o = validObjects.PodDisruptionBudget();
      o.spec.maxUnavailable = maxUnavailable;
      expect(validateObject(o)).toEqual([]);
    }
    for (const storage of ['1Gi', 1, 0.5, '500M']) {
      const o = statefulSet();
      o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = storage as any;
      expect(validateObject(o)).toEqual([]);
    }
  });

  test('an unknown field injected anywhere in the valid manifests is reported at its path', () => {
    let checked = 0;
    for (const make of Object.values(validObjects)) {
      const visit = (node: any, path: Array<string | number>) => {
        if (node === null || typeof node !== 'object') return;
        if (Array.isArray(node)) {
          node.forEach((x, i) => visit(x, [...path, i]));
          return;
        }
        // Inside a CRD's openAPIV3Schema, `default`/`items`/`additionalProperties` are untyped (`any`) and
        // everything under `properties` is a map: a new key there is not an unknown field.
        const free =
          path.some((p) => p === 'default' || p === 'items' || p === 'additionalProperties') || path[path.length - 1] === 'properties';
        const maps = ['labels', 'matchLabels', 'selector', 'annotations', 'data', 'binaryData', 'stringData', 'requests', 'limits'];
        if (
          !free &&
          !maps.includes(String(path[path.length - 1])) &&
          !(path[path.length - 1] === 'status' && path.includes('subresources'))
        ) {
          const obj = make();
          let target = obj;
          for (const p of path) target = target[p];
          target.zzUnknown = 1;
          const where = [...path, 'zzUnknown']
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
            .join('')
            .replace(/^\./, '');
          expect(lines(validateObject(obj))).toEqual([`${where}: unknown field "zzUnknown"`]);
          checked++;
        }
        for (const k of Object.keys(node)) visit(node[k], [...path, k]);
      };
      visit(make(), []);
    }
    expect(checked).toBeGreaterThan(150);
  });
});

describe('kinds and versions', () => {
  test('unknown apiVersion/kind returns undefined', () => {
    expect(validateObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toBeUndefined();
    expect(validateObject({ apiVersion: 'apps/v1', kind: 'Statefulset' })).toBeUndefined();
    expect(validateObject({ apiVersion: 'v1', kind: 'Deployment' })).toBeUndefined();
    expect(validateObject({ apiVersion: 'v1', kind: 'List', items: [] })).toBeUndefined();
  });

  test('removed APIs are unknown: policy/v1beta1 PDB, apps/v1beta1 Deployment', () => {
    expect(validateObject({ ...validObjects.PodDisruptionBudget(), apiVersion: 'policy/v1beta1' })).toBeUndefined();
    expect(isKnownKind('policy/v1beta1', 'PodDisruptionBudget')).toBe(false);
    expect(isKnownKind('apps/v1beta1', 'Deployment')).toBe(false);
    expect(isKnownKind('policy/v1', 'PodDisruptionBudget')).toBe(true);
    expect(isKnownKind('apps/v1', 'StatefulSet', '1.13')).toBe(true);
  });

  const initializer = () => ({
    apiVersion: 'admissionregistration.k8s.io/v1alpha1',
    kind: 'InitializerConfiguration',
    metadata: { name: 'podimage' },
    initializers: [{ name: 'podimage.example.com', rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }],
  });
  const podPreset = () => ({
    apiVersion: 'settings.k8s.io/v1alpha1',
    kind: 'PodPreset',
    metadata: { name: 'allow-database' },
    spec: {
      selector: { matchLabels: { role: 'frontend' } },
      env: [{ name: 'DB_PORT', value: '6379' }],
      envFrom: [{ configMapRef: { name: 'db' } }],
      volumeMounts: [{ mountPath: '/cache', name: 'cache-volume' }],
      volumes: [{ name: 'cache-volume', emptyDir: {} }],
    },
  });

  test('InitializerConfiguration and PodPreset: unknown under 1.27, valid under 1.13', () => {
    expect(validateObject(initializer())).toBeUndefined();
    expect(validateObject(podPreset(), '1.27')).toBeUndefined();
    expect(isKnownKind('admissionregistration.k8s.io/v1alpha1', 'InitializerConfiguration')).toBe(false);
    expect(validateObject(initializer(), '1.13')).toEqual([]);
    expect(validateObject(podPreset(), '1.13')).toEqual([]);
    expect(isKnownKind('settings.k8s.io/v1alpha1', 'PodPreset', '1.13')).toBe(true);
    expect(knownKinds('1.13').length).toBe(knownKinds().length + 2);
  });

  test('1.13 legacy kinds are strict too', () => {
    const a = initializer();
    (a.initializers[0].rules[0] as any).operations = ['CREATE'];
    expect(lines(validateObject(a, '1.13'))).toEqual(['initializers[0].rules[0].operations: unknown field "operations"']);
    const b = initializer();
    delete (b.initializers[0] as any).name;
    expect(lines(validateObject(b, '1.13'))).toEqual(['initializers[0].name: required field missing']);
    const c = podPreset();
    (c.spec.env[0] as any).value = 6379;
    expect(lines(validateObject(c, '1.13'))).toEqual(['spec.env[0].value: must be a string']);
  });
});

describe('speed', () => {
  test('7,000 StatefulSet + Service + PDB + Role objects', () => {
    const objects: any[] = [];
    for (let i = 0; i < 1750; i++) {
      const l = { 'app.kubernetes.io/name': `app-${i}`, 'app.kubernetes.io/instance': `i${i}` };
      const sts = statefulSet();
      sts.metadata = { name: `app-${i}`, labels: l };
      objects.push(sts, validObjects.Service(), validObjects.PodDisruptionBudget(), validObjects.Role());
    }
    // how fast is the benchmark's business (npm run bench: validation share); here, that all are valid
    let problems = 0;
    for (const o of objects) problems += validateObject(o)!.length;
    expect(problems).toBe(0);
  });
});
