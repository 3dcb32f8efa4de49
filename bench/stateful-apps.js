#!/usr/bin/env node
// `node bench/stateful-apps.js N OUTDIR [--chart-per-app]`: synthesizes N "stateful apps" with this
// library's public constructs into OUTDIR/apps.k8s.yaml (or one chart and file per app). Each app is 8 objects: a
// StatefulSet with a claim template, its headless Service, a client Service, its NetworkPolicy, a PodDisruptionBudget,
// a ServiceAccount, a Role and the RoleBinding that grants it to the ServiceAccount.
'use strict';
const path = require('path');
const { Construct } = require('constructs');
const { chartsIn, loadLibrary, parseArgs } = require('./lib/args');

const { n, outdir, chartOf } = parseArgs('stateful-apps.js');
const lib = loadLibrary();
const { Size } = require('cdk8s');
const { Probe } = require('cdk8s-plus-27');
const { Access, DisruptionBudget, PatternDefaults, PatternsApp, PodSecurity, RbacResource, StatefulService } = lib;
const { PART_OF } = require('./lib/reference');

/** One stateful app, the way a user writes it. */
function addStatefulApp(chart, name) {
  const scope = new Construct(chart, name);
  const svc = new StatefulService(scope, 'Service', {
    name,
    replicas: 3,
    podSecurity: PodSecurity.baseline('stock nginx image starts as root'),
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        ports: [{ name: 'http', number: 80 }],
        readiness: Probe.fromHttpGet('/'),
        // the root filesystem is read-only: nginx writes its caches and pid file here (and /tmp, a default)
        writablePaths: ['/var/cache/nginx', '/var/run'],
        resources: {
          cpu: { request: '100m', limit: '500m' },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
      },
    ],
    claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    readServiceOptions: {},
    budget: DisruptionBudget.minAvailable(2),
  });
  // its own ServiceAccount (token mounted), a Role and a RoleBinding, all named after it
  Access.forWorkload(svc).read(RbacResource.PODS, RbacResource.CONFIG_MAPS);
}

const app = new PatternsApp({ outdir: path.resolve(outdir) });
// the recommended part-of label, the same whichever chart an app lands in
PatternDefaults.set(app, { partOf: PART_OF });
const chartFor = chartsIn(app, chartOf);
for (let i = 0; i < n; i++) addStatefulApp(chartFor(i), `app-${i}`);
app.synth();
