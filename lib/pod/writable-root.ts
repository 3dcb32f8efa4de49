import { sha256Hex } from '../core/hash';
import { toDnsSlug } from '../core/names';
import { OptOut } from '../core/opt-out';
import { ContainerSpec } from './container';
import { PodVolume } from './volume';
import { normalizePath } from './writable-paths';

/** How the read-only root filesystem applies to a pod's containers. */
export interface WritableRootOptions {
  /** Paths every container writes (`PatternDefaults.writablePaths`, else `/tmp`). */
  readonly defaultPaths: readonly string[];
  /** The app opted out (`PatternDefaults.readOnlyRootFilesystem`). */
  readonly appOptOut?: OptOut;
  /** Names of the pod's own volumes (and claims): generated names avoid them. */
  readonly takenNames: readonly string[];
}

/** Containers made read-only, with the emptyDir volumes that back their writable paths. */
export interface WritableRoot {
  readonly initContainers: ContainerSpec[];
  readonly containers: ContainerSpec[];
  readonly volumes: PodVolume[];
}

/** True when a container keeps a writable root filesystem: it opted out, or the app did and it did not ask for read-only. */
export function isWritableRoot(c: ContainerSpec, appOptOut?: OptOut): boolean {
  const own = c.security?.readOnlyRootFilesystem;
  if (OptOut.isOptOut(own) || own === false) return true;
  return own === undefined && appOptOut !== undefined;
}

/**
 * Applies the read-only root filesystem to init and app containers (read-only unless opted out) and
 * backs each writable path with an `emptyDir` volume mounted there: the defaults first, then the
 * container's own `writablePaths`. A path the container already mounts a volume at, or below a
 * writable mount of it, gets none; a container that opted out gets only the paths it declares.
 * Volume names are `rw-<container>-<path slug>`, with a hash of container and path when that does
 * not fit in 63 characters or is taken.
 */
export function applyWritableRoot(init: ContainerSpec[], app: ContainerSpec[], opts: WritableRootOptions): WritableRoot {
  const taken = new Set(opts.takenNames);
  const volumes: PodVolume[] = [];
  const apply = (c: ContainerSpec): ContainerSpec => {
    const writable = isWritableRoot(c, opts.appOptOut);
    const paths = uniquePaths([...(writable ? [] : opts.defaultPaths), ...(c.writablePaths ?? [])]);
    const mounts = [...(c.mounts ?? [])];
    for (const path of paths) {
      if (mounts.some((m) => covers(m.path, path, m.readOnly === true))) continue;
      const volume = volumeName(c.name, path, taken);
      taken.add(volume);
      volumes.push(PodVolume.emptyDir(volume));
      mounts.push({ volume, path });
    }
    const security = writable ? c.security : { ...(c.security ?? {}), readOnlyRootFilesystem: true };
    return { ...c, mounts: mounts.length > 0 ? mounts : c.mounts, security };
  };
  return { initContainers: init.map(apply), containers: app.map(apply), volumes };
}

function uniquePaths(paths: string[]): string[] {
  return [...new Set(paths.map(normalizePath))];
}

/** Whether a mount at `mountPath` already makes `path` writable (the same path, or below a writable mount). */
function covers(mountPath: string, path: string, readOnly: boolean): boolean {
  const m = normalizePath(mountPath);
  if (m === path) return true;
  return !readOnly && path.startsWith(m === '/' ? '/' : `${m}/`);
}

function volumeName(container: string, path: string, taken: ReadonlySet<string>): string {
  const readable = toDnsSlug(`rw-${container}${path}`, { dots: false });
  if (readable.length <= 63 && !taken.has(readable)) return readable;
  const hash = sha256Hex(`${container}\u0000${path}`, 8);
  return `${toDnsSlug(readable, { dots: false, maxLength: 54 })}-${hash}`;
}
