#!/usr/bin/env node
// `npm run bench [-- options]`: times this library against the YAML floor, cdk8s L1, cdk8s-plus-27
// and (when available) `helm template` and `kubectl kustomize`, all writing the same N stateful apps
// (8 objects each). Every tool runs as its own process; each is first run once at each N and its
// objects are checked equal to the floor's (a fast wrong answer cannot win), which doubles as the
// warm-up; then the measured runs go round-robin over the tools, so drift hits all alike.
//
//   --quick            N = 10, 100, 1000; the checked run is the only (unwarmed) timed run; no helm;
//                      the validation share from one CPU profile
//                      download, synth timings or profiles (under a minute); exits 1 when any output differs
//   --n 10,100         the Ns to run              --runs K       measured runs per (tool, N)
//   --tools a,b        ids: floor l1 plus ours helm kustomize
//   --no-helm          skip helm and kustomize     --kustomize-max N   largest N for kustomize (100)
//   --chart-per-app    one chart (and file) per app instead of one chart for all
//   --no-synth         skip timing `npm run synth` and `npx cdk8s synth`
//   --no-profile       skip the CPU profiles that measure the share of synth-time validation
//   --write            also put the report into bench/RESULTS.md (between its markers for the layout)
//   --no-review        skip bench/review-diff.js (the release review diff of two 5,000-object trees)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { inclusiveTimes } = require('./lib/profile');
const { median, fmtMs } = require('./lib/stats');
const { TOOLS, OUT, ROOT, checkEqual, fetchHelm, freshDir, helmBinary, kubectlBinary, run, runner, version } = require('./lib/tools');

const FULL_NS = [10, 100, 1000, 5000];
const QUICK_NS = [10, 100, 1000];
const OBJECTS_PER_APP = require('./lib/reference').statefulApp('app-0').length;

function parseOptions(argv) {
  const opts = { quick: false, helm: true, synth: true, profile: true, write: false, kustomizeMax: 100, layout: [], review: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--n') opts.ns = next().split(',').map(Number);
    else if (a === '--runs') opts.runs = Number(next());
    else if (a === '--tools') opts.tools = next().split(',');
    else if (a === '--no-helm') opts.helm = false;
    else if (a === '--kustomize-max') opts.kustomizeMax = Number(next());
    else if (a === '--no-synth') opts.synth = false;
    else if (a === '--no-profile') opts.profile = false;
    else if (a === '--chart-per-app') opts.layout = ['--chart-per-app'];
    else if (a === '--write') opts.write = true;
    else if (a === '--no-review') opts.review = false;
    else usage(`unknown option ${a}`);
  }
  if (opts.quick) {
    opts.synth = false; // the validation share is still profiled, once (see checkShares)
  }
  opts.ns ??= opts.quick ? QUICK_NS : FULL_NS;
  if (opts.ns.some((n) => !Number.isInteger(n) || n < 1)) usage('--n takes positive integers');
  if (opts.runs !== undefined && !(Number.isInteger(opts.runs) && opts.runs >= 1)) usage('--runs takes a positive integer');
  return opts;
}

function usage(message) {
  console.error(
    `${message}\nusage: npm run bench -- [--quick] [--n 10,100] [--runs K] [--tools floor,ours] [--no-helm] [--kustomize-max N] [--chart-per-app] [--no-synth] [--no-profile] [--write]`,
  );
  process.exit(2);
}

/** Measured runs at `n` after the checked run: 5, 3 at the largest sizes (each takes seconds), none in quick mode. */
function runsFor(n, opts) {
  if (opts.runs !== undefined) return opts.runs;
  if (opts.quick) return 0;
  return n >= 5000 ? 3 : 5;
}

const fmtMb = (kb) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);

