// The changed part of the topology, for the pull-request comment: the objects that changed and their
// neighbours, from the after tree (and the before tree for what was removed), marked by status.
import { DiffResult } from './engine';
import { KubeObject, podTemplateOf } from './identity';
import { treeEntries } from './entries';
import { buildGraph, GEdge, GNode } from './graph-model';
import { Tree } from './load';
import { NodeStatus, toMermaid } from './mermaid';

export const MAX_GRAPH_NODES = 60;

export function changedGraph(diff: DiffResult, before: Tree, after: Tree): string | undefined {
  const status = new Map<string, NodeStatus>();
  const afterFiles = new Set<string>();
  const beforeFiles = new Set<string>();
  for (const c of diff.changes) {
    if (c.after) afterFiles.add(c.after.file);
    if (c.type === 'removed' && c.before) beforeFiles.add(c.before.file);
    if (c.type === 'removed') status.set(c.before!.key, 'removed');
    else status.set(c.after!.key, c.type as NodeStatus);
  }
  if (status.size === 0) return undefined;
  const keep = relevance(diff);
  const a = buildGraph(treeEntries(after, afterFiles, keep));
  const b = beforeFiles.size ? buildGraph(treeEntries(before, beforeFiles, keep)) : { files: [], nodes: [], edges: [] };
  const nodes = new Map<string, GNode>(a.nodes.map((n) => [n.key, n]));
  for (const n of b.nodes) if (status.get(n.key) === 'removed' && !nodes.has(n.key)) nodes.set(n.key, n);
  const edges: GEdge[] = [...a.edges];
  for (const e of b.edges) {
    if ((status.get(e.from) === 'removed' || status.get(e.to) === 'removed') && nodes.has(e.from) && nodes.has(e.to)) edges.push(e);
  }
  const focus = new Set([...status.keys()].filter((k) => nodes.has(k)));
  for (const e of edges) {
    if (status.has(e.from) && nodes.has(e.to)) focus.add(e.to);
    if (status.has(e.to) && nodes.has(e.from)) focus.add(e.from);
  }
  if (focus.size === 0 || focus.size > MAX_GRAPH_NODES) return undefined;
  const kept = [...nodes.values()]
    .filter((n) => focus.has(n.key))
    .sort((x, y) => (x.file === y.file ? (x.key < y.key ? -1 : 1) : x.file < y.file ? -1 : 1));
  const files = [...new Set(kept.map((n) => n.file))].sort();
  return toMermaid({ files, nodes: kept, edges: edges.filter((e) => focus.has(e.from) && focus.has(e.to)) }, status);
}

const METADATA_NAME = /^metadata:\n(?:[ \t]+.*\n|\n)*?  name: ["']?([^"'\n]+)/m;

/**
 * A cheap test of a document's text: could it be a neighbour of a changed object? Neighbours either mention
 * a changed object's name or one of its pod label or selector values (Services, budgets, bindings, autoscalers,
 * webhooks), or are named in a changed object (ConfigMaps, Secrets, ServiceAccounts, roles, claims). Only
 * those documents are parsed, so a release that touches a few objects of a 5,000-object file stays fast.
 */
function relevance(diff: DiffResult): (text: string) => boolean {
  const objects: KubeObject[] = diff.changes.flatMap((c) => [c.before?.obj, c.after?.obj]).filter((o): o is KubeObject => o !== undefined);
  const tokens = new Set<string>();
  for (const o of objects) {
    tokens.add(o.metadata.name);
    const tpl = podTemplateOf(o);
    for (const v of Object.values({
      ...(tpl?.metadata?.labels ?? {}),
      ...(o.spec?.selector?.matchLabels ?? {}),
      ...(o.kind === 'Service' ? (o.spec?.selector ?? {}) : {}),
    })) {
      if (typeof v === 'string' && v.length > 0) tokens.add(v);
    }
  }
  const text = objects.map((o) => JSON.stringify(o)).join('\n');
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // whole tokens only: app-3 must not pull in app-30…app-399
  const mentions = new RegExp(`(?:^|[^A-Za-z0-9._-])(?:${[...tokens].map(escape).join('|')})(?![A-Za-z0-9._-])`);
  return (doc: string) => {
    if (mentions.test(doc)) return true;
    const m = METADATA_NAME.exec(doc);
    return m === null || text.includes(`"${m[1].trim()}"`);
  };
}
