// Every object of a tree, parsed (for the topology).
import { Entry, KubeObject, objectKey } from './identity';
import { parseDocument, splitDocuments, Tree } from './load';

/** The objects of `tree` (only of `onlyFiles`; only of the documents `keep` accepts, by their text). */
export function treeEntries(tree: Tree, onlyFiles?: Set<string>, keep?: (text: string) => boolean): Entry[] {
  const out: Entry[] = [];
  for (const f of tree.files) {
    if (onlyFiles && !onlyFiles.has(f.file)) continue;
    for (const d of splitDocuments(f)) {
      if (keep && !keep(d.text)) continue;
      for (const obj of parseDocument(d) as KubeObject[]) out.push({ key: objectKey(obj), file: f.file, index: d.index, obj });
    }
  }
  return out;
}