/** Which tools run, and notes on the ones that cannot. */
function selectTools(opts) {
  const notes = [];
  let tools = TOOLS.filter((t) => !opts.tools || opts.tools.includes(t.id));
  if (!tools.some((t) => t.id === 'floor')) tools = [TOOLS[0], ...tools]; // the reference for equality and ratios
  const external = tools.filter((t) => t.external);
  if (external.length > 0) {
    let why = !opts.helm ? 'skipped (--no-helm)' : undefined;
    if (!why && !helmBinary()) {
      why = opts.quick ? 'skipped (quick mode does not download helm; run `npm run bench` once)' : fetchHelm();
      if (why && !opts.quick) why = `skipped: ${why}`;
    }
    if (why) {
      notes.push(`helm and kustomize ${why}.`);
      tools = tools.filter((t) => !t.external);
    } else if (!kubectlBinary()) {
      tools = tools.filter((t) => t.id !== 'kustomize');
    }
  }
  return { tools, notes };
}

/**
 * The share of our synth spent in checks, from CPU profiles of our entry at `n` (median of `runs`):
 * app-wide validation (`runChecks`: schema and cross-object rules) and construct checks.
 */
function checkShares(n, runs, layout) {
  const dir = path.join(OUT, 'profiles');
  const outdir = path.join(OUT, 'runs', `profiled-${n}`);
  const names = ['runChecks@synth/pipeline.js', 'checkConstructs@synth/construct-checks.js'];
  const samples = [];
  for (let i = 0; i < runs; i++) {
    freshDir(dir);
    freshDir(outdir);
    run({
      cmd: process.execPath,
      args: ['--cpu-prof', '--cpu-prof-dir', dir, path.join(ROOT, 'bench', 'stateful-apps.js'), String(n), outdir, ...layout],
    });
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    samples.push(inclusiveTimes(path.join(dir, file), names));
  }
  const share = (name) => median(samples.map((s) => s.ms[name] / s.totalMs));
  const validation = share(names[0]);
  return { n, runs, validation, adds: validation / (1 - validation), constructChecks: share(names[1]) };
}

/** Times `npm run synth` and `npx cdk8s synth` (all examples), after one warm-up each. */
function timeSynth(runs) {
  const commands = [
    { label: '`npm run synth` (all examples)', cmd: 'npm', args: ['run', '--silent', 'synth'], target: 600 },
    { label: '`npx cdk8s synth`', cmd: 'npx', args: ['--no-install', 'cdk8s', 'synth'], target: 1200 },
  ];
  return commands.map((c) => {
    run(c);
    const ms = [];
    for (let i = 0; i < runs; i++) ms.push(run(c).ms);
    return { ...c, ms: median(ms), runs };
  });
}

