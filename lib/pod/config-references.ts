import { arr } from '../core/plain';

/** How a pod uses a ConfigMap or Secret. */
export type ConfigUse = 'mounts' | 'env' | 'envFrom' | 'pulls with';

/** A ConfigMap or Secret a pod spec names. */
export interface ConfigReference {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly use: ConfigUse;
}

/**
 * Every ConfigMap and Secret a pod spec names, in spec order: volumes (projected sources too), then each
 * init and app container's `env[].valueFrom` and `envFrom`, then `imagePullSecrets`. The one walker of
 * these references for the config rollout hashes and the topology picture.
 */
export function configReferencesOf(spec: any): ConfigReference[] {
  const out: ConfigReference[] = [];
  const add = (kind: ConfigReference['kind'], name: unknown, use: ConfigUse) => {
    if (typeof name === 'string' && name !== '') out.push({ kind, name, use });
  };
  for (const v of arr(spec?.volumes)) {
    add('ConfigMap', v?.configMap?.name, 'mounts');
    add('Secret', v?.secret?.secretName, 'mounts');
    for (const s of arr(v?.projected?.sources)) {
      add('ConfigMap', s?.configMap?.name, 'mounts');
      add('Secret', s?.secret?.name, 'mounts');
    }
  }
  for (const c of [...arr(spec?.initContainers), ...arr(spec?.containers)]) {
    for (const e of arr(c?.env)) {
      add('ConfigMap', e?.valueFrom?.configMapKeyRef?.name, 'env');
      add('Secret', e?.valueFrom?.secretKeyRef?.name, 'env');
    }
    for (const e of arr(c?.envFrom)) {
      add('ConfigMap', e?.configMapRef?.name, 'envFrom');
      add('Secret', e?.secretRef?.name, 'envFrom');
    }
  }
  for (const s of arr(spec?.imagePullSecrets)) add('Secret', s?.name, 'pulls with');
  return out;
}
