// `npm run synth` / `npx cdk8s synth`: runs apps/main.ts through the transpile-only hook.
// v8-compile-cache keeps V8's compiled code of cdk8s, cdk8s-plus-27 and our modules between runs
// (about 90 ms of the ~450 ms a synth of every example takes).
'use strict';
require('v8-compile-cache');
require('./ts-hook').register();
process.env.CDK8S_PATTERNS_SYNTH = '1';
require('./main.ts');
