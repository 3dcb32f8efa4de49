// Writes lib/monitoring/prometheus-operator-schemas.json: the openAPIV3Schema of the prometheus-operator
// CRDs the library types (ServiceMonitor, PodMonitor, PrometheusRule; monitoring.coreos.com/v1),
// trimmed for validation: descriptions and CEL rules (x-kubernetes-validations, which the validator does
// not evaluate) are dropped; every field, type, enum, pattern, bound and `required` list is kept, so a
// manifest the operator accepts passes and a misspelled field is an unknown field.
//
// Usage: node scripts/trim-monitoring-crds.js <dir> <version>
//   <dir> holds monitoring.coreos.com_{servicemonitors,podmonitors,prometheusrules}.yaml of
//   prometheus-operator's example/prometheus-operator-crd/ at tag <version> (e.g. v0.93.0).
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const [dir, version] = process.argv.slice(2);
if (!dir || !version) {
  process.stderr.write('usage: node scripts/trim-monitoring-crds.js <dir> <version>\n');
  process.exit(2);
}

const DROP = new Set(['description', 'x-kubernetes-validations']);

function trim(node) {
  if (Array.isArray(node)) return node.map(trim);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k)) continue;
    // property names are data, not keywords: keep a field called "description"
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, trim(s)])) : trim(v);
  }
  return out;
}

const kinds = {};
for (const plural of ['servicemonitors', 'podmonitors', 'prometheusrules']) {
  const crd = YAML.parse(fs.readFileSync(path.join(dir, `monitoring.coreos.com_${plural}.yaml`), 'utf8'));
  for (const v of crd.spec.versions) {
    kinds[`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`] = trim(v.schema.openAPIV3Schema);
  }
}
const out = {
  // named in hints: "schema: prometheus-operator v0.93.0 CRDs"
  source: `prometheus-operator ${version} CRDs`,
  url: `https://github.com/prometheus-operator/prometheus-operator/tree/${version}/example/prometheus-operator-crd`,
  license: 'Apache-2.0',
  trimmed: 'descriptions and CEL rules (x-kubernetes-validations) removed',
  kinds,
};
fs.writeFileSync(path.join(__dirname, '..', 'lib', 'monitoring', 'prometheus-operator-schemas.json'), `${JSON.stringify(out)}\n`);
