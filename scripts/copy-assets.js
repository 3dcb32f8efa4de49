// Copies the data files the library reads at run time next to the compiled modules in build/.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
for (const file of ['lib/validation/schema/k8s-1.27.json', 'lib/monitoring/prometheus-operator-schemas.json']) {
  fs.cpSync(path.join(root, file), path.join(root, 'build', file));
}
