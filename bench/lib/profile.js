// Reads a V8 .cpuprofile (`node --cpu-prof`): total sampled time and the inclusive time of named
// functions, for the share of synth time the checks take.
'use strict';
const fs = require('fs');

/**
 * `{ totalMs, ms }`: the profile's sampled time, and for each `names` entry (`functionName` or
 * `functionName@file-suffix`) the time spent in it and below, each sample counted once (recursion
 * and nesting are not double-counted).
 */
function inclusiveTimes(file, names) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const matches = (frame, name) => {
    const [fn, suffix] = name.split('@');
    return frame.functionName === fn && (!suffix || frame.url.endsWith(suffix));
  };
  const ms = Object.fromEntries(names.map((n) => [n, 0]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const hit = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur).callFrame;
      for (const name of names) if (!hit.has(name) && matches(frame, name)) hit.add(name);
    }
    for (const name of hit) ms[name] += dt;
  });
  return { totalMs: total, ms };
}

module.exports = { inclusiveTimes };
