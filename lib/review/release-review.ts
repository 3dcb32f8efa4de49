// The public entry points of the release review (jsii-compatible: a class of static methods over structs).
import type { IConstruct } from 'constructs';
import { ACK_ANNOTATION, parseAck, SEVERITY_WORDS } from './acknowledgements';
import { changedGraph } from './changed-graph';
import { ALL_RULE_IDS, diffTrees, ruleTable } from './engine';
import { formatMarkdown } from './format-markdown';
import { formatText } from './format-text';
import { readFolder, readGitFolder, Tree } from './load';
import { DiffOptions, ReviewReport, RuleInfo } from './types';

function review(before: Tree, after: Tree, options: DiffOptions): ReviewReport {
  const diff = diffTrees(before, after, options.acknowledgements ?? []);
  if (!options.graph) return diff.report;
  const graph = changedGraph(diff, before, after);
  return graph ? { ...diff.report, graph } : diff.report;
}

/**
 * What a release will change, what the API server will refuse, what loses data: a diff of two folders of
 * synthesized YAML, classified by the Kubernetes 1.27 update validation rules.
 */
export class ReleaseReview {
  /** The annotation that acknowledges findings: one `<rule>[:<kind>/<name>]=<reason>` per line. */
  public static readonly ACKNOWLEDGE_ANNOTATION = ACK_ANNOTATION;

  /** Diffs two folders of synthesized YAML (every `.yaml`/`.yml` below them). */
  public static diffFolders(before: string, after: string, options: DiffOptions = {}): ReviewReport {
    return review(readFolder(before), readFolder(after), options);
  }

  /** Diffs folder `after` (e.g. `dist`) as committed at `gitRef` against its state in the work tree. */
  public static diffGit(gitRef: string, after: string, options: DiffOptions = {}): ReviewReport {
    return review(readGitFolder(gitRef, after), readFolder(after), options);
  }

  /** The rule table: id, severity, kinds, what it catches and where Kubernetes does it. */
  public static rules(): RuleInfo[] {
    return ruleTable();
  }

  /** The report as a pull-request comment. */
  public static toMarkdown(report: ReviewReport): string {
    return formatMarkdown(report);
  }

  /** The report for a terminal (ANSI colours when `colour` is true). */
  public static toText(report: ReviewReport, colour?: boolean): string {
    return formatText(report, colour ?? false);
  }

  public static toJson(report: ReviewReport): string {
    return `${JSON.stringify(report, null, 2)}\n`;
  }

  /**
   * Acknowledges the findings of `rule` (a rule id, or `breaking` / `data-loss` / `risky` for all of them) on
   * every API object at and below `scope`: writes `cdk8s-patterns.io/acknowledge: <rule>=<reason>`, so the
   * acknowledgement is in the synthesized YAML and in the review. Only the AFTER object's annotation counts.
   */
  public static acknowledge(scope: IConstruct, rule: string, reason: string): void {
    ReleaseReview.annotate(scope, rule, undefined, reason);
  }

  /**
   * Acknowledges the findings of `rule` on another object, `target` (`<kind>/<name>` or
   * `<kind>/<namespace>/<name>`): the way to acknowledge a removal, which has no after object to carry it.
   * The annotation goes on the API objects at and below `scope`.
   */
  public static acknowledgeRemoval(scope: IConstruct, rule: string, target: string, reason: string): void {
    ReleaseReview.annotate(scope, rule, target, reason);
  }

  private static annotate(scope: IConstruct, rule: string, target: string | undefined, reason: string): void {
    // loaded here so that the CLI does not load cdk8s
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ApiObject } = require('cdk8s') as typeof import('cdk8s');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fail } = require('../core/errors') as typeof import('../core/errors');
    if (typeof reason !== 'string' || reason.trim() === '' || /[\r\n]/.test(reason)) {
      fail(scope, 'reason', `acknowledging "${rule}" needs a reason on one line`);
    }
    const entry = `${rule}${target ? `:${target}` : ''}=${reason.trim()}`;
    const parsed = parseAck(entry, ALL_RULE_IDS);
    if (typeof parsed === 'string')
      fail(scope, target ? 'target' : 'rule', parsed, `rule ids: ${[...SEVERITY_WORDS, ...ALL_RULE_IDS].join(', ')}`);
    const objects = scope.node.findAll().filter((c) => ApiObject.isApiObject(c)) as InstanceType<typeof ApiObject>[];
    if (objects.length === 0) fail(scope, 'scope', 'has no API object to carry the acknowledgement');
    for (const o of objects) {
      const current = o.metadata.toJson().annotations?.[ACK_ANNOTATION] as string | undefined;
      const lines = current ? current.split('\n') : [];
      if (!lines.includes(entry)) lines.push(entry);
      o.metadata.addAnnotation(ACK_ANNOTATION, lines.join('\n'));
    }
  }

  private constructor() {}
}
