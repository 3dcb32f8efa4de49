import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { sha256Hex } from '../core/hash';
import { OptOut } from '../core/opt-out';
import { canonical, isPlainObject, nonEmpty, obj, sortedCopy } from '../core/plain';
import { IRenderPrepass, Registry, RenderedObject } from '../core/registry';
import { ConstructState } from '../core/state';
import { PatternDefaults } from './defaults';
import { CONFIG_HASH_PREFIX, podTemplateSite } from './pod-bearing';
import { configReferencesOf } from './config-references';

/**
 * Rollouts on config change: a Deployment, StatefulSet or DaemonSet whose pods use a ConfigMap or
 * Secret of the same app and namespace (volumes, projected sources, `env` `valueFrom`, `envFrom`, in
 * app and init containers) carries the content hash of each one in its pod template annotations,
 * `checksum.cdk8s-patterns.io/configmap.<name>` and `checksum.cdk8s-patterns.io/secret.<name>`, so
 * changing the data changes the template and rolls the pods (Helm charts' `checksum/config`).
 *
 * It applies to every such object of the app, whatever class rendered it (this library's, cdk8s-plus,
 * L1 `k8s` classes, `ApiObject`, `Include`). Switched off by the annotation
 * `opt-out.cdk8s-patterns.io/config-rollout` on the workload, its pod template, or a ConfigMap/Secret
 * (then that one is never hashed); per workload construct with `configRollout: OptOut.because(...)`;
 * app-wide with `PatternDefaults.configRollouts` (both write that annotation, with the reason, on the
 * object).
 */
export class ConfigRollout {
  /** Prefix of the hash annotations on pod templates (`checksum.cdk8s-patterns.io/configmap.<name>`). */
  public static readonly ANNOTATION_PREFIX = CONFIG_HASH_PREFIX;
  /** The opt-out annotation (on a workload, its pod template, or a ConfigMap or Secret). */
  public static readonly OPT_OUT_ANNOTATION = `${OptOut.ANNOTATION_PREFIX}config-rollout`;

  /**
   * The pod template annotation that carries the hash of the ConfigMap or Secret `name`:
   * `checksum.cdk8s-patterns.io/configmap.<name>` (or `secret.<name>`). A name too long for an
   * annotation key (63 characters after the prefix) is cut and ends in 8 hex digits of its hash.
   * @param kind `ConfigMap` or `Secret`
   */
  public static annotationKey(kind: string, name: string): string {
    const prefix = `${kind.toLowerCase()}.`;
    const full = `${prefix}${name}`;
    if (full.length <= 63) return `${ConfigRollout.ANNOTATION_PREFIX}${full}`;
    const cut = name.slice(0, 63 - prefix.length - 9).replace(/[^A-Za-z0-9]+$/, '');
    return `${ConfigRollout.ANNOTATION_PREFIX}${prefix}${cut}-${sha256Hex(name, 8)}`;
  }

  /**
   * The content hash of a rendered ConfigMap or Secret: the first 16 hex digits of the SHA-256 of the
   * canonical JSON (sorted keys) of what its pods see: a ConfigMap's `data` and `binaryData`; a
   * Secret's `type` and `data`, with `stringData` merged in base64-encoded as the API server does on
   * write. Names, labels and annotations are not part of it. A Secret's hash covers the whole object in
   * one digest, so it tells nothing about single values.
   */
  public static contentHash(manifest: any): string {
    return sha256Hex(canonical(content(manifest)), 16);
  }

  /**
   * Switches the pass on for `app` (the synth pipeline does, for every app it is installed in).
   * @internal
   */
  public static _enable(app: IConstruct): void {
    Registry.addPrepass(app, 'config-rollout', {
      selects: isConfigObject,
      prepare: (objects) => indexes.set(app, indexOf(objects)),
    } satisfies IRenderPrepass);
    // after the initializers (which may add volumes and envFrom), before the noise filter
    Registry.addTransform(app, { order: 'rollout', transform: annotate });
  }

  private constructor() {}
}

/** Per app: `namespace \0 Kind \0 name` → content hash, of the last synth's ConfigMaps and Secrets. */
const indexes = new ConstructState<Map<string, string>>();

function isConfigObject(obj: ApiObject): boolean {
  return obj.apiVersion === 'v1' && (obj.kind === 'ConfigMap' || obj.kind === 'Secret');
}

