// The terminal report. Colour only when asked (the CLI asks on a TTY without NO_COLOR).
import { displayName } from './identity';
import { ChangeSeverity, ObjectChange, ReviewReport } from './types';

const CODES = { red: 31, magenta: 35, yellow: 33, green: 32, cyan: 36, dim: 2, bold: 1 } as const;
type Colour = keyof typeof CODES;

const LABEL: Record<ChangeSeverity, string> = {
  [ChangeSeverity.BREAKING]: 'BREAKING',
  [ChangeSeverity.DATA_LOSS]: 'DATA LOSS',
  [ChangeSeverity.RISKY]: 'RISKY',
  [ChangeSeverity.INFO]: 'info',
};
const COLOUR: Record<ChangeSeverity, Colour> = {
  [ChangeSeverity.BREAKING]: 'red',
  [ChangeSeverity.DATA_LOSS]: 'magenta',
  [ChangeSeverity.RISKY]: 'yellow',
  [ChangeSeverity.INFO]: 'dim',
};
const MAX_FIELDS = 12;

export function objectTitle(c: ObjectChange): string {
  const id = displayName(c.kind, c.namespace ?? '', c.name);
  if (c.changeType !== 'renamed') return id;
  return `${displayName(c.kind, c.previousNamespace ?? '', String(c.previousName))} → ${id}`;
}

/** The file an object change is in (`old.yaml → new.yaml` when it moved). */
export function changeFile(c: ObjectChange): string {
  return c.previousFile ? `${c.previousFile} → ${c.file}` : c.file;
}

export function formatText(report: ReviewReport, colour = false): string {
  const paint = (c: Colour, s: string) => (colour ? `\u001b[${CODES[c]}m${s}\u001b[0m` : s);
  const s = report.summary;
  const out: string[] = [];
  out.push(`${paint('bold', 'Release review')} ${report.before} → ${report.after}`);
  out.push(`  ${s.added} added · ${s.removed} removed · ${s.changed} changed · ${s.renamed} renamed · ${s.unchanged} unchanged`);
  for (const c of report.changes) {
    out.push('');
    const file = changeFile(c);
    out.push(
      `${paint(COLOUR[c.severity], LABEL[c.severity].padEnd(9))} ${paint('bold', objectTitle(c))} ${c.changeType} ${paint('dim', `(${file})`)}`,
    );
    for (const f of c.findings) {
      const mark = f.severity === ChangeSeverity.INFO ? '·' : f.acknowledged ? '✓' : f.severity === ChangeSeverity.RISKY ? '!' : '✖';
      out.push(`  ${paint(COLOUR[f.severity], mark)} ${f.rule}: ${f.message}`);
      out.push(`      ${paint('dim', f.citation)}`);
      if (f.acknowledged) out.push(`      ${paint('green', `acknowledged: ${f.acknowledgement}`)}`);
    }
    for (const fc of c.fieldChanges.slice(0, MAX_FIELDS)) {
      if (fc.before === undefined) out.push(`    ${paint('green', '+')} ${fc.path}: ${fc.after}`);
      else if (fc.after === undefined) out.push(`    ${paint('red', '-')} ${fc.path}: ${fc.before}`);
      else out.push(`    ${paint('cyan', '~')} ${fc.path}: ${fc.before} → ${fc.after}`);
    }
    if (c.fieldChanges.length > MAX_FIELDS) out.push(`    … ${c.fieldChanges.length - MAX_FIELDS} more field changes`);
  }
  out.push('');
  if (report.changes.length === 0) out.push('No changes.');
  const counts = `${s.breaking} breaking, ${s.dataLoss} data loss, ${s.risky} risky`;
  out.push(
    s.blocking > 0
      ? paint('red', `✖ ${s.blocking} not acknowledged (${counts}): exit 1`)
      : paint('green', `✓ nothing breaking or data-losing left unacknowledged (${counts})`),
  );
  return `${out.join('\n')}\n`;
}
