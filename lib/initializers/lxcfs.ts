import { HostPathVolumeType } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { PodVolume } from '../pod/volume';
import { PodInitializer, PodInitializerOptions } from './pod-initializer';
import { PodMutation } from './pod-mutation';

/** The /proc files lxcfs keeps per container (the lxcfs-initializer mounts these). */
export const LXCFS_PROC_FILES = ['cpuinfo', 'meminfo', 'diskstats', 'stat', 'swaps', 'uptime'];

/** Props of an `LxcfsInitializer`. */
export interface LxcfsInitializerProps extends PodInitializerOptions {
  /** @default 'lxcfs.initializers.cdk8s-patterns.io' */
  readonly name?: string;
  /** Where the lxcfs DaemonSet mounts its FUSE file system on each node. @default '/var/lib/lxcfs' */
  readonly lxcfsDir?: string;
  /** The /proc files to mount. @default LXCFS_PROC_FILES */
  readonly files?: string[];
}

/**
 * Makes `top`, `free` and the JVM see the container's own CPU and memory limits: mounts the /proc
 * files that lxcfs maintains on the node (hostPath `<lxcfsDir>/proc/<file>`, read-only) over
 * `/proc/<file>` in every app container. Needs the lxcfs DaemonSet on every node.
 *
 * hostPath volumes are only allowed at Pod Security "privileged": a pod that is not declared
 * privileged is reported, not silently downgraded, so narrow the initializer with a `selector` to
 * the workloads that declare it.
 */
export class LxcfsInitializer extends PodInitializer {
  /** The /proc files mounted by default. */
  public static readonly PROC_FILES: string[] = [...LXCFS_PROC_FILES];

  private readonly dir: string;
  private readonly files: string[];

  constructor(props: LxcfsInitializerProps = {}) {
    super({ ...props, name: props.name ?? 'lxcfs.initializers.cdk8s-patterns.io' });
    this.dir = (props.lxcfsDir ?? '/var/lib/lxcfs').replace(/\/+$/, '');
    this.files = [...(props.files ?? LXCFS_PROC_FILES)];
  }

  public check(field: string): ProblemDetails[] {
    const out = super.check(field);
    if (!this.dir.startsWith('/')) out.push({ field: `${field}.lxcfsDir`, rule: `"${this.dir}" must be an absolute path` });
    if (this.files.length === 0) out.push({ field: `${field}.files`, rule: 'must name at least one /proc file' });
    this.files.forEach((f, i) => {
      if (!/^[a-z][a-z0-9_]*$/.test(f))
        out.push({ field: `${field}.files[${i}]`, rule: `"${f}" is not a /proc file name (e.g. "meminfo")` });
    });
    return out;
  }

  public initialize(pod: PodMutation): void {
    for (const file of this.files) {
      const volume = `lxcfs-proc-${file.replace(/_/g, '-')}`;
      pod.addVolume(PodVolume.hostPath(volume, `${this.dir}/proc/${file}`, { type: HostPathVolumeType.FILE }));
      pod.addMount({ volume, path: `/proc/${file}`, readOnly: true });
    }
  }
}
