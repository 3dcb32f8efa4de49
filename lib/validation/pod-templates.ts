import { arr, at, obj, str } from './json-path';
import { podTemplateSite } from '../pod/pod-bearing';
import { Labels } from './selectors';

/** One pod template of an object, with the JSON paths of its parts. */
export interface PodTemplateJson {
  /** JSON path of the template's `metadata` (`spec.template.metadata`; `metadata` for a Pod). */
  readonly metaPath: string;
  /** JSON path of the pod spec (`spec.template.spec`; `spec` for a Pod). */
  readonly specPath: string;
  readonly spec: Record<string, any>;
  readonly labels: Labels;
  readonly annotations: { [key: string]: string };
  readonly job: boolean;
  readonly controller: boolean;
  /** A StatefulSet's claim templates, which its pods get as volumes. */
  readonly claimTemplates: ReadonlyArray<{ readonly name: string; readonly path: string }>;
}

/** The pod template of a manifest, if its kind has one and the object holds a pod spec. */
export function podTemplateOf(json: Record<string, any>): PodTemplateJson | undefined {
  const site = podTemplateSite(json);
  if (!site) return undefined;
  const loc = site.kind;
  const kind = json.kind;
  const node = obj(site.template);
  let base = '';
  for (const key of loc.path) base = at(base, key);
  const spec = obj(node?.spec);
  if (!node || !spec) return undefined;
  const metadata = obj(node.metadata) ?? {};
  const claimTemplates =
    kind === 'StatefulSet'
      ? arr(json.spec?.volumeClaimTemplates).map((c, i) => ({
          name: str(c?.metadata?.name) ?? '',
          path: `spec.volumeClaimTemplates[${i}]`,
        }))
      : [];
  return {
    metaPath: at(base, 'metadata'),
    specPath: at(base, 'spec'),
    spec,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
    job: loc.restart === 'completion',
    controller: loc.restart === 'always',
    claimTemplates,
  };
}

function stringMap(value: unknown): { [key: string]: string } {
  return (obj(value) as { [key: string]: string } | undefined) ?? {};
}

/** The list a container belongs to. */
export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';

/** One container of a pod spec, with its JSON path. */
export interface ContainerJson {
  readonly c: Record<string, any>;
  readonly path: string;
  readonly list: ContainerList;
  readonly name: string;
}

const LISTS: readonly ContainerList[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** The containers of each template, listed once per validation run (eight rules ask for them). */
const listed = new WeakMap<PodTemplateJson, readonly ContainerJson[]>();

/** Every container of a pod spec: init containers first (they run first), then app and ephemeral ones. */
export function containersOf(t: PodTemplateJson): readonly ContainerJson[] {
  const known = listed.get(t);
  if (known) return known;
  const out: ContainerJson[] = [];
  for (const list of LISTS) {
    const items = arr(t.spec[list]);
    for (let i = 0; i < items.length; i++) {
      const c = obj(items[i]);
      if (c) out.push({ c, path: `${t.specPath}.${list}[${i}]`, list, name: typeof c.name === 'string' ? c.name : '' });
    }
  }
  listed.set(t, out);
  return out;
}
