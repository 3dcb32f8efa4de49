// The pull-request comment: a summary, the breaking / data-loss / risky changes with their rules and field
// changes, the changed part of the topology as a Mermaid block, and the rest folded away.
import { changeFile, objectTitle } from './format-text';
import { ChangeSeverity, ObjectChange, ReviewReport } from './types';

const SECTIONS: [ChangeSeverity, string][] = [
  [ChangeSeverity.BREAKING, '🛑 Breaking: the API server refuses these updates'],
  [ChangeSeverity.DATA_LOSS, '💥 Data loss'],
  [ChangeSeverity.RISKY, '⚠️ Risky'],
];
const MAX_FIELDS = 20;

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function fieldTable(c: ObjectChange, max = MAX_FIELDS): string[] {
  if (c.fieldChanges.length === 0) return [];
  const rows = c.fieldChanges
    .slice(0, max)
    .map(
      (f) =>
        `| ${cell(code(f.path))} | ${f.before === undefined ? '' : cell(code(f.before))} | ${f.after === undefined ? '' : cell(code(f.after))} |`,
    );
  if (c.fieldChanges.length > max) rows.push(`| … ${c.fieldChanges.length - max} more | | |`);
  return ['| field | before | after |', '|---|---|---|', ...rows];
}

function change(c: ObjectChange): string[] {
  const file = changeFile(c);
  const out = [`#### ${code(objectTitle(c))} ${c.changeType} — ${file}`, ''];
  for (const f of c.findings) {
    const ack = f.acknowledged ? ` ✅ acknowledged: ${f.acknowledgement}` : '';
    out.push(`- **${f.rule}** (${f.severity}): ${f.message}${ack}`);
    out.push(`  <sub>${f.citation.replace(/</g, '&lt;')}</sub>`);
  }
  const table = fieldTable(c);
  if (table.length) out.push('', ...table);
  out.push('');
  return out;
}

export function formatMarkdown(report: ReviewReport): string {
  const s = report.summary;
  const out: string[] = ['## Release review', ''];
  out.push(
    s.blocking > 0
      ? `**❌ ${s.blocking} breaking or data-loss finding${s.blocking === 1 ? '' : 's'} not acknowledged.** Acknowledge each in code (\`ReleaseReview.acknowledge(obj, rule, reason)\`) or with \`--ack <rule>:<kind>/<name>\`, or change the release.`
      : '**✅ Nothing breaking or data-losing left unacknowledged.**',
  );
  out.push('', `Comparing ${code(report.before)} → ${code(report.after)}.`, '');
  out.push('| breaking | data loss | risky | added | removed | changed | renamed | unchanged |', '|---|---|---|---|---|---|---|---|');
  out.push(`| ${s.breaking} | ${s.dataLoss} | ${s.risky} | ${s.added} | ${s.removed} | ${s.changed} | ${s.renamed} | ${s.unchanged} |`, '');
  for (const [sev, title] of SECTIONS) {
    const cs = report.changes.filter((c) => c.severity === sev);
    if (cs.length === 0) continue;
    out.push(`### ${title}`, '');
    for (const c of cs) out.push(...change(c));
  }
  if (report.graph) {
    out.push('### Changed topology', '', '```mermaid', report.graph.trimEnd(), '```', '');
  }
  const info = report.changes.filter((c) => c.severity === ChangeSeverity.INFO);
  if (info.length) {
    out.push(`<details><summary>Other changes (${info.length})</summary>`, '');
    for (const c of info) {
      const file = changeFile(c);
      out.push(
        `- ${code(objectTitle(c))} ${c.changeType} — ${file}${c.findings.length ? `: ${c.findings.map((f) => f.message).join('; ')}` : ''}`,
      );
      const table = fieldTable(c, 10);
      if (table.length) out.push('', ...table.map((l) => `  ${l}`), '');
    }
    out.push('', '</details>', '');
  }
  if (report.changes.length === 0) out.push('No changes.', '');
  return `${out.join('\n').trimEnd()}\n`;
}
