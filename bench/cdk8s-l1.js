#!/usr/bin/env node
// `node bench/cdk8s-l1.js N OUTDIR [--chart-per-app]`: the same N stateful apps written with cdk8s's typed L1 classes
// (the `k8s` module cdk8s-plus-27 ships, as `cdk8s import` generates it) and `app.synth()`.
'use strict';
const path = require('path');
const { App } = require('cdk8s');
const { Construct } = require('constructs');
const { k8s } = require('cdk8s-plus-27');
const { chartsIn, parseArgs } = require('./lib/args');
const { recommendedLabels } = require('./lib/reference');

const { IntOrString, Quantity } = k8s;
const { n, outdir, chartOf } = parseArgs('cdk8s-l1.js');

function addStatefulApp(chart, name) {
  const scope = new Construct(chart, name);
  const selector = { 'app.kubernetes.io/name': name };
  const labels = recommendedLabels(name);
  const ports = [{ name: 'http', port: 80, targetPort: IntOrString.fromString('http') }];
  new k8s.KubeService(scope, 'headless', { metadata: { name, labels }, spec: { clusterIp: 'None', ports, selector } });
  new k8s.KubeStatefulSet(scope, 'sts', {
    metadata: { name, labels },
    spec: {
      podManagementPolicy: 'OrderedReady',
      replicas: 3,
      selector: { matchLabels: selector },
      serviceName: name,
      template: {
        metadata: {
          annotations: {
            'cdk8s-patterns.io/pod-security': 'baseline',
            'cdk8s-patterns.io/pod-security-reason': 'stock nginx image starts as root',
          },
          labels,
        },
        spec: {
          automountServiceAccountToken: true,
          containers: [
            {
              image: 'nginx:1.25',
              name: 'nginx',
              ports: [{ containerPort: 80, name: 'http' }],
              readinessProbe: { failureThreshold: 3, httpGet: { path: '/', port: IntOrString.fromNumber(80), scheme: 'HTTP' } },
              resources: {
                limits: { cpu: Quantity.fromString('500m'), memory: Quantity.fromString('256Mi') },
                requests: { cpu: Quantity.fromString('100m'), memory: Quantity.fromString('128Mi') },
              },
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
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: Quantity.fromString('1Gi') } } },
        },
      ],
    },
  });
  new k8s.KubeService(scope, 'read', { metadata: { name: `${name}-read`, labels }, spec: { ports, selector } });
  new k8s.KubeNetworkPolicy(scope, 'netpol', {
    metadata: { name, labels },
    spec: {
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: IntOrString.fromString('http'), protocol: 'TCP' }] }],
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'],
    },
  });
  new k8s.KubePodDisruptionBudget(scope, 'pdb', {
    metadata: { name, labels },
    spec: { minAvailable: IntOrString.fromNumber(2), selector: { matchLabels: selector } },
  });
  new k8s.KubeServiceAccount(scope, 'sa', { metadata: { name, labels }, automountServiceAccountToken: false });
  new k8s.KubeRole(scope, 'role', {
    metadata: { name, labels },
    rules: [{ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list', 'watch'] }],
  });
  new k8s.KubeRoleBinding(scope, 'binding', {
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name }],
  });
}

const app = new App({ outdir: path.resolve(outdir) });
const chartFor = chartsIn(app, chartOf);
for (let i = 0; i < n; i++) addStatefulApp(chartFor(i), `app-${i}`);
app.synth();
