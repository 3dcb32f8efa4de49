import { App, AppProps, Duration, Names, YamlOutputType } from 'cdk8s';
import { PatternError } from '../core/errors';
import { Warnings } from '../core/warnings';
import { checkAndRender, installPipeline, markSelfChecking } from './pipeline';
import { sortForApply } from '../output/apply-order';
import { synthSources } from '../output/synth-all';
import { toYamlChecked } from '../output/writable';

/** Where a `PatternsApp` sends the warnings of a synth (objects it could not validate, a folder the cdk8s CLI deleted...). */
export interface ISynthLogger {
  /** Called once per warning. */
  warn(message: string): void;
}

/** Props of a `PatternsApp`. */
export interface PatternsAppProps extends AppProps {
  /** Receives the synth's warnings (`Warnings.of(app)` lists them too). @default - each warning on stderr */
  readonly logger?: ISynthLogger;
  /**
   * How long `synth()` waits for another synth writing the same output folder before it fails.
   * @default Duration.seconds(60)
   */
  readonly lockTimeout?: Duration;
}

const STDERR: ISynthLogger = { warn: (message) => process.stderr.write(`cdk8s-patterns: warning: ${message}\n`) };

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
    synthSources(
      apps.map((app) => ({
        app,
        render: () => app._renderFiles(),
        lockTimeoutMs: app.lockTimeoutMs,
        notice: (message: string) => app.warn(app, message),
      })),
    );
  }

  /**
   * For a program's entry point (`main.ts`): synthesizes `apps` like `synthAll`; when a problem is
   * found (a `PatternError`), prints each problem once on stderr, without a stack trace, and sets
   * the exit code to 1 instead of throwing. Other errors are thrown. Returns whether the synth succeeded.
   */
  public static synthOrExit(apps: PatternsApp[]): boolean {
    try {
      PatternsApp.synthAll(apps);
      return true;
    } catch (e) {
      if (!(e instanceof PatternError)) throw e;
      process.stderr.write(`synth failed: ${e.message}\n`);
      process.exitCode = 1;
      return false;
    }
  }

  private readonly lockTimeoutMs: number;
  private readonly logger: ISynthLogger;

  constructor(props: PatternsAppProps = {}) {
    // the cdk8s CLI's CDK8S_OUTDIR is the CLI's folder, which it deletes first: never the default here
    super({ ...props, outdir: props.outdir ?? 'dist' });
    this.lockTimeoutMs = props.lockTimeout?.toMilliseconds() ?? 60_000;
    this.logger = props.logger ?? STDERR;
    if (this.yamlOutputType !== YamlOutputType.FILE_PER_CHART && this.yamlOutputType !== YamlOutputType.FILE_PER_APP) {
      throw new PatternError([{ path: '<app>', field: 'yamlOutputType', rule: 'PatternsApp writes FILE_PER_CHART or FILE_PER_APP only' }]);
    }
    markSelfChecking(this);
    installPipeline(this); // validation is on even when the app holds only cdk8s-plus or raw objects
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
    for (const w of Warnings.of(this)) this.logger.warn(`[${w.path}] ${w.message}`);
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

  /** Records a warning at `scope` and hands it to the logger. */
  private warn(scope: PatternsApp, message: string): void {
    Warnings.add(scope, message);
    this.logger.warn(message);
  }
}
