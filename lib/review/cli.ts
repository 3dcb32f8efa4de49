// `cdk8s-patterns diff | graph | rules`: the release review on the command line.
// Exit codes: 0 nothing breaking or data-losing left unacknowledged; 1 some is; 2 usage or input error.
import * as fs from 'fs';
import * as path from 'path';
import { ReviewInputError } from './load';
import { ReleaseReview } from './release-review';
import { TopologyGraph } from './topology-graph';
import { ReviewReport } from './types';

const USAGE = `usage:
  cdk8s-patterns diff <before-dir> [<after-dir>]   compare two folders of synthesized YAML
  cdk8s-patterns diff --git <ref> [<after-dir>]    compare <after-dir> (default: dist) with itself as committed at <ref>
      --format terminal|markdown|json   (default: terminal)
      --ack <rule>[:<kind>/<name>][=<reason>]   acknowledge a finding (repeatable); <rule> may be breaking, data-loss or risky
      --no-graph                        markdown: leave out the changed part of the topology
      --out <file>                      write the report to <file> instead of stdout
  cdk8s-patterns graph <dir> [--format mermaid|svg|dot|json] [--out <file>]
  cdk8s-patterns rules [--format markdown|json]

exit codes: 0 nothing breaking or data-losing left unacknowledged, 1 something is, 2 usage or input error
`;

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  format?: string;
  git?: string;
  out?: string;
  acks: string[];
  graph: boolean;
  help: boolean;
}

function parse(argv: string[]): Parsed {
  const p: Parsed = { positional: [], acks: [], graph: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new UsageError(`${a} needs a value`);
      return argv[++i];
    };
    const flag = a.startsWith('--') && a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (flag === '--format') p.format = value();
    else if (flag === '--git') p.git = value();
    else if (flag === '--out') p.out = value();
    else if (flag === '--ack') p.acks.push(value());
    else if (flag === '--no-graph') p.graph = false;
    else if (flag === '-h' || flag === '--help') p.help = true;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
    else p.positional.push(a);
  }
  return p;
}

function useColour(): boolean {
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

function emit(text: string, out: string | undefined): void {
  if (out) {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, text);
  } else {
    process.stdout.write(text);
  }
}

function diff(p: Parsed): number {
  const format = p.format ?? 'terminal';
  if (!['terminal', 'markdown', 'json'].includes(format))
    throw new UsageError(`--format ${format}: diff writes terminal, markdown or json`);
  const options = { acknowledgements: p.acks, graph: format === 'markdown' && p.graph };
  let report: ReviewReport;
  if (p.git !== undefined) {
    if (p.positional.length > 1) throw new UsageError('diff --git <ref> takes at most one folder (the after side, default dist)');
    report = ReleaseReview.diffGit(p.git, p.positional[0] ?? 'dist', options);
  } else {
    if (p.positional.length !== 2) throw new UsageError('diff needs <before-dir> and <after-dir>, or --git <ref>');
    report = ReleaseReview.diffFolders(p.positional[0], p.positional[1], options);
  }
  const text =
    format === 'json'
      ? ReleaseReview.toJson(report)
      : format === 'markdown'
        ? ReleaseReview.toMarkdown(report)
        : ReleaseReview.toText(report, !p.out && useColour());
  emit(text, p.out);
  return report.exitCode;
}

async function graph(p: Parsed): Promise<number> {
  const format = p.format ?? 'mermaid';
  if (!['mermaid', 'svg', 'dot', 'json'].includes(format))
    throw new UsageError(`--format ${format}: graph writes mermaid, svg, dot or json`);
  if (p.positional.length !== 1) throw new UsageError('graph needs one folder');
  const g = TopologyGraph.fromFolder(p.positional[0]);
  const text =
    format === 'svg'
      ? await g.toSvg()
      : format === 'dot'
        ? g.toDot()
        : format === 'json'
          ? `${JSON.stringify({ charts: g.charts, nodes: g.nodes, edges: g.edges }, null, 2)}\n`
          : g.toMermaid();
  emit(text, p.out);
  return 0;
}

function rules(p: Parsed): number {
  const format = p.format ?? 'markdown';
  const table = ReleaseReview.rules();
  if (format === 'json') emit(`${JSON.stringify(table, null, 2)}\n`, p.out);
  else if (format === 'markdown') {
    const cell = (x: string) => x.replace(/\|/g, '\\|').replace(/</g, '&lt;');
    const rows = table.map((r) => `| \`${r.id}\` | ${r.severity} | ${r.kinds.join(', ')} | ${cell(r.description)} | ${cell(r.citation)} |`);
    emit(['| rule | severity | kinds | when | citation |', '|---|---|---|---|---|', ...rows].join('\n') + '\n', p.out);
  } else throw new UsageError(`--format ${format}: rules writes markdown or json`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    const p = parse(rest);
    if (command === undefined || command === '-h' || command === '--help' || command === 'help' || p.help) {
      (command === undefined ? process.stderr : process.stdout).write(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'diff') return diff(p);
    if (command === 'graph') return await graph(p);
    if (command === 'rules') return rules(p);
    throw new UsageError(`unknown command ${command}`);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cdk8s-patterns: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ReviewInputError) {
      process.stderr.write(`cdk8s-patterns: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`cdk8s-patterns: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

/** A closed pipe (`… | head`) ends the output quietly. */
export function quietOnEpipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

if (require.main === module) {
  quietOnEpipe();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
