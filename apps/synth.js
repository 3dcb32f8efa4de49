// `npm run synth` / `npx cdk8s synth`: runs apps/main.ts through the transpile-only hook.
'use strict';
require('./ts-hook').register();
process.env.CDK8S_PATTERNS_SYNTH = '1';
require('./main.ts');
