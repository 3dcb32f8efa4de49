// jest transform: the same transpile-only compile as the synth path (jest caches the output).
'use strict';
const { compile } = require('../apps/ts-hook');
module.exports = { process: (source, filename) => ({ code: compile(source, filename) }) };
