#!/usr/bin/env node
// `node bench/cdk8s-plus-27.js N OUTDIR [--chart-per-app]`: the same N stateful apps hand-wired from cdk8s-plus-27 L2
// constructs (StatefulSet, Service, ServiceAccount, Role, RoleBinding) and an L1 PodDisruptionBudget
// (plus-27 has none), with `app.synth()`. plus-27 has no claim templates and no seccomp profile and
// writes defaults that carry no meaning, so the objects are brought to the same content with JSON
// patches, the escape hatch plus documents. Patched values pass through the typed L1 serializers,
// which read IntOrString and Quantity fields as `{ value }` (cdk8s issue 908): hence the wrapped values;
// patch paths use the L1 property names where they differ (`setHostnameAsFqdn`).
'use strict';
const path = require('path');
const { ApiObject, App, JsonPatch, Size } = require('cdk8s');
const { Construct } = require('constructs');
const plus = require('cdk8s-plus-27');
const { chartsIn, parseArgs } = require('./lib/args');
const { recommendedLabels } = require('./lib/reference');

const { IntOrString, Quantity } = plus.k8s;
const { n, outdir, chartOf } = parseArgs('cdk8s-plus-27.js');
const ADDR_LABEL = '/cdk8s.io~1metadata.addr';

/** Applies JSON patches to the API object behind a plus construct. */
function patch(construct, ...patches) {
  ApiObject.of(construct).addJsonPatch(...patches);
}

/** A Service on port 80 whose target is the container port's name. */
function addService(scope, id, metadata, props = {}) {
  const svc = new plus.Service(scope, id, { metadata, ports: [{ name: 'http', port: 80 }], ...props });
  patch(
    svc,
    JsonPatch.remove('/spec/externalIPs'),
    JsonPatch.remove('/spec/type'),
    JsonPatch.replace('/spec/ports/0/targetPort', IntOrString.fromString('http')),
  );
  return svc;
}

function addStatefulApp(chart, name) {
  const scope = new Construct(chart, name);
  const serviceAccount = new plus.ServiceAccount(scope, 'sa', {
    metadata: { name, labels: recommendedLabels(name) },
    automountToken: false,
  });
  const headless = addService(scope, 'headless', { name, labels: recommendedLabels(name) }, { clusterIP: 'None' });
  headless.selectLabel('app.kubernetes.io/name', name);
  const sts = new plus.StatefulSet(scope, 'sts', {
    metadata: { name, labels: recommendedLabels(name) },
    service: headless,
    replicas: 3,
    serviceAccount,
    automountServiceAccountToken: true,
    select: false,
    podMetadata: {
      annotations: {
        'cdk8s-patterns.io/pod-security': 'baseline',
        'cdk8s-patterns.io/pod-security-reason': 'stock nginx image starts as root',
      },
    },
    securityContext: { ensureNonRoot: false },
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        ports: [{ name: 'http', number: 80 }],
        readiness: plus.Probe.fromHttpGet('/'),
        resources: {
          cpu: { request: plus.Cpu.millis(100), limit: plus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        securityContext: { allowPrivilegeEscalation: false, ensureNonRoot: false },
      },
    ],
  });
  sts.select(plus.LabelSelector.of({ labels: { 'app.kubernetes.io/name': name } }));
  for (const [key, value] of Object.entries(recommendedLabels(name))) sts.podMetadata.addLabel(key, value);
  patch(headless, JsonPatch.remove(`/spec/selector${ADDR_LABEL}`));
  const pod = '/spec/template/spec';
  patch(
    sts,
    JsonPatch.remove('/spec/minReadySeconds'),
    JsonPatch.replace('/spec/updateStrategy', { type: 'RollingUpdate' }),
    JsonPatch.remove(`/spec/template/metadata/labels${ADDR_LABEL}`),
    ...['dnsPolicy', 'hostNetwork', 'restartPolicy', 'setHostnameAsFqdn', 'terminationGracePeriodSeconds'].map((f) =>
      JsonPatch.remove(`${pod}/${f}`),
    ),
    JsonPatch.replace(`${pod}/securityContext`, {
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    }),
    JsonPatch.remove(`${pod}/containers/0/imagePullPolicy`),
    JsonPatch.replace(`${pod}/containers/0/securityContext`, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true }),
    JsonPatch.add(`${pod}/containers/0/volumeMounts`, [
      { mountPath: '/data', name: 'data' },
      { mountPath: '/tmp', name: 'rw-nginx-tmp' },
      { mountPath: '/var/cache/nginx', name: 'rw-nginx-var-cache-nginx' },
      { mountPath: '/var/run', name: 'rw-nginx-var-run' },
    ]),
    JsonPatch.add(`${pod}/volumes`, [
      { emptyDir: {}, name: 'rw-nginx-tmp' },
      { emptyDir: {}, name: 'rw-nginx-var-cache-nginx' },
      { emptyDir: {}, name: 'rw-nginx-var-run' },
    ]),
    JsonPatch.add('/spec/volumeClaimTemplates', [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: Quantity.fromString('1Gi') } } },
      },
    ]),
  );
  const read = addService(scope, 'read', { name: `${name}-read`, labels: recommendedLabels(name) });
  read.selectLabel('app.kubernetes.io/name', name);
  // ingress on the Service's target port from every pod of the cluster, as our StatefulService writes it
  new plus.k8s.KubeNetworkPolicy(scope, 'netpol', {
    metadata: { name, labels: recommendedLabels(name) },
    spec: {
      ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: IntOrString.fromString('http'), protocol: 'TCP' }] }],
      podSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
      policyTypes: ['Ingress'],
    },
  });
  new plus.k8s.KubePodDisruptionBudget(scope, 'pdb', {
    metadata: { name, labels: recommendedLabels(name) },
    spec: { minAvailable: IntOrString.fromNumber(2), selector: { matchLabels: { 'app.kubernetes.io/name': name } } },
  });
  const role = new plus.Role(scope, 'role', { metadata: { name, labels: recommendedLabels(name) } });
  role.allow(['get', 'list', 'watch'], plus.ApiResource.PODS, plus.ApiResource.CONFIG_MAPS);
  // plus writes one rule per resource; one rule for both is the same grant
  patch(role, JsonPatch.replace('/rules', [{ apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['get', 'list', 'watch'] }]));
  const binding = new plus.RoleBinding(scope, 'binding', { metadata: { name, labels: recommendedLabels(name) }, role });
  binding.addSubjects(serviceAccount);
  patch(binding, JsonPatch.remove('/subjects/0/apiGroup'));
}

const app = new App({ outdir: path.resolve(outdir) });
const chartFor = chartsIn(app, chartOf);
for (let i = 0; i < n; i++) addStatefulApp(chartFor(i), `app-${i}`);
app.synth();
