// The topology of a folder of synthesized YAML, as Mermaid, DOT or SVG (jsii-compatible public class).
import { chartsToSvg, toDot } from './dot';
import { treeEntries } from './entries';
import { buildGraph, GModel } from './graph-model';
import { readFolder } from './load';
import { toMermaid } from './mermaid';

/** An object (or a claim template, an initializer, a referenced object outside the tree) in the topology. */
export interface TopologyNode {
  readonly id: string;
  /** The file (chart) it is drawn in. */
  readonly chart: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** workload, service, config, storage, rbac, policy, admission, initializer or other. */
  readonly category: string;
  /** Referenced by an object of the tree but not in it. */
  readonly external: boolean;
}

/** A relation: `selects`, `budget`, `scales`, `runs as`, `mounts`, `env`, `claims`, `grants`, `to`, `calls`, `injected into`... */
export interface TopologyEdge {
  /** The id of the node the relation goes from. */
  readonly source: string;
  /** The id of the node it goes to. */
  readonly target: string;
  readonly label: string;
}

export class TopologyGraph {
  /** Reads every `.yaml`/`.yml` file below `dir`; each file is a chart. */
  public static fromFolder(dir: string): TopologyGraph {
    return new TopologyGraph(buildGraph(treeEntries(readFolder(dir))));
  }

  /** From YAML texts by file name. */
  public static fromYaml(files: { [file: string]: string }): TopologyGraph {
    const list = Object.keys(files)
      .sort()
      .map((file) => ({ file, text: files[file] }));
    return new TopologyGraph(buildGraph(treeEntries({ label: 'yaml', files: list })));
  }

  public readonly charts: string[];
  public readonly nodes: TopologyNode[];
  public readonly edges: TopologyEdge[];
  private readonly model: GModel;

  private constructor(model: GModel) {
    this.model = model;
    const ids = new Map(model.nodes.map((n, i) => [n.key, `n${i}`]));
    this.charts = [...model.files];
    this.nodes = model.nodes.map((n) => ({
      id: ids.get(n.key)!,
      chart: n.file,
      kind: n.kind,
      namespace: n.namespace,
      name: n.name,
      category: n.category,
      external: n.external,
    }));
    this.edges = model.edges.map((e) => ({ source: ids.get(e.from)!, target: ids.get(e.to)!, label: e.label }));
  }

  public toMermaid(): string {
    return toMermaid(this.model);
  }

  /** Graphviz DOT of the whole topology, one cluster per chart. */
  public toDot(): string {
    return toDot(this.model);
  }

  /**
   * SVG rendered offline by Graphviz compiled to WebAssembly: each chart laid out on its own, the charts in
   * `columns` columns (default 2).
   */
  public async toSvg(columns?: number): Promise<string> {
    return chartsToSvg(this.model, columns ?? 2, 'cdk8s-patterns topology');
  }
}
