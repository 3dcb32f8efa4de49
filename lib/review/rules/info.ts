// Changes worth a line in the review that are neither breaking, data-losing nor risky.
import { CONFIG_HASH_PREFIX, podTemplateSite } from '../../pod/pod-bearing';
import { displayName } from '../identity';
import { ChangeSeverity } from '../types';
import { Hit, rule, Rule } from './rule';

const KINDS: Record<string, string> = { configmap: 'ConfigMap', secret: 'Secret' };

/** The config rollout hashes of a workload's pod template: `ConfigMap/name` → hash. */
function hashesOf(o: any): Map<string, { key: string; hash: string }> {
  const out = new Map<string, { key: string; hash: string }>();
  const annotations = podTemplateSite(o)?.template?.metadata?.annotations ?? {};
  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(CONFIG_HASH_PREFIX)) continue;
    const rest = key.slice(CONFIG_HASH_PREFIX.length);
    const dot = rest.indexOf('.');
    const kind = KINDS[rest.slice(0, dot)];
    if (kind) out.set(`${kind}/${rest.slice(dot + 1)}`, { key, hash: String(annotations[key]) });
  }
  return out;
}

export const configRollout = rule(
  'config-rollout',
  ChangeSeverity.INFO,
  ['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet'],
  'the content hash of a ConfigMap or Secret on a pod template (checksum.cdk8s-patterns.io/...) changes, appears or goes: which config change rolls which workload',
  'a changed pod template is a rollout: the Deployment controller starts a new ReplicaSet per template (pod-template-hash), the StatefulSet and DaemonSet controllers a new controller revision; the hash annotations are written by cdk8s-patterns (ConfigRollout) so that a changed ConfigMap or Secret changes the template',
  (ctx) => {
    if (ctx.type !== 'changed' && ctx.type !== 'renamed') return [];
    const before = hashesOf(ctx.before);
    const after = hashesOf(ctx.after);
    const base = podTemplateSite(ctx.after)!.kind.path.join('.');
    const path = (key: string) => `${base}.metadata.annotations[${JSON.stringify(key)}]`;
    const ns = ctx.after!.metadata.namespace ?? '';
    const config = (ref: string) => {
      const slash = ref.indexOf('/');
      return `\`${displayName(ref.slice(0, slash), ns, ref.slice(slash + 1))}\``;
    };
    const hits: Hit[] = [];
    for (const [ref, a] of after) {
      const b = before.get(ref);
      if (!b)
        hits.push({
          message: `now follows ${config(ref)}: this release rolls the pods once, later changes to it roll them again`,
          paths: [path(a.key)],
        });
      else if (b.hash !== a.hash)
        hits.push({
          message: `${config(ref)} changed: the pods roll to pick it up (a rollout, as for any pod template change)`,
          paths: [path(a.key)],
        });
    }
    for (const [ref, b] of before) {
      if (!after.has(ref))
        hits.push({
          message: `no longer follows ${config(ref)} (reference removed or opted out): changes to it leave running pods alone`,
          paths: [path(b.key)],
        });
    }
    return hits;
  },
);

export const INFO_RULES: Rule[] = [configRollout];
