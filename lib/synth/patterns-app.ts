import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Names, YamlOutputType } from 'cdk8s';
import { PatternError } from '../core/errors';
import { checkAndRender, installPipeline, markSelfChecking } from './pipeline';
import { Warnings } from '../core/warnings';
import { toYamlStream } from '../core/yaml';

/** Where a `PatternsApp` sends the warnings of a synth (objects it could not validate...). */
export interface ISynthLogger {
  /** Called once per warning, after the checks passed and before anything is written. */
  warn(message: string): void;
}

/** Props of a `PatternsApp`. */
export interface PatternsAppProps extends AppProps {
  /** Receives the synth's warnings (`Warnings.of(app)` lists them too). @default - each warning on stderr */
  readonly logger?: ISynthLogger;
}

const STDERR: ISynthLogger = { warn: (message) => process.stderr.write(`cdk8s-patterns: warning: ${message}\n`) };

/**
 * A cdk8s `App` whose `synth()` is safe to run in a pipeline:
 * - every object is rendered once, initializers applied, and all checks run before anything is
 *   written; any problem throws one `PatternError` listing them all, and `outdir` is left untouched;
 * - files are staged and then renamed into place; `*.k8s.yaml` files of an earlier synth that are no
 *   longer produced are removed; other files (and sub-folders) in `outdir` are left alone;
 * - YAML is written by a fast emitter that quotes every string YAML 1.1 (kubectl) could misread.
 * Use it in place of `App`; constructs of this library also work in a plain cdk8s `App` (checks and
 * initializers still run there), but without the atomic write.
 */
export class PatternsApp extends App {
  private readonly logger: ISynthLogger;

  constructor(props: PatternsAppProps = {}) {
    super(props);
    this.logger = props.logger ?? STDERR;
    if (this.yamlOutputType !== YamlOutputType.FILE_PER_CHART && this.yamlOutputType !== YamlOutputType.FILE_PER_APP) {
      throw new PatternError([{ path: '<app>', field: 'yamlOutputType', rule: 'PatternsApp writes FILE_PER_CHART or FILE_PER_APP only' }]);
    }
    markSelfChecking(this);
    installPipeline(this); // validation is on even when the app holds only cdk8s-plus or raw objects
  }

  /** Renders, checks and writes every chart to `outdir` atomically. */
  public synth(): void {
    const files = this.render();
    writeFilesAtomically(this.outdir, this.outputFileExtension, files);
  }

  /** Renders and checks the app; returns all documents as one YAML stream. */
  public synthYaml(): string {
    return [...this.render().values()].join('---\n');
  }

  /** File name → YAML content, in chart order. Throws before returning when anything is wrong. */
  private render(): Map<string, string> {
    const charts = checkAndRender(this);
    for (const w of Warnings.of(this)) this.logger.warn(`[${w.path}] ${w.message}`);
    const files = new Map<string, string>();
    if (this.yamlOutputType === YamlOutputType.FILE_PER_APP) {
      const docs = charts.flatMap((c) => c.objects.map((o) => o.json));
      if (docs.length > 0) files.set(`app${this.outputFileExtension}`, toYamlStream(docs));
      return files;
    }
    const indexed = charts.some((c) => c.chart.node.dependencies.length > 0);
    charts.forEach(({ chart, objects }, i) => {
      const base = Names.toDnsLabel(chart);
      const name = indexed ? `${String(i).padStart(4, '0')}-${base}` : base;
      files.set(`${name}${this.outputFileExtension}`, toYamlStream(objects.map((o) => o.json)));
    });
    return files;
  }
}

/**
 * Writes `files` into `outdir` so that a reader never sees a half-written file: each file goes to a
 * staging folder beside `outdir` and is renamed into place; unchanged files are not touched; stale
 * `*<ext>` files directly in `outdir` are removed last.
 */
export function writeFilesAtomically(outdir: string, ext: string, files: Map<string, string>): void {
  fs.mkdirSync(outdir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(outdir)), `.${path.basename(outdir)}.staging-`));
  try {
    const moves: Array<[string, string]> = [];
    for (const [name, content] of files) {
      const target = path.join(outdir, name);
      if (readIfExists(target) === content) continue;
      const staged = path.join(staging, name);
      fs.writeFileSync(staged, content);
      moves.push([staged, target]);
    }
    for (const [staged, target] of moves) {
      fs.renameSync(staged, target);
    }
    for (const entry of fs.readdirSync(outdir)) {
      if (entry.endsWith(ext) && !files.has(entry) && fs.statSync(path.join(outdir, entry)).isFile()) {
        fs.unlinkSync(path.join(outdir, entry));
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
