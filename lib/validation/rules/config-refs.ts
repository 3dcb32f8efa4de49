import type { ObjectInfo, ValidationContext } from '../context';
import { Report, RuleInput } from '../findings';
import { arr, obj, str } from '../json-path';
import { isDeclared } from '../policy';
import { containersOf } from '../pod-templates';
import { ValidationRule } from '../rule';

type Source = 'ConfigMap' | 'Secret';

/** One reference from a pod to a ConfigMap or Secret. */
interface Reference {
  readonly kind: Source;
  readonly name: unknown;
  /** JSON path of the field holding the name. */
  readonly path: string;
  readonly optional: unknown;
  /** Keys the reference picks, with the JSON path of each. */
  readonly keys?: ReadonlyArray<{ readonly key: unknown; readonly path: string }>;
}

/**
 * Config refs: every ConfigMap and Secret a pod uses (volumes, projected volume sources, `envFrom`,
 * `env[].valueFrom`, `imagePullSecrets`) exists in its namespace in the app, unless the reference is
 * optional or the object is declared external; keys it picks exist in the object.
 */
export function checkConfigRefs({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    for (const ref of referencesOf(o)) resolve(ctx, report, o, ref);
  }
}

function referencesOf(o: ObjectInfo): Reference[] {
  const t = o.template!;
  const refs: Reference[] = [];
  const items = (list: unknown, path: string) => arr(list).map((it, i) => ({ key: it?.key, path: `${path}.items[${i}].key` }));
  const projection = (kind: Source, src: any, path: string, nameField: 'name' | 'secretName') =>
    refs.push({ kind, name: src[nameField], path: `${path}.${nameField}`, optional: src.optional, keys: items(src.items, path) });
  arr(t.spec.volumes).forEach((v, i) => {
    const path = `${t.specPath}.volumes[${i}]`;
    if (obj(v?.configMap)) projection('ConfigMap', v.configMap, `${path}.configMap`, 'name');
    if (obj(v?.secret)) projection('Secret', v.secret, `${path}.secret`, 'secretName');
    arr(v?.projected?.sources).forEach((s, j) => {
      if (obj(s?.configMap)) projection('ConfigMap', s.configMap, `${path}.projected.sources[${j}].configMap`, 'name');
      if (obj(s?.secret)) projection('Secret', s.secret, `${path}.projected.sources[${j}].secret`, 'name');
    });
  });
  for (const { c, path } of containersOf(t)) {
    arr(c.envFrom).forEach((e, j) => {
      if (obj(e?.configMapRef))
        refs.push({
          kind: 'ConfigMap',
          name: e.configMapRef.name,
          path: `${path}.envFrom[${j}].configMapRef.name`,
          optional: e.configMapRef.optional,
        });
      if (obj(e?.secretRef))
        refs.push({ kind: 'Secret', name: e.secretRef.name, path: `${path}.envFrom[${j}].secretRef.name`, optional: e.secretRef.optional });
    });
    arr(c.env).forEach((e, j) => {
      const base = `${path}.env[${j}].valueFrom`;
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = obj(e?.valueFrom?.[field]);
        if (ref)
          refs.push({
            kind,
            name: ref.name,
            path: `${base}.${field}.name`,
            optional: ref.optional,
            keys: [{ key: ref.key, path: `${base}.${field}.key` }],
          });
      }
    });
  }
  arr(t.spec.imagePullSecrets).forEach((s, i) =>
    refs.push({ kind: 'Secret', name: s?.name, path: `${t.specPath}.imagePullSecrets[${i}].name`, optional: false }),
  );
  return refs;
}

function resolve(ctx: ValidationContext, report: Report, o: ObjectInfo, ref: Reference): void {
  const name = str(ref.name);
  if (!name || ref.optional === true) return;
  const target = ctx.find('', ref.kind, o.namespace, name);
  if (!target) {
    const declared = ref.kind === 'ConfigMap' ? o.policy.external.configMaps : o.policy.external.secrets;
    if (!isDeclared(declared, o.namespace, name)) {
      const option = ref.kind === 'ConfigMap' ? 'configMaps' : 'secrets';
      report(
        o,
        ValidationRule.CONFIG_REFS,
        ref.path,
        `${ref.kind} "${name}" is not in namespace "${o.namespace}" of the app, so the pods cannot start`,
        `add it to the app, mark the reference optional, or declare it: Validation.external(scope, { ${option}: ['${name}'] })`,
      );
    }
    return;
  }
  if (!ref.keys?.length) return;
  const keys = keysOf(target);
  for (const k of ref.keys) {
    if (typeof k.key === 'string' && !keys.has(k.key)) {
      report(
        o,
        ValidationRule.CONFIG_REFS,
        k.path,
        `${ref.kind} "${name}" has no key "${k.key}"`,
        `its keys: ${[...keys].sort().join(', ') || 'none'}`,
      );
    }
  }
}

function keysOf(target: ObjectInfo): Set<string> {
  const fields = target.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
  return new Set(fields.flatMap((f) => Object.keys(obj(target.json[f]) ?? {})));
}
