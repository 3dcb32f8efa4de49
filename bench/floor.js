#!/usr/bin/env node
// `node bench/floor.js N OUTDIR [--chart-per-app]`: the floor. Writes the same N stateful apps as plain objects with
// the `yaml` package (the serializer cdk8s itself uses, with cdk8s's options), into the same files.
// No constructs, no checks: what any cdk8s tool costs at least.
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const { parseArgs } = require('./lib/args');
const { statefulApp } = require('./lib/reference');

const { n, outdir, chartOf } = parseArgs('floor.js');
const files = new Map(); // file -> documents
for (let i = 0; i < n; i++) {
  const file = `${chartOf(i)}.k8s.yaml`;
  const docs = files.get(file) ?? [];
  files.set(file, docs);
  for (const o of statefulApp(`app-${i}`)) docs.push(YAML.stringify(o, { keepUndefined: true, lineWidth: 0, version: '1.1' }));
}
fs.mkdirSync(outdir, { recursive: true });
for (const [file, docs] of files) fs.writeFileSync(path.join(outdir, file), docs.join('---\n'));