function main() {
  const opts = parseOptions(process.argv.slice(2));
  const base = path.join(OUT, 'runs');
  fs.mkdirSync(base, { recursive: true });
  const { tools, notes } = selectTools(opts);
  const results = new Map(); // `${id}:${n}` -> { ms, rssKb, runs }
  const failures = [];
  const started = Date.now();

  for (const n of opts.ns) {
    const active = tools.filter((t) => t.id !== 'kustomize' || n <= opts.kustomizeMax);
    log(`N=${n}: checking that ${active.map((t) => t.id).join(', ')} write the same ${n * OBJECTS_PER_APP} objects`);
    const { timings, problems } = checkEqual(active, n, base, opts.layout);
    for (const [id, diff] of problems) failures.push(`${id} at N=${n}: ${diff}`);
    const timed = active.filter((t) => !problems.has(t.id));
    const runs = runsFor(n, opts);
    // with no measured runs, the checked run is the sample
    const samples = new Map(timed.map((t) => [t.id, runs === 0 ? [timings.get(t.id)] : []]));
    const runners = new Map(timed.map((t) => [t.id, runner(t, n, base, opts.layout)]));
    for (let r = 0; r < runs; r++) {
      for (const t of timed) samples.get(t.id).push(runners.get(t.id)());
    }
    for (const t of timed) {
      const s = samples.get(t.id);
      const rss = s.map((x) => x.rssKb).filter((x) => x !== undefined);
      results.set(`${t.id}:${n}`, { ms: median(s.map((x) => x.ms)), rssKb: rss.length ? Math.max(...rss) : undefined, runs: s.length });
      log(`  ${t.id.padEnd(9)} ${fmtMs(results.get(`${t.id}:${n}`).ms).padStart(8)}  ${fmtMb(results.get(`${t.id}:${n}`).rssKb)}`);
    }
    freshDir(base); // N=5000 outputs take hundreds of MB
  }
  const synth = opts.synth ? timeSynth(5) : [];
  const profileN = opts.ns.includes(1000) ? 1000 : opts.ns[opts.ns.length - 1];
  const shares = opts.profile ? checkShares(profileN, opts.quick ? 1 : 3, opts.layout) : undefined;
  const report = renderReport({ opts, tools, results, notes, failures, synth, shares, seconds: (Date.now() - started) / 1000 });
  fs.writeFileSync(path.join(OUT, 'results.md'), report);
  console.log(`\n${report}`);
  if (opts.write) writeResults(report, opts.layout);
  if (opts.review) {
    require('child_process').spawnSync(
      process.execPath,
      [path.join(__dirname, 'review-diff.js'), ...(opts.quick ? ['--runs', '1'] : []), ...(opts.write ? ['--write'] : [])],
      { stdio: 'inherit' },
    );
  }
  if (failures.length > 0) {
    console.error(`\nOUTPUTS DIFFER:\n${failures.join('\n')}`);
    process.exit(1);
  }
}

function log(line) {
  process.stderr.write(`${line}\n`);
}

