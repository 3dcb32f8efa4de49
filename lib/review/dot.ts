// Graphviz DOT of a topology, and SVG from it with Graphviz compiled to WebAssembly (@viz-js/viz: the wasm
// is inlined in the package, nothing is downloaded at run time).
import { Category, CATEGORY_COLORS, GModel } from './graph-model';

const SHAPES: Record<Category, string> = {
  workload: 'box',
  service: 'ellipse',
  config: 'note',
  storage: 'cylinder',
  rbac: 'hexagon',
  policy: 'box',
  admission: 'component',
  initializer: 'component',
  other: 'box',
};

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toDot(model: GModel, title = 'cdk8s-patterns topology', clusters = true): string {
  const ids = new Map(model.nodes.map((n, i) => [n.key, `n${i}`]));
  const out = [
    'digraph topology {',
    `  graph [rankdir=LR, fontname="Helvetica,Arial,sans-serif", fontsize=16, nodesep=0.25, ranksep=0.5, newrank=true, pad=0.25${clusters ? '' : ', bgcolor=transparent'}, labelloc=t, labeljust=l${title ? `, label=<${html(title)}>` : ''}];`,
    '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11, style="filled", penwidth=1.4, margin="0.22,0.08"];',
    '  edge [fontname="Helvetica,Arial,sans-serif", fontsize=9, color="#475569", fontcolor="#334155", arrowsize=0.7];',
  ];
  model.files.forEach((file, fi) => {
    const nodes = model.nodes.filter((n) => n.file === file);
    if (nodes.length === 0) return;
    if (clusters)
      out.push(
        `  subgraph cluster_${fi} {`,
        `    label=${q(file)}; style="rounded,filled"; fillcolor="#f8fafc"; color="#94a3b8"; fontsize=13;`,
      );
    for (const n of nodes) {
      const [fill, stroke] = CATEGORY_COLORS[n.category];
      const label = n.lines.map((l, i) => (i === 1 ? `<b>${html(l)}</b>` : `<font point-size="9">${html(l)}</font>`)).join('<br/>');
      const style = [n.category === 'policy' ? 'rounded' : '', 'filled', n.external ? 'dashed' : ''].filter(Boolean).join(',');
      out.push(
        `    ${ids.get(n.key)} [shape=${SHAPES[n.category]}, label=<${label}>, fillcolor="${n.external ? '#ffffff' : fill}", color="${stroke}", style="${style}"];`,
      );
    }
    if (clusters) out.push('  }');
  });
  for (const e of model.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    out.push(`  ${ids.get(e.from)} -> ${ids.get(e.to)} [label=${q(e.label)}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

type Viz = { renderString(src: string, o: { format: string }): string };

async function viz(): Promise<Viz> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@viz-js/viz') as { instance(): Promise<Viz> }).instance();
}

/** SVG from DOT, offline. */
export async function dotToSvg(dot: string): Promise<string> {
  return (await viz()).renderString(dot, { format: 'svg' });
}

const COLUMN_GAP = 24;
const MARGIN = 12;

/**
 * One SVG of every chart: each chart is laid out on its own by Graphviz and the charts are then placed in
 * `columns` columns (each in the shortest column so far, in file order), which reads far better than one
 * Graphviz layout of many disconnected clusters (a single tall stack).
 */
export async function chartsToSvg(model: GModel, columns: number, title: string): Promise<string> {
  const v = await viz();
  const pieces: { w: number; h: number; body: string }[] = [];
  model.files.forEach((file, fi) => {
    const nodes = model.nodes.filter((n) => n.file === file);
    if (nodes.length === 0) return;
    const keys = new Set(nodes.map((n) => n.key));
    const svg = v.renderString(
      toDot({ files: [file], nodes, edges: model.edges.filter((e) => keys.has(e.from) && keys.has(e.to)) }, file, false),
      { format: 'svg' },
    );
    const m = /<svg width="([0-9.]+)pt" height="([0-9.]+)pt"\s+viewBox="([^"]+)"/.exec(svg);
    if (!m) throw new Error(`unexpected SVG from Graphviz for ${file}`);
    const inner = svg.slice(svg.indexOf('>', m.index) + 1, svg.lastIndexOf('</svg>')).replace(/ id="/g, ` id="c${fi}_`);
    pieces.push({ w: Number(m[1]), h: Number(m[2]), body: `viewBox="${m[3]}">${inner}` });
  });
  const n = Math.max(1, Math.min(columns, pieces.length));
  const heights: number[] = new Array(n).fill(52);
  const column: number[] = [];
  const ys: number[] = [];
  for (const p of pieces) {
    const c = heights.indexOf(Math.min(...heights));
    column.push(c);
    ys.push(heights[c]);
    heights[c] += p.h + COLUMN_GAP;
  }
  const widths = heights.map((_, c) => Math.max(0, ...pieces.filter((_p, i) => column[i] === c).map((p) => p.w)));
  const xs = widths.map((_, c) => widths.slice(0, c).reduce((s, w) => s + w + COLUMN_GAP, MARGIN));
  const placed = pieces.map((p, i) =>
    [
      `<rect x="${xs[column[i]].toFixed(0)}" y="${ys[i].toFixed(0)}" width="${p.w}" height="${p.h}" rx="10" fill="#f8fafc" stroke="#94a3b8"/>`,
      `<svg x="${xs[column[i]].toFixed(0)}" y="${ys[i].toFixed(0)}" width="${p.w}" height="${p.h}" ${p.body}</svg>`,
    ].join('\n'),
  );
  const width = Math.ceil(xs[n - 1] + widths[n - 1] + MARGIN);
  const height = Math.ceil(Math.max(...heights) - COLUMN_GAP + MARGIN);
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="30" text-anchor="middle" font-family="Helvetica,Arial,sans-serif" font-size="20" font-weight="bold" fill="#0f172a">${html(title)}</text>`,
    ...placed,
    '</svg>',
    '',
  ].join('\n');
}
