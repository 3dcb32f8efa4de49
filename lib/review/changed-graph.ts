// The changed part of the topology, for the pull-request comment: the objects that changed and their
// neighbours, from the after tree (and the before tree for what was removed), marked by status.
import { DiffResult } from './engine';
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
  const a = buildGraph(treeEntries(after, afterFiles));
  const b = beforeFiles.size ? buildGraph(treeEntries(before, beforeFiles)) : { files: [], nodes: [], edges: [] };
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
  const kept = [...nodes.values()].filter((n) => focus.has(n.key)).sort((x, y) => (x.file === y.file ? (x.key < y.key ? -1 : 1) : x.file < y.file ? -1 : 1));
  const files = [...new Set(kept.map((n) => n.file))].sort();
  return toMermaid({ files, nodes: kept, edges: edges.filter((e) => focus.has(e.from) && focus.has(e.to)) }, status);
}