function renderReport({ opts, tools, results, notes, failures, synth, shares, seconds }) {
  const ns = opts.ns;
  const get = (id, n) => results.get(`${id}:${n}`);
  const floor = (n) => get('floor', n);
  const ratio = (id, n) => get(id, n).ms / floor(n).ms;
  const lines = [];
  const header = (cells) => [`| ${cells.join(' | ')} |`, `|${cells.map(() => '---').join('|')}|`];
  const nLabel = (n) => `N=${n}${n >= 1000 ? ` (${((n * OBJECTS_PER_APP) / 1000).toLocaleString('en')}k objects)` : ''}`;

  lines.push('Whole-process wall time (median) as a ratio to the floor, in one run:', '');
  lines.push(...header(['tool', ...ns.map(nLabel)]));
  for (const t of tools) {
    const cells = ns.map((n) => {
      if (!get(t.id, n) || !floor(n)) return '—';
      const r = `${ratio(t.id, n).toFixed(2)}×`;
      return t.id === 'floor' || n === ns[0] || n === ns[ns.length - 1] ? `${r} (${fmtMs(get(t.id, n).ms)})` : r;
    });
    lines.push(`| ${t.label} | ${cells.join(' | ')} |`);
  }

  lines.push('', 'Details: median wall, peak RSS (max over the measured runs), ms per 1000 objects, measured runs:', '');
  lines.push(...header(['tool', 'N', 'median wall', 'ratio', 'peak RSS', 'ms / 1000 objects', 'runs']));
  for (const t of tools) {
    for (const n of ns) {
      const r = get(t.id, n);
      if (!r) continue;
      const per1000 = (r.ms / (n * OBJECTS_PER_APP)) * 1000;
      lines.push(
        `| ${t.id} | ${n} | ${fmtMs(r.ms)} | ${ratio(t.id, n).toFixed(2)}× | ${fmtMb(r.rssKb)} | ${per1000.toFixed(1)} | ${r.runs} |`,
      );
    }
  }

  const [lo, hi] = [ns.filter((n) => n >= 1000)[0], ns[ns.length - 1]];
  if (lo !== undefined && hi > lo) {
    lines.push(
      '',
      `Linearity, N=${lo}→${hi}: marginal cost per 1000 objects (the extra time over the extra objects) against the`,
      `amortized cost at N=${hi} (time over all objects, start-up included); within 15% means no super-linear term:`,
      '',
    );
    lines.push(...header(['tool', 'marginal ms / 1000 objects', `amortized at N=${hi}`, 'marginal / amortized']));
    for (const t of tools) {
      const a = get(t.id, lo);
      const b = get(t.id, hi);
      if (!a || !b) continue;
      const marginal = ((b.ms - a.ms) / ((hi - lo) * OBJECTS_PER_APP)) * 1000;
      const amortized = (b.ms / (hi * OBJECTS_PER_APP)) * 1000;
      lines.push(`| ${t.id} | ${marginal.toFixed(1)} | ${amortized.toFixed(1)} | ${(marginal / amortized).toFixed(2)} |`);
    }
  }

  if (synth.length > 0) {
    lines.push('', `Example synth (median of ${synth[0].runs} after a warm-up):`, '');
    lines.push(...header(['command', 'median wall', 'target']));
    for (const s of synth) lines.push(`| ${s.label} | ${fmtMs(s.ms)} | ≤ ${fmtMs(s.target)} |`);
  }

  if (shares) {
    const pct = (x) => `${(x * 100).toFixed(1)}%`;
    lines.push(
      '',
      `Synth-time checks in our run at N=${shares.n} (CPU profiles, median of ${shares.runs}): app-wide validation (schema and`,
      `cross-object rules, \`runChecks\`) takes ${pct(shares.validation)} of the process, i.e. it adds ${pct(shares.adds)} to the synth without it;`,
      `construct checks (props and invariants, \`checkConstructs\`) take ${pct(shares.constructChecks)}.`,
    );
  }

  const pkg = (name) => require(path.join(ROOT, 'node_modules', name, 'package.json')).version;
  const versions = [
    `node ${process.version}`,
    `cdk8s ${pkg('cdk8s')}`,
    `cdk8s-plus-27 ${pkg('cdk8s-plus-27')}`,
    `constructs ${pkg('constructs')}`,
    `yaml ${pkg('yaml')}`,
  ];
  if (tools.some((t) => t.id === 'helm')) versions.push(`helm ${version('helm')}`);
  if (tools.some((t) => t.id === 'kustomize')) versions.push(version('kustomize'));
  lines.push(
    '',
    `Run: ${new Date().toISOString().slice(0, 10)}, \`npm run bench${opts.quick ? ' -- --quick' : ''}\` (${Math.round(seconds)} s)${opts.quick ? ': one unwarmed run per tool, for a rough picture only' : ''}.`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0].model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}.`,
    `Versions: ${versions.join(', ')}.`,
    `Each run is one whole process (start-up, synth, files written); outputs were checked equal to the floor's before timing${failures.length ? ' (see failures)' : ''}.`,
    opts.layout.length
      ? 'Layout: one chart (and file) per app.'
      : 'Layout: all apps in one chart (one file; helm and kustomize write one stream).',
  );
  if (tools.some((t) => t.id === 'kustomize') && ns.some((n) => n > opts.kustomizeMax)) {
    lines.push(`kustomize only up to N=${opts.kustomizeMax}: its time grows quadratically with the number of resources.`);
  }
  lines.push(...notes);
  if (failures.length > 0) lines.push('', 'Failures (not timed):', ...failures.map((f) => `- ${f.split('\n')[0]}`));
  return `${lines.join('\n')}\n`;
}

/** Replaces the generated block of bench/RESULTS.md (one block per layout). */
function writeResults(report, layout) {
  const block = layout.length ? 'bench-chart-per-app' : 'bench';
  const [begin, end] = [`<!-- ${block}:begin -->`, `<!-- ${block}:end -->`];
  const file = path.join(ROOT, 'bench', 'RESULTS.md');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `# Bench results\n\n${begin}\n${end}\n`;
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${file} has no ${begin} … ${end} block`);
  fs.writeFileSync(file, `${text.slice(0, start + begin.length)}\n${report}${text.slice(stop)}`);
}

main();
