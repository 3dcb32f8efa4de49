#!/usr/bin/env node
// `node bench/review-diff.js [--runs K] [--write]` (also run by `npm run bench`): times `cdk8s-patterns diff` on
// two 5,000-object trees (625 stateful apps of 8 objects, `bench/lib/reference.js`, written like the floor
// writes them: one file, `yaml` with cdk8s's options). Target: under 2 s for the whole process.
//
//   release      a typical release: 36 StatefulSets get a new image, 10 a bigger claim template (breaking),
//                10 Roles grant more, 5 StatefulSets renamed, 5 apps removed and 5 added (rename detection
//                pairs most of their objects as renames: apart from the name they are the same objects)
//   every-object every object of the tree changed (an annotation added to each): every document is parsed
//                on both sides, the worst case
//
// Each scenario: one warm-up, then K measured runs (default 5) of the built CLI as its own process (`--format
// json`, and `--format markdown` for the release, which also draws the changed part of the topology); the
// median wall time is reported. `--write` puts the table into bench/RESULTS.md between its own markers
// (appended at the end the first time; the other blocks of the file are left as they are).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const YAML = require('yaml');
const { statefulApp } = require('./lib/reference');
const { median, fmtMs } = require('./lib/stats');

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'cdk8s-patterns');
const APPS = 625;
const BEGIN = '<!-- review-diff:begin -->';
const END = '<!-- review-diff:end -->';

function parseOptions(argv) {
  const opts = { runs: 5, write: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') opts.runs = Number(argv[++i]);
    else if (argv[i] === '--write') opts.write = true;
    else {
      console.error(`unknown option ${argv[i]}\nusage: node bench/review-diff.js [--runs K] [--write]`);
      process.exit(2);
    }
  }
  return opts;
}

const dump = (objs) => objs.map((o) => YAML.stringify(o, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');

function write(dir, objs) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'apps.k8s.yaml'), dump(objs));
}

function trees(base) {
  const before = [];
  for (let i = 0; i < APPS; i++) before.push(...statefulApp(`app-${i}`));
  const release = [];
  for (let i = 0; i < APPS; i++) {
    if (i % 143 === 7) continue; // 5 apps removed
    for (const o0 of statefulApp(`app-${i}`)) {
      const o = JSON.parse(JSON.stringify(o0));
      if (o.kind === 'StatefulSet') {
        if (i % 20 === 3) o.spec.template.spec.containers[0].image = 'nginx:1.27';
        if (i % 71 === 5) o.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '2Gi';
        if (i % 143 === 11) o.metadata.name = `app-${i}-renamed`;
      }
      if (o.kind === 'Role' && i % 71 === 9) o.rules[0].verbs.push('delete');
      release.push(o);
    }
  }
  for (let i = APPS; i < APPS + 5; i++) release.push(...statefulApp(`app-${i}`));
  const every = before.map((o) => ({
    ...o,
    metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), 'example.com/release': '2' } },
  }));
  write(path.join(base, 'before'), before);
  write(path.join(base, 'release'), release);
  write(path.join(base, 'every'), every);
  return { objects: before.length, releaseObjects: release.length };
}

function time(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`cdk8s-patterns ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function main() {
  const opts = parseOptions(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'build', 'lib', 'review', 'cli.js'))) {
    console.error('build/lib/review/cli.js is missing: run `npm run build` first');
    process.exit(2);
  }
  const load = os.loadavg()[0];
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'review-bench-'));
  try {
    const { objects, releaseObjects } = trees(base);
    const b = path.join(base, 'before');
    const scenarios = [
      { id: 'release, --format json', args: ['diff', b, path.join(base, 'release'), '--format', 'json'] },
      {
        id: 'release, --format markdown (with the changed topology)',
        args: ['diff', b, path.join(base, 'release'), '--format', 'markdown'],
      },
      { id: 'every object changed, --format json', args: ['diff', b, path.join(base, 'every'), '--format', 'json'] },
    ];
    const rows = [];
    for (const s of scenarios) {
      const warm = time(s.args);
      const ms = [];
      for (let i = 0; i < opts.runs; i++) ms.push(time(s.args).ms);
      let summary = 'the same release; the documents that mention a changed object are parsed to draw the changed topology';
      if (s.args.includes('json')) {
        const r = JSON.parse(warm.stdout).summary;
        summary = `${r.changed} changed, ${r.added} added, ${r.removed} removed, ${r.renamed} renamed; ${r.breaking} breaking, ${r.dataLoss} data loss, ${r.risky} risky`;
      }
      rows.push({ id: s.id, ms: median(ms), min: Math.min(...ms), max: Math.max(...ms), summary });
      process.stderr.write(`review-diff ${s.id}: ${fmtMs(median(ms))}\n`);
    }
    const lines = [
      `\`cdk8s-patterns diff\` of two ${objects.toLocaleString('en')}-object trees (${releaseObjects.toLocaleString('en')} after the release), whole process, median of ${opts.runs} after a warm-up (target: under 2 s):`,
      '',
      '| scenario | median | min – max | what the review found |',
      '|---|---|---|---|',
      ...rows.map((r) => `| ${r.id} | ${fmtMs(r.ms)} | ${fmtMs(r.min)} – ${fmtMs(r.max)} | ${r.summary} |`),
      '',
      `Run: ${new Date().toISOString().slice(0, 10)}, \`node bench/review-diff.js\`. Machine: ${os.cpus().length} × ${os.cpus()[0].model.trim()}, node ${process.version};`,
      `1-minute load average ${load.toFixed(1)} at the start${load > 1.5 ? ' (other processes were running: the times are pessimistic)' : ''}.`,
    ];
    const report = `${lines.join('\n')}\n`;
    console.log(`\n${report}`);
    if (opts.write) {
      const file = path.join(ROOT, 'bench', 'RESULTS.md');
      const text = fs.readFileSync(file, 'utf8');
      const block = `${BEGIN}\n${report}${END}`;
      const start = text.indexOf(BEGIN);
      const stop = text.indexOf(END);
      const next =
        start >= 0 && stop > start
          ? `${text.slice(0, start)}${block}${text.slice(stop + END.length)}`
          : `${text.trimEnd()}\n\n## Release review diff\n\n${block}\n`;
      fs.writeFileSync(file, next);
    }
    if (rows.some((r) => r.ms >= 2000)) process.exitCode = 1;
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

main();
