// Shared by the bench entries: `<entry> N OUTDIR` arguments, and loading the built library.
'use strict';
const fs = require('fs');
const path = require('path');

/**
 * `{ n, outdir, chartOf }` from argv; exits with usage on bad input. `chartOf(i)` is the id of the chart
 * (and output file `<id>.k8s.yaml`) app i goes into: one chart `apps` for all, or with
 * `--chart-per-app`, `app-<i>`.
 */
function parseArgs(entry) {
  const [nArg, outdir, ...rest] = process.argv.slice(2);
  const n = Number(nArg);
  const chartPerApp = rest[0] === '--chart-per-app';
  if (!Number.isInteger(n) || n < 1 || !outdir || rest.length > (chartPerApp ? 1 : 0)) {
    console.error(`usage: node bench/${entry} N OUTDIR [--chart-per-app]   (N apps of 8 objects each, written to OUTDIR)`);
    process.exit(2);
  }
  return { n, outdir, chartOf: (i) => (chartPerApp ? `app-${i}` : 'apps') };
}

const BUILT = path.join(__dirname, '..', '..', 'build', 'lib', 'index.js');

/** The compiled library (build/lib), as a user of the package gets it. */
function loadLibrary() {
  if (!fs.existsSync(BUILT)) {
    console.error(
      `${path.relative(process.cwd(), BUILT)} is missing: run \`npm run build\` (or \`npm ci\`, whose prepare step builds) first`,
    );
    process.exit(2);
  }
  return require(BUILT);
}

/** `i => Chart` for a cdk8s app: the chart of app i (see `chartOf`), made on first use. */
function chartsIn(app, chartOf) {
  const { Chart } = require('cdk8s');
  const charts = new Map();
  return (i) => {
    const id = chartOf(i);
    let chart = charts.get(id);
    if (!chart) charts.set(id, (chart = new Chart(app, id)));
    return chart;
  };
}

module.exports = { parseArgs, loadLibrary, chartsIn };
