// `npm run synth` / `npx cdk8s synth`: runs apps/main.ts through the transpile-only hook.
// v8-compile-cache keeps V8's compiled code of cdk8s, cdk8s-plus-27 and our modules between runs
// (about 90 ms of the ~450 ms a synth of every example takes).
// A PatternError (bad props at construction, problems found at synth) is printed once, each problem on
// its own line, without a stack trace, and the exit code is 1; other errors keep their stack trace.
'use strict';
require('v8-compile-cache');
require('./ts-hook').register();
process.env.CDK8S_PATTERNS_SYNTH = '1';
try {
  // CDK8S_PATTERNS_MAIN: another entry module (the tests run a broken app through this entry)
  require(process.env.CDK8S_PATTERNS_MAIN || './main.ts');
} catch (e) {
  if (!(e instanceof Error) || e.name !== 'PatternError') throw e;
  process.stderr.write(`synth failed: ${e.message}\n`);
  process.exitCode = 1;
}
