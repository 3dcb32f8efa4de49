import { ApiObject, ApiObjectMetadata, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { metadataJson } from './metadata';
import { nonEmpty, plain, setKey, sortedCopy } from './plain';
import { addedMetadataOf } from './recommended-labels';

/** Props of a `Manifest`. */
export interface ManifestProps {
  /** API version, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** Kind, e.g. `StatefulSet`. */
  readonly kind: string;
  /** Object metadata (the chart's namespace and labels are added as for any cdk8s ApiObject). */
  readonly metadata?: ApiObjectMetadata;
  /**
   * Produces the fields besides apiVersion/kind (`spec`, `data`, `rules`...), and optionally `metadata`
   * with labels and annotations known only at synth, which win over the object's own (a bare Pod's
   * template labels). Called at synth, so the owning construct can keep changing its state until then.
   */
  readonly render: () => Record<string, unknown>;
  /**
   * A cluster-scoped kind (ClusterRole, CRD, webhook configurations...): the chart's namespace is
   * not written on it.
   * @default false
   */
  readonly clusterScoped?: boolean;
}

/**
 * The API object behind every construct of this library. It renders plain JSON directly from its
 * owner's state: no per-value resolver pass and no typed L1 serializer, so what the owner renders
 * is exactly what is written (no dropped fields, no nulled quantities), and it is fast. JSON patches
 * added with `addJsonPatch` still apply, as the documented escape hatch.
 */
export class Manifest extends ApiObject {
  private readonly render: () => Record<string, unknown>;
  private readonly clusterScoped: boolean;

  constructor(scope: Construct, id: string, props: ManifestProps) {
    super(scope, id, { apiVersion: props.apiVersion, kind: props.kind, metadata: props.metadata });
    this.render = props.render;
    markPlainRendered(this);
    this.clusterScoped = props.clusterScoped ?? false;
  }

  public toJson(): any {
    return renderManifest(this, this.render(), this.clusterScoped);
  }
}

/** API objects that render through `renderManifest` (every key kept), unlike cdk8s's resolver. */
const plainRendered = new WeakSet<ApiObject>();

/** Records that `obj` renders through `renderManifest` (called by the constructors of our API objects). */
export function markPlainRendered(obj: ApiObject): void {
  plainRendered.add(obj);
}

/** True for an API object of this library: it renders through `renderManifest`, which keeps every key. */
export function isPlainRendered(obj: ApiObject): boolean {
  return plainRendered.has(obj);
}

/**
 * The manifest JSON of `obj` with the fields of `body` (`spec`, `rules`...): apiVersion, kind, its
 * metadata with what its workload adds (recommended labels, opt-out annotations), then `body` made plain; the object's JSON patches applied last. Our API objects (`Manifest`,
 * and the RBAC classes that are API objects themselves) all render through here.
 */
export function renderManifest(obj: ApiObject, body: { [key: string]: unknown }, clusterScoped: boolean): any {
  const plainBody = plain(body);
  let metadata = metadataJson(obj);
  if (clusterScoped) delete metadata.namespace;
  const added = addedMetadataOf(obj);
  const rendered = plainBody.metadata;
  // the added labels and annotations < the object's own (and the chart's) < those rendered at synth
  if (added.labels || added.annotations || rendered) {
    // rebuilt key by key in sorted order (no deep copy: the metadata is plain already)
    const merged: Record<string, any> = {
      ...metadata,
      labels: layered(added.labels, metadata.labels, rendered?.labels),
      annotations: layered(added.annotations, metadata.annotations, rendered?.annotations),
    };
    metadata = sortedCopy(merged);
  }
  const json: Record<string, any> = { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
  for (const k of Object.keys(plainBody)) {
    if (k !== 'metadata') setKey(json, k, plainBody[k]);
  }
  const patches: JsonPatch[] = (obj as any).patches;
  return patches.length > 0 ? JsonPatch.apply(json, ...patches) : json;
}

/** The maps merged, later ones winning, keys sorted; undefined when all are empty. The object's own map as it is when it is the only one. */
function layered(added: Labels | undefined, own: Labels | undefined, rendered: Labels | undefined): Labels | undefined {
  if (!added && !rendered) return own;
  return nonEmpty(sortedCopy({ ...added, ...own, ...rendered }));
}

type Labels = { [key: string]: string };