const nonEmptyObject = (v: unknown) => nonEmpty(obj(v));

/**
 * What the pods see of a ConfigMap or Secret. A Secret's `stringData` is merged into `data`
 * base64-encoded, overwriting (core/v1 Secret.stringData: "merged into the data field on write,
 * overwriting any existing values"), so moving a value between the two rolls nothing.
 */
function content(json: any): unknown {
  if (json?.kind !== 'Secret') return { data: nonEmptyObject(json?.data), binaryData: nonEmptyObject(json?.binaryData) };
  const data: Record<string, unknown> = Object.create(null);
  if (isPlainObject(json.data)) for (const k of Object.keys(json.data)) data[k] = json.data[k];
  if (isPlainObject(json.stringData))
    for (const k of Object.keys(json.stringData)) data[k] = Buffer.from(String(json.stringData[k]), 'utf8').toString('base64');
  return { type: json.type ?? 'Opaque', data: nonEmptyObject(data) };
}

function indexOf(objects: RenderedObject[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const { json } of objects) {
    const name = json?.metadata?.name;
    if (typeof name !== 'string' || json.metadata.annotations?.[ConfigRollout.OPT_OUT_ANNOTATION] !== undefined) continue;
    const key = `${json.metadata.namespace ?? 'default'}\0${json.kind}\0${name}`;
    if (!index.has(key)) index.set(key, ConfigRollout.contentHash(json));
  }
  return index;
}

/** The ConfigMaps and Secrets a pod spec uses (not its image pull Secrets: the pods do not read them), as `Kind \0 name`, sorted. */
function referencesOf(spec: any): string[] {
  const refs = configReferencesOf(spec).filter((r) => r.use !== 'pulls with');
  return [...new Set(refs.map((r) => `${r.kind}\0${r.name}`))].sort();
}

const optedOut = (metadata: any) => metadata?.annotations?.[ConfigRollout.OPT_OUT_ANNOTATION] !== undefined;

/**
 * The transform: writes the hashes on the pod template of a rolling workload, or, opted out app-wide,
 * the reason on the object.
 */
function annotate(obj: ApiObject, json: any): any {
  const site = podTemplateSite(json);
  if (!site?.kind.rollsOnChange || !isPlainObject(site.template) || !isPlainObject(site.template.spec)) return json;
  if (optedOut(json.metadata) || optedOut(site.template.metadata)) return json;
  const refs = referencesOf(site.template.spec);
  if (refs.length === 0) return json;
  // prepared by the pipeline at the start of every synth, before this transform runs on any object
  const index = indexes.get(obj.node.root);
  if (!index) return json;
  const namespace = json.metadata?.namespace ?? 'default'; // as validation reads it
  const hashes: Record<string, string> = {};
  for (const ref of refs) {
    const hash = index.get(`${namespace}\0${ref}`);
    if (hash === undefined) continue; // not in the app (or in another namespace, or opted out): nothing to follow
    const [kind, name] = ref.split('\0');
    hashes[ConfigRollout.annotationKey(kind, name)] = hash;
  }
  if (Object.keys(hashes).length === 0) return json;
  // app-wide opt-out (the library's workloads write theirs themselves, which the check above reads)
  const optOut = PatternDefaults.of(obj).configRollouts;
  if (optOut) return withAnnotations(json, { [ConfigRollout.OPT_OUT_ANNOTATION]: optOut.reason.trim() });
  const template = withAnnotations(site.template, hashes);
  if (template !== site.template) site.parent[site.kind.path[site.kind.path.length - 1]] = template;
  return json;
}

/**
 * `holder` (an object or a pod template) with `annotations` added to its metadata, keys kept in order:
 * changed in place, or a sorted copy when it had no metadata.
 */
function withAnnotations(holder: Record<string, any>, annotations: Record<string, string>): Record<string, any> {
  const metadata = isPlainObject(holder.metadata) ? holder.metadata : undefined;
  const existing = metadata && isPlainObject(metadata.annotations) ? metadata.annotations : undefined;
  const merged = sortedCopy(existing ? { ...existing, ...annotations } : annotations);
  if (existing) {
    metadata!.annotations = merged; // an existing key keeps its place
    return holder;
  }
  if (metadata) {
    holder.metadata = sortedCopy({ ...metadata, annotations: merged });
    return holder;
  }
  return sortedCopy({ ...holder, metadata: { annotations: merged } });
}
