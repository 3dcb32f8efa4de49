import * as path from 'path';
import { App, AppProps, Duration, Names, YamlOutputType } from 'cdk8s';
import { PatternError } from './errors';
import { checkAndRender, installPipeline, SELF_CHECKING } from './pipeline';
import { sortForApply } from '../output/apply-order';
import { commitOutput } from '../output/transaction';
import { synthSources } from '../output/synth-all';
import { toYamlChecked } from '../output/writable';

/** Props of a `PatternsApp`. */
export interface PatternsAppProps extends AppProps {
  /**
   * How long `synth()` waits for another synth writing the same output folder before it fails.
   * @default Duration.seconds(60)
   */
  readonly lockTimeout?: Duration;
}

const NOTICE = 'cdk8s-patterns:notice';

/**
 * A cdk8s `App` whose `synth()` is safe to run in a pipeline:
 * - every object is rendered once, initializers applied, and all checks run before anything is
 *   written; any problem throws one `PatternError` listing them all, and `outdir` is left untouched;
 * - the files are written in one transaction (lib/output): after any exit, or a crash followed by the
 *   next synth, `outdir` holds exactly the old set of manifests or exactly the new one; the files
 *   the library wrote are recorded, and only those are replaced or removed; the user's own files and
 *   sub-folders in `outdir` are left alone;
 * - objects are written in apply order (kind, then name), YAML by a fast emitter that quotes every
 *   string YAML 1.1 (kubectl) could misread.
 * `outdir` defaults to `dist`, also under `cdk8s synth` (see `PatternsApp.synthAll` and the README).
 * Use it in place of `App`; constructs of this library also work in a plain cdk8s `App` (checks and
 * initializers still run there), but without the atomic write.
 */
export class PatternsApp extends App {
  /**
   * Writes several apps (e.g. one per Kubernetes version, `dist/` and `dist/k8s-1.13/`) in ONE
   * transaction: every app is rendered and checked first, and the output tree then holds the old
   * files of every app or the new files of every app, never a mix. The outdirs must be one folder
   * and folders inside it.
   */
  public static synthAll(apps: PatternsApp[]): void {
    synthSources(apps.map((app) => ({
      app,
      render: () => app._renderFiles(),
      lockTimeoutMs: app.lockTimeoutMs,
      notice: (message: string) => app.node.addMetadata(NOTICE, message),
    })));
  }

  private readonly lockTimeoutMs: number;

  constructor(props: PatternsAppProps = {}) {
    // the cdk8s CLI's CDK8S_OUTDIR is the CLI's folder, which it deletes first: never the default here
    super({ ...props, outdir: props.outdir ?? 'dist' });
    this.lockTimeoutMs = props.lockTimeout?.toMilliseconds() ?? 60_000;
    if (this.yamlOutputType !== YamlOutputType.FILE_PER_CHART && this.yamlOutputType !== YamlOutputType.FILE_PER_APP) {
      throw new PatternError([{ path: '<app>', field: 'yamlOutputType', rule: 'PatternsApp writes FILE_PER_CHART or FILE_PER_APP only' }]);
    }
    (this as any)[SELF_CHECKING] = true;
    installPipeline(this); // validation is on even when the app holds only cdk8s-plus or raw objects
  }

  /**
   * Things the last synth did not fail for but you should know, with their fix (e.g. that the cdk8s
   * CLI deleted `outdir` before the app ran). Also recorded as construct metadata (`cdk8s-patterns:notice`).
   */
  public get notices(): string[] {
    return this.node.metadata.filter((m) => m.type === NOTICE).map((m) => String(m.data));
  }

  /** Renders and checks every chart, then writes them all to `outdir` in one transaction. */
  public synth(): void {
    PatternsApp.synthAll([this]);
  }

  /** Renders and checks the app; returns all documents as one YAML stream. */
  public synthYaml(): string {
    return [...this._renderFiles().values()].join('---\n');
  }

  /**
   * File name → YAML content, in chart order. Throws before returning when anything is wrong.
   * @internal
   */
  public _renderFiles(): Map<string, string> {
    const charts = checkAndRender(this);
    const files = new Map<string, string>();
    if (this.yamlOutputType === YamlOutputType.FILE_PER_APP) {
      const objects = charts.flatMap((c) => c.objects);
      if (objects.length > 0) files.set(`app${this.outputFileExtension}`, toYamlChecked(sortForApply(objects)));
      return files;
    }
    const indexed = charts.some((c) => c.chart.node.dependencies.length > 0);
    charts.forEach(({ chart, objects }, i) => {
      const base = Names.toDnsLabel(chart);
      const name = indexed ? `${String(i).padStart(4, '0')}-${base}` : base;
      files.set(`${name}${this.outputFileExtension}`, toYamlChecked(sortForApply(objects)));
    });
    return files;
  }
}

/**
 * Writes `files` (name → content) into `outdir` in one transaction (see `PatternsApp`): unchanged
 * files are not touched; `*<ext>` files the library wrote earlier and no longer produced are removed.
 * @deprecated use `PatternsApp.synth()` or `PatternsApp.synthAll()`
 */
export function writeFilesAtomically(outdir: string, ext: string, files: Map<string, string>): void {
  commitOutput(path.resolve(outdir), files, { managed: [{ dir: '', ext }], lockTimeoutMs: 60_000, where: '<writeFilesAtomically>' });
}
