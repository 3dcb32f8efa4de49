import { RuleInput } from '../findings';
import { arr, str } from '../json-path';
import { containersOf } from '../pod-templates';
import { ValidationRule } from '../rule';

const INIT_FORBIDDEN = ['readinessProbe', 'livenessProbe', 'startupProbe', 'lifecycle'] as const;

/**
 * Pod spec: what the API server rejects in a pod template beyond the schema: no app container, a
 * container without an image, container names not unique across init, app and ephemeral containers,
 * duplicate volume names, probes or lifecycle hooks on init containers (Kubernetes 1.27 has no sidecar
 * init containers), and a restartPolicy the controller does not allow.
 */
export function checkPodSpecs({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    const t = o.template!;
    const at = (field: string, message: string, hint?: string) => report(o, ValidationRule.POD_SPEC, field, message, hint);
    if (arr(t.spec.containers).length === 0) at(`${t.specPath}.containers`, 'must list at least one container');
    const names = new Map<string, string>();
    for (const { c, path, list, name } of containersOf(t)) {
      if (list !== 'ephemeralContainers' && !str(c.image)) at(`${path}.image`, 'is required');
      if (name) {
        const prior = names.get(name);
        if (prior)
          at(
            `${path}.name`,
            `container name "${name}" is already used by ${prior}`,
            'names must be unique across initContainers, containers and ephemeralContainers',
          );
        else names.set(name, path);
      }
      if (list === 'initContainers') {
        for (const f of INIT_FORBIDDEN) {
          if (c[f] !== undefined)
            at(`${path}.${f}`, `is not allowed on init containers: they run to completion before the app containers start`);
        }
      }
    }
    const volumes = new Map<string, number>();
    arr(t.spec.volumes).forEach((v, i) => {
      const name = str(v?.name);
      if (!name) return;
      if (volumes.has(name))
        at(`${t.specPath}.volumes[${i}].name`, `volume name "${name}" is already used by volumes[${volumes.get(name)}]`);
      else volumes.set(name, i);
    });
    const restart = t.spec.restartPolicy;
    if (t.job && restart !== 'OnFailure' && restart !== 'Never') {
      at(
        `${t.specPath}.restartPolicy`,
        `must be OnFailure or Never for Job pods (got ${restart === undefined ? 'the default, Always' : JSON.stringify(restart)})`,
      );
    } else if (t.controller && restart !== undefined && restart !== 'Always') {
      at(`${t.specPath}.restartPolicy`, `must be Always for ${o.kind} pods (got ${JSON.stringify(restart)})`);
    }
  }
}
