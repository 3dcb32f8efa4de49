// Every object of a tree, parsed (for the topology).
import { Entry, KubeObject, objectKey } from './identity';
import { parseDocument, splitDocuments, Tree } from './load';

export function treeEntries(tree: Tree, onlyFiles?: Set<string>): Entry[] {
  const out: Entry[] = [];
  for (const f of tree.files) {
    if (onlyFiles && !onlyFiles.has(f.file)) continue;
    for (const d of splitDocuments(f)) {
      for (const obj of parseDocument(d) as KubeObject[]) out.push({ key: objectKey(obj), file: f.file, index: d.index, obj });
    }
  }
  return out;
}
