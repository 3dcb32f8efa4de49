import * as path from 'path';
import { App } from 'cdk8s';
import { PatternError, Problem } from '../core/errors';
import { cliDeletedProblem, cliRun, mirrorToCli } from './cdk8s-cli';
import { isWithin, toPosix } from './files';
import { ManagedDir } from './ownership';
import { commitOutput, CommitResult, fsError } from './transaction';

/** What the output layer needs of an app (PatternsApp implements it). */
export interface SynthSource {
  readonly app: App;
  /** File name → YAML; all checks done. Throws a PatternError when anything is wrong. */
  render(): Map<string, string>;
  readonly lockTimeoutMs: number;
  notice(message: string): void;
}

const WHERE = '<app>';

/**
 * Renders and checks every app, then writes all their files in ONE transaction rooted at the
 * outermost output folder (the others must be inside it, e.g. `dist/k8s-1.13`): the output tree
 * holds the old set or the new set of every app, never a mix. Nothing is written when any app fails.
 */
export function synthSources(sources: SynthSource[]): CommitResult | undefined {
  if (sources.length === 0) return undefined;
  const outdirs = sources.map((s) => path.resolve(s.app.outdir));
  const root = outdirs.find((r) => outdirs.every((o) => isWithin(o, r)));
  if (root === undefined) {
    throw new PatternError([
      {
        path: WHERE,
        field: 'outdir',
        ruleId: 'output-path',
        rule: `apps synthesized together must write into one folder tree, one outdir containing the others; got ${outdirs.join(', ')}`,
        hint: 'give the apps outdirs below one folder (dist, dist/k8s-1.13), or synthesize them separately',
      },
    ]);
  }
  const cli = cliRun(root);
  try {
    const files = new Map<string, string>();
    const managed: ManagedDir[] = [];
    const problems: Problem[] = [];
    sources.forEach((s, i) => {
      const dir = toPosix(path.relative(root, outdirs[i]));
      managed.push({ dir, ext: s.app.outputFileExtension });
      for (const [name, content] of s.render()) {
        const rel = dir ? `${dir}/${name}` : name;
        if (files.has(rel))
          problems.push({
            path: WHERE,
            field: rel,
            rule: 'two apps write the same file',
            ruleId: 'output-path',
            hint: 'give the apps different outdirs or the charts different names',
          });
        files.set(rel, content);
      }
    });
    if (problems.length > 0) throw new PatternError(problems);
    const result = commitOutput(root, files, { managed, lockTimeoutMs: sources[0].lockTimeoutMs, where: WHERE });
    if (cli?.deletedOurs) {
      const p = cliDeletedProblem(WHERE, root, cli.cliOutdir);
      for (const s of sources) s.notice(`${p.rule} (fix: ${p.hint})`);
    } else if (cli) {
      mirrorToCli(cli.cliOutdir, files);
    }
    return result;
  } catch (e) {
    const error = e instanceof PatternError ? e : (fsError(WHERE, root, e, 'synth failed') as PatternError);
    if (cli?.deletedOurs) throw new PatternError([...error.problems, cliDeletedProblem(WHERE, root, cli.cliOutdir)]);
    throw error;
  }
}
