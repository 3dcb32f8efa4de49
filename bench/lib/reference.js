// The 8 objects of one stateful app as plain JSON: exactly what `bench/stateful-apps.js` writes
// (safe defaults included), so every comparison entry produces the same objects and the equality
// check in the runner can hold them to it.
'use strict';

/** The application the bench's objects are part of (`PatternDefaults.partOf` in our entry). */
const PART_OF = 'stateful-apps';

/** The recommended `app.kubernetes.io/*` labels our entry writes on every object of app `name` and on its pods. */
function recommendedLabels(name) {
  return {
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/managed-by': 'cdk8s-patterns',
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/version': '1.25',
  };
}

/** The objects of app `name`, in the order our constructs write them. */
function statefulApp(name) {
  // fresh objects at each use, as rendered objects are (shared ones would make `yaml` write anchors)
  const selector = () => ({ 'app.kubernetes.io/name': name });
  const ports = () => [{ name: 'http', port: 80, targetPort: 'http' }];
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: recommendedLabels(name), name },
      spec: { clusterIP: 'None', ports: ports(), selector: selector() },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { labels: recommendedLabels(name), name },
      spec: {
        podManagementPolicy: 'OrderedReady',
        replicas: 3,
        selector: { matchLabels: selector() },
        serviceName: name,
        template: {
          metadata: {
            annotations: {
              'cdk8s-patterns.io/pod-security': 'baseline',
              'cdk8s-patterns.io/pod-security-reason': 'stock nginx image starts as root',
            },
            labels: recommendedLabels(name),
          },
          spec: {
            automountServiceAccountToken: true,
            containers: [
              {
                image: 'nginx:1.25',
                name: 'nginx',
                ports: [{ containerPort: 80, name: 'http' }],
                readinessProbe: { failureThreshold: 3, httpGet: { path: '/', port: 80, scheme: 'HTTP' } },
                resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
                volumeMounts: [
                  { mountPath: '/data', name: 'data' },
                  { mountPath: '/tmp', name: 'rw-nginx-tmp' },
                  { mountPath: '/var/cache/nginx', name: 'rw-nginx-var-cache-nginx' },
                  { mountPath: '/var/run', name: 'rw-nginx-var-run' },
                ],
              },
            ],
            securityContext: { fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } },
            serviceAccountName: name,
            volumes: [
              { emptyDir: {}, name: 'rw-nginx-tmp' },
              { emptyDir: {}, name: 'rw-nginx-var-cache-nginx' },
              { emptyDir: {}, name: 'rw-nginx-var-run' },
            ],
          },
        },
        updateStrategy: { type: 'RollingUpdate' },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: recommendedLabels(name), name: `${name}-read` },
      spec: { ports: ports(), selector: selector() },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { labels: recommendedLabels(name), name },
      spec: {
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] }],
        podSelector: { matchLabels: selector() },
        policyTypes: ['Ingress'],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { labels: recommendedLabels(name), name },
      spec: { minAvailable: 2, selector: { matchLabels: selector() } },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { labels: recommendedLabels(name), name }, automountServiceAccountToken: false },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { labels: recommendedLabels(name), name },
      rules: [{ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { labels: recommendedLabels(name), name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name }],
    },
  ];
}

module.exports = { statefulApp, recommendedLabels, PART_OF };
