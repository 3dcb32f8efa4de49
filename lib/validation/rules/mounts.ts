import { RuleInput } from '../findings';
import { arr, str } from '../json-path';
import { containersOf } from '../pod-templates';
import { ValidationRule } from '../rule';

/**
 * Mounts: every `volumeMounts[].name` and `volumeDevices[].name` of every container (init containers
 * included) names a volume of the pod or, for a StatefulSet, a claim template; every claim template is
 * mounted by some container. The API server accepts a StatefulSet whose pods cannot start, so this is
 * caught here.
 */
export function checkMounts({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    const t = o.template!;
    const known = new Set<string>();
    for (const v of arr(t.spec.volumes)) if (str(v?.name)) known.add(v.name);
    for (const c of t.claimTemplates) if (c.name) known.add(c.name);
    const mounted = new Set<string>();
    for (const { c, path, name } of containersOf(t)) {
      for (const list of ['volumeMounts', 'volumeDevices'] as const) {
        arr(c[list]).forEach((m, j) => {
          if (typeof m?.name !== 'string') return;
          mounted.add(m.name);
          if (!known.has(m.name)) {
            report(
              o,
              ValidationRule.MOUNTS,
              `${path}.${list}[${j}].name`,
              `container "${name}" mounts "${m.name}", which is neither a volume of the pod nor a claim template, so the pods cannot start`,
              `known: ${[...known].sort().join(', ') || 'none'}`,
            );
          }
        });
      }
    }
    for (const c of t.claimTemplates) {
      if (c.name && !mounted.has(c.name)) {
        report(
          o,
          ValidationRule.MOUNTS,
          c.path,
          `claim template "${c.name}" is not mounted by any container, so every pod would get a volume nobody uses`,
          'mount it in a container, or remove it',
        );
      }
    }
  }
}
