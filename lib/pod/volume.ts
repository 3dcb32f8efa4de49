import { Size, SizeRoundingBehavior } from 'cdk8s';
import type { IConfigMap, ISecret, Volume as PlusVolume } from 'cdk8s-plus-27';
import { HostPathVolumeType } from 'cdk8s-plus-27';
import { failOutsideConstruct } from '../core/errors';
import { plain } from '../core/plain';
import { sizeToQuantity } from '../core/quantity';

/** Options of `PodVolume.emptyDir`. */
export interface EmptyDirOptions {
  /** `Memory` for a tmpfs. @default - node disk */
  readonly medium?: 'Memory';
  /** Size limit: a positive whole number of KiB (another size throws a `PatternError`). @default - none */
  readonly sizeLimit?: Size;
}

/** Options of `PodVolume.configMap` and `PodVolume.secret`. */
export interface KeyProjectionOptions {
  /** Project only these keys, to these relative paths (key → path). @default - every key, as a file named after it */
  readonly items?: { [key: string]: string };
  /** File mode bits of the projected files. @default 0644 */
  readonly defaultMode?: number;
  /** Start the pod even if the source is missing. @default false */
  readonly optional?: boolean;
}

/** Options of `PodVolume.hostPath`. */
export interface HostPathOptions {
  /** What must exist at the path. @default HostPathVolumeType.DEFAULT (no check) */
  readonly type?: HostPathVolumeType;
}

/** Options of `PodVolume.persistentClaim`. */
export interface PersistentClaimOptions {
  /** Mount the claim read-only in every container. @default false */
  readonly readOnly?: boolean;
}

/**
 * A volume of a pod. Built with the static factories, or taken from a cdk8s-plus `Volume` with
 * `PodVolume.fromPlus`.
 */
export class PodVolume {
  /** A scratch directory that lives as long as the pod. */
  public static emptyDir(name: string, options: EmptyDirOptions = {}): PodVolume {
    const sizeLimit = options.sizeLimit ? sizeToQuantity(options.sizeLimit) : undefined;
    // thrown here, where the bad call is, since a volume can be held by a pod template, a sidecar or a preset
    if (options.sizeLimit && sizeLimit === undefined) {
      failOutsideConstruct(
        'PodVolume.emptyDir',
        'sizeLimit',
        `must be a positive whole number of KiB (got ${options.sizeLimit.toKibibytes({ rounding: SizeRoundingBehavior.NONE })} KiB for volume "${name}")`,
      );
    }
    return new PodVolume(name, 'emptyDir', { emptyDir: { medium: options.medium, sizeLimit } });
  }

  /** The keys of a ConfigMap (a cdk8s-plus `ConfigMap` or a name) as files. */
  public static configMap(name: string, configMap: IConfigMap | string, options: KeyProjectionOptions = {}): PodVolume {
    const cmName = typeof configMap === 'string' ? configMap : configMap.name;
    return new PodVolume(name, 'configMap', {
      configMap: { name: cmName, items: items(options.items), defaultMode: options.defaultMode, optional: options.optional },
    });
  }

  /** The keys of a Secret (a cdk8s-plus `Secret` or a name) as files. */
  public static secret(name: string, secret: ISecret | string, options: KeyProjectionOptions = {}): PodVolume {
    const secretName = typeof secret === 'string' ? secret : secret.name;
    return new PodVolume(name, 'secret', {
      secret: { secretName, items: items(options.items), defaultMode: options.defaultMode, optional: options.optional },
    });
  }

  /** A file or directory of the node. Only pods at `PodSecurity.privileged` may use it. */
  public static hostPath(name: string, path: string, options: HostPathOptions = {}): PodVolume {
    // HostPathVolumeType.DEFAULT is the empty string: no check, so no field
    return new PodVolume(name, 'hostPath', { hostPath: { path, type: options.type || undefined } });
  }

  /** An existing PersistentVolumeClaim. */
  public static persistentClaim(name: string, claimName: string, options: PersistentClaimOptions = {}): PodVolume {
    return new PodVolume(name, 'persistentVolumeClaim', { persistentVolumeClaim: { claimName, readOnly: options.readOnly } });
  }

  /** Pod fields as files (`{ 'labels': 'metadata.labels' }`: file path → field path). */
  public static downwardApi(name: string, files: { [key: string]: string }): PodVolume {
    const list = Object.keys(files)
      .sort()
      .map((path) => ({ path, fieldRef: { fieldPath: files[path] } }));
    return new PodVolume(name, 'downwardAPI', { downwardAPI: { items: list } });
  }

  /** Any cdk8s-plus-27 `Volume` (`Volume.fromConfigMap`, `Volume.fromCsi`, ...), kept as it renders. */
  public static fromPlus(volume: PlusVolume): PodVolume {
    const kube: Record<string, any> = plain((volume as any)._toKube());
    const { name, ...source } = kube;
    return new PodVolume(name, Object.keys(source)[0] ?? 'unknown', source);
  }

  private constructor(
    /** The volume's name, which mounts refer to. */
    public readonly name: string,
    /** The source type (`emptyDir`, `configMap`, `hostPath`...). */
    public readonly type: string,
    private readonly source: Record<string, unknown>,
  ) {}

  /** The `volumes[]` entry. */
  public toJson(): Record<string, unknown> {
    return { name: this.name, ...this.source };
  }
}

function items(map?: { [key: string]: string }) {
  return map
    ? Object.keys(map)
        .sort()
        .map((key) => ({ key, path: map[key] }))
    : undefined;
}
