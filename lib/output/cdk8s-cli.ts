import * as fs from 'fs';
import * as path from 'path';
import { Problem } from '../core/errors';
import { isWithin } from './files';

/**
 * How `cdk8s synth` runs an app (cdk8s-cli, lib/cli/cmds/synth.js and lib/util.js): it deletes its
 * output folder (`output:` in cdk8s.yaml, default `dist`) with everything in it, then runs the app
 * with `CDK8S_OUTDIR` set to that folder (to a temporary folder with `--stdout`), then lists (and
 * with `--stdout` prints) the `.yaml` files found there, and fails if the folder does not exist.
 *
 * PatternsApp therefore never lets the CLI's folder be its own without saying so:
 * - the recommended cdk8s.yaml names a scratch folder (`output: .cdk8s-out`); the app writes its own
 *   `outdir` (default `dist`) transactionally and copies the manifests into the CLI's folder, so the
 *   CLI lists them, its validation plugins see them and `--stdout` prints them;
 * - with `output: dist` (the `cdk8s init` default) the CLI has already deleted `dist/`, and the
 *   files of the user's in it, before the app runs: the app writes the new manifests there (so the
 *   folder is never left stale or missing after a successful synth) and reports what happened and
 *   the fix (`notices`, construct metadata, and in the error of a failed synth).
 */
export interface CliRun {
  /** The CLI's output folder (`CDK8S_OUTDIR`), resolved. */
  readonly cliOutdir: string;
  /** The CLI deleted this folder, which is the app's output folder or contains it. */
  readonly deletedOurs: boolean;
}

/** How the cdk8s CLI runs this process, if it does. */
export function cliRun(root: string): CliRun | undefined {
  const env = process.env.CDK8S_OUTDIR;
  if (!env) return undefined;
  const cliOutdir = path.resolve(env);
  return { cliOutdir, deletedOurs: isWithin(root, cliOutdir) || isWithin(cliOutdir, root) };
}

/** The report of a CLI run whose output folder is ours. */
export function cliDeletedProblem(where: string, root: string, cliOutdir: string): Problem {
  const rel = path.relative(process.cwd(), cliOutdir) || '.';
  return {
    path: where,
    field: 'outdir',
    rule: `the cdk8s CLI deleted ${rel}/ (its output folder, \`output:\` in cdk8s.yaml, default dist) with every file in it before it ran this app, so the previous manifests and any files of yours in ${rel}/ are gone`,
    ruleId: 'cdk8s-cli-output',
    hint: `in cdk8s.yaml set \`output: .cdk8s-out\` (a scratch folder the CLI may delete) and keep \`new PatternsApp()\` (it writes ${path.relative(process.cwd(), root) || '.'}/ itself, transactionally), or run the app with \`node\` instead of \`cdk8s synth\``,
  };
}

/** Copies the manifests into the CLI's (freshly deleted, scratch) folder, which must exist afterwards. */
export function mirrorToCli(cliOutdir: string, files: Map<string, string>): void {
  fs.mkdirSync(cliOutdir, { recursive: true });
  for (const [rel, content] of files) {
    const file = path.join(cliOutdir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
