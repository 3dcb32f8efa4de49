// Numbers for the bench reports, shared by the synth runner and the release-review bench.
'use strict';

/** The median of `xs` (the mean of the two middle values for an even count). */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `850 ms`, `1.23 s`. */
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

module.exports = { median, fmtMs };
