// Mermaid flowchart of a topology: one subgraph per chart (file); shapes and colours by category; optional
// status classes (added, changed, renamed, removed) for the changed part of a release.
import { Category, CATEGORY_COLORS, GModel } from './graph-model';

export type NodeStatus = 'added' | 'changed' | 'renamed' | 'removed';

const SHAPES: Record<Category, [string, string]> = {
  workload: ['[', ']'],
  service: ['([', '])'],
  config: ['[/', '/]'],
  storage: ['[(', ')]'],
  rbac: ['{{', '}}'],
  policy: ['>', ']'],
  admission: ['[[', ']]'],
  initializer: ['[[', ']]'],
  other: ['[', ']'],
};

const STYLES: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(CATEGORY_COLORS).map(([category, [fill, stroke]]) => [category, `fill:${fill},stroke:${stroke},color:#0f172a`]),
  ),
  external: 'stroke-dasharray:4 3,fill:#ffffff',
  added: 'stroke:#16a34a,stroke-width:4px',
  changed: 'stroke:#ea580c,stroke-width:4px',
  renamed: 'stroke:#2563eb,stroke-width:4px',
  removed: 'stroke:#dc2626,stroke-width:4px,stroke-dasharray:6 4',
};

const text = (s: string) => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

export function toMermaid(model: GModel, status: Map<string, NodeStatus> = new Map()): string {
  const ids = new Map(model.nodes.map((n, i) => [n.key, `n${i}`]));
  const lines = ['flowchart LR'];
  model.files.forEach((file, fi) => {
    const nodes = model.nodes.filter((n) => n.file === file);
    if (nodes.length === 0) return;
    lines.push(`  subgraph f${fi}["${text(file)}"]`);
    for (const n of nodes) {
      const [open, close] = SHAPES[n.category];
      const st = status.get(n.key);
      const label = [...n.lines.map((l, i) => (i === 1 ? `<b>${text(l)}</b>` : text(l))), ...(st ? [`(${st})`] : [])].join('<br/>');
      lines.push(`    ${ids.get(n.key)}${open}"${label}"${close}`);
    }
    lines.push('  end');
  });
  for (const e of model.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    lines.push(`  ${ids.get(e.from)} -->|${text(e.label).replace(/\|/g, '/')}| ${ids.get(e.to)}`);
  }
  const classes = new Map<string, string[]>();
  const add = (cls: string, id: string) => classes.set(cls, [...(classes.get(cls) ?? []), id]);
  for (const n of model.nodes) {
    const id = ids.get(n.key)!;
    add(n.category, id);
    if (n.external) add('external', id);
    const st = status.get(n.key);
    if (st) add(st, id);
  }
  // categories first, then the status classes, so a status's border wins
  const order = [...Object.keys(SHAPES), 'external', 'added', 'changed', 'renamed', 'removed'];
  for (const cls of order.filter((c) => classes.has(c))) {
    const members = classes.get(cls)!;
    lines.push(`  classDef ${cls} ${STYLES[cls]}`);
    lines.push(`  class ${members.join(',')} ${cls}`);
  }
  return `${lines.join('\n')}\n`;
}
