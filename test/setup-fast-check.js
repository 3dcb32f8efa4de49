// Property tests are seeded: every run checks the same cases, and a failure can be replayed. fast-check
// prints the seed and path of a counterexample; run `FC_SEED=<seed> npx jest <file>` to get it again, or
// set FC_SEED to explore other cases.
'use strict';
const fc = require('fast-check');

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261127;
fc.configureGlobal({ seed });
