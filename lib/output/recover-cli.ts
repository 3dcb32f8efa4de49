#!/usr/bin/env node
// `npx cdk8s-patterns-recover [outdir...]`: completes or rolls back a synth that died while writing
// its output folder (default: dist), without synthesizing. Exit code 1 when it cannot.
import { PatternError } from '../core/errors';
import { OutputFolder } from './output-folder';

function main(args: string[]): number {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: cdk8s-patterns-recover [outdir...]   (default: dist)\n');
    return 0;
  }
  let status = 0;
  for (const outdir of args.length > 0 ? args : ['dist']) {
    try {
      const r = OutputFolder.recover(outdir);
      const parts = [
        r.rolledForward.length ? `completed ${r.rolledForward.length} interrupted synth(s)` : '',
        r.rolledBack.length ? `rolled back ${r.rolledBack.length} interrupted synth(s)` : '',
        r.cleaned.length ? `removed ${r.cleaned.length} leftover(s)` : '',
      ].filter((p) => p);
      process.stdout.write(`${r.outdir}: ${parts.length ? parts.join(', ') : 'nothing to recover'}\n`);
    } catch (e) {
      process.stderr.write(`${outdir}: ${e instanceof PatternError ? e.message : String(e)}\n`);
      status = 1;
    }
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
