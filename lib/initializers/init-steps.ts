import { ApiObject, Duration } from 'cdk8s';
import { EnvFieldPaths, EnvValue } from 'cdk8s-plus-27';
import type { Service } from 'cdk8s-plus-27';
import { failOutsideConstruct } from '../core/errors';
import { nameViolation, NameRule, toDnsSlug } from '../core/names';
import { ContainerSpec } from '../pod/container';
import type { PodTemplate } from '../pod/pod-template';
import { PodVolume } from '../pod/volume';
import { BareService } from '../workloads/bare-service';

/** The image of the shell steps: a pinned busybox (sh, nslookup, nc, cp). */
export const INIT_STEP_IMAGE = 'busybox:1.36';
/** busybox's `nobody`, so the shell steps run in restricted pods (runAsNonRoot). */
const NOBODY = 65534;

/** Options every ready-made step takes. */
export interface InitStepBaseOptions {
  /** Container name. @default - named after what the step does */
  readonly name?: string;
  /** User to run as. @default 65534 (nobody) with the default image, else the image's user */
  readonly runAsUser?: number;
}

/** Options of the steps that run a shell script. */
export interface InitStepOptions extends InitStepBaseOptions {
  /** Image; it needs the tools the step runs (a POSIX shell, and `nc` for the waiting steps). @default 'busybox:1.36' */
  readonly image?: string;
}

/** Options of the waiting steps. */
export interface WaitOptions extends InitStepOptions {
  /** Pause between attempts. @default Duration.seconds(2) */
  readonly interval?: Duration;
  /** Give up (and fail, so the pod restarts the step) after this long. @default - wait forever */
  readonly timeout?: Duration;
  /**
   * The command that checks a host name resolves (`waitForService`), given the name as its last
   * argument: `'getent hosts'` for images without `nslookup`.
   * @default 'nslookup'
   */
  readonly lookupCommand?: string;
}

/** Options of `InitStep.copyFiles`. */
export interface CopyFilesOptions extends InitStepBaseOptions {
  /** The image that holds the files. */
  readonly image: string;
  /** Absolute directory in the image whose content is copied. */
  readonly sourcePath: string;
  /** Name of the emptyDir volume the files are copied into; the app containers mount it. */
  readonly volume: string;
  /** Where the step mounts the volume. @default '/target' */
  readonly mountPath?: string;
}

/** A file written by `InitStep.configFromOrdinal` from a shell here-document (`$ordinal` holds the pod's ordinal). */
export interface GeneratedFile {
  /** File name in the target volume. */
  readonly file: string;
  /** Content; `$ordinal` and `$((...))` are expanded by the shell (`server-id=$((100 + ordinal))`). */
  readonly content: string;
}

/** Options of `InitStep.configFromOrdinal` (the `init-mysql` shape of the Kubernetes replicated-MySQL example). */
export interface ConfigFromOrdinalOptions extends InitStepOptions {
  /** The volume holding the candidate files (usually a ConfigMap volume); mounted at /mnt/source. */
  readonly source: PodVolume;
  /** Name of the emptyDir volume the config is written to; mounted at /mnt/target. */
  readonly target: string;
  /** Files copied on the pod with ordinal 0 (the primary). @default - none */
  readonly firstPodFiles?: string[];
  /** Files copied on every other pod (the replicas). @default - none */
  readonly otherPodFiles?: string[];
  /** Files written on every pod from the ordinal. @default - none */
  readonly generate?: GeneratedFile[];
  /** Where the step mounts the source volume. @default '/mnt/source' */
  readonly sourcePath?: string;
  /** Where the step mounts the target volume. @default '/mnt/target' */
  readonly targetPath?: string;
}

/** Options of `InitStep.runOnce`. */
export interface RunOnceOptions extends InitStepOptions {
  /** Shell script to run once (it sees POD_NAME and POD_NAMESPACE). */
  readonly script: string;
  /**
   * Where the marker file is kept: a volume the pod gets from `volumes` (default an emptyDir
   * `podinit`: once per pod, across container restarts), or the name of a volume or claim template
   * the pod already has (a StatefulSet claim: once per pod identity, across rescheduling; the step's
   * user must be able to write to it).
   * @default PodVolume.emptyDir('podinit')
   */
  readonly markerVolume?: PodVolume | string;
  /** Where the step mounts the marker volume. @default '/var/run/podinit' */
  readonly markerPath?: string;
}

/**
 * A ready-made init container (plus the volumes it needs), usable in any workload's
 * `initContainers`: `initContainers: [step.container]`, `volumes: step.volumes`, or `step.addTo(pod)`.
 * Every step is idempotent, because Kubernetes may run init containers again.
 */
export class InitStep {
  /** The image of the shell steps unless they name another. */
  public static readonly DEFAULT_IMAGE = INIT_STEP_IMAGE;

  /**
   * Waits until a Service's DNS name resolves (`until nslookup myservice`, as in the init containers documentation). An in-app
   * Service object resolves as `<name>.<namespace>.svc`; a string is looked up as given.
   */
  public static waitForService(service: string | ApiObject | Service | BareService, options: WaitOptions = {}): InitStep {
    // a Service object of the app (ours, a cdk8s-plus Service, a raw ApiObject) resolves as <name>.<namespace>.svc
    const object = typeof service === 'string' ? undefined : service instanceof BareService ? service.apiObject : service;
    const namespace = object?.metadata.namespace;
    const host = typeof service === 'string' ? service : namespace ? `${object!.name}.${namespace}.svc` : object!.name;
    checkHost('InitStep.waitForService', host);
    const lookup = options.lookupCommand ?? 'nslookup';
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/.test(lookup))
      failOutsideConstruct(
        'InitStep.waitForService',
        'lookupCommand',
        `"${lookup}" must be a command and its options, such as 'getent hosts'`,
      );
    const name = options.name ?? stepName('wait-for', typeof service === 'string' ? service.split('.')[0] : object!.name);
    return new InitStep(shellContainer(name, options, waitLoop('InitStep.waitForService', `${lookup} ${host}`, host, options)), []);
  }

  /** Waits until a TCP port accepts connections (`nc -z host port`). */
  public static waitForPort(host: string, port: number, options: WaitOptions = {}): InitStep {
    checkHost('InitStep.waitForPort', host);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      failOutsideConstruct('InitStep.waitForPort', 'port', `must be an integer from 1 to 65535 (got ${port})`);
    const name = options.name ?? stepName('wait-for', `${host.split('.')[0]}-${port}`);
    return new InitStep(
      shellContainer(name, options, waitLoop('InitStep.waitForPort', `nc -z -w 2 ${host} ${port}`, `${host}:${port}`, options)),
      [],
    );
  }

  /**
   * Copies a directory of the step's image into a shared emptyDir (`cp -a /src/. /dst/`),
   * so app containers start with files their own image lacks. Copying again overwrites: idempotent.
   */
  public static copyFiles(options: CopyFilesOptions): InitStep {
    const mountPath = options.mountPath ?? '/target';
    for (const [field, path] of [
      ['sourcePath', options.sourcePath],
      ['mountPath', mountPath],
    ]) {
      if (!path?.startsWith('/')) failOutsideConstruct('InitStep.copyFiles', field, `"${path}" must be an absolute path`);
    }
    return new InitStep(
      {
        name: options.name ?? stepName('copy', options.volume),
        image: options.image,
        command: ['cp', '-a', `${options.sourcePath.replace(/\/+$/, '')}/.`, `${mountPath}/`],
        mounts: [{ volume: options.volume, path: mountPath }],
        security: options.runAsUser !== undefined ? { runAsUser: options.runAsUser } : undefined,
      },
      [PodVolume.emptyDir(options.volume)],
    );
  }

  /**
   * Renders a config from the pod's ordinal (the replicated-MySQL example's `init-mysql`): reads the ordinal from the
   * host name (`<statefulset>-<ordinal>`), copies `firstPodFiles` on ordinal 0 and `otherPodFiles`
   * elsewhere from the source volume, and writes `generate` files. Overwrites on each run: idempotent.
   */
  public static configFromOrdinal(options: ConfigFromOrdinalOptions): InitStep {
    const files = [...(options.firstPodFiles ?? []), ...(options.otherPodFiles ?? []), ...(options.generate ?? []).map((g) => g.file)];
    if (files.length === 0)
      failOutsideConstruct('InitStep.configFromOrdinal', 'firstPodFiles', 'name at least one file to copy or generate');
    for (const f of files) {
      if (!/^[A-Za-z0-9._-]+$/.test(f))
        failOutsideConstruct('InitStep.configFromOrdinal', 'files', `"${f}" must be a plain file name (letters, digits, '.', '_', '-')`);
    }
    const source = (options.sourcePath ?? '/mnt/source').replace(/\/+$/, '');
    const target = (options.targetPath ?? '/mnt/target').replace(/\/+$/, '');
    for (const [field, path] of [
      ['sourcePath', source],
      ['targetPath', target],
    ]) {
      if (!/^\/[A-Za-z0-9._/-]*$/.test(path))
        failOutsideConstruct(
          'InitStep.configFromOrdinal',
          field,
          `"${path}" must be an absolute path (letters, digits, '.', '_', '-', '/')`,
        );
    }
    const copy = (list: string[] | undefined) => (list?.length ? `cp ${list.map((f) => `${source}/${f}`).join(' ')} ${target}/` : ':');
    const script = [
      'set -eu',
      '# the ordinal is the last part of the host name: <statefulset>-<ordinal>',
      'host=$(hostname)',
      'ordinal=${host##*-}',
      'case "$ordinal" in ""|*[!0-9]*) echo "cannot read an ordinal from host name $host" >&2; exit 1;; esac',
      'if [ "$ordinal" -eq 0 ]; then',
      `  ${copy(options.firstPodFiles)}`,
      'else',
      `  ${copy(options.otherPodFiles)}`,
      'fi',
      ...(options.generate ?? []).flatMap((g) => {
        if (g.content.split('\n').includes('CDK8S_PATTERNS_EOF'))
          failOutsideConstruct('InitStep.configFromOrdinal', `generate.${g.file}`, 'content must not contain the line CDK8S_PATTERNS_EOF');
        return [`cat > ${target}/${g.file} <<CDK8S_PATTERNS_EOF`, g.content.replace(/\n$/, ''), 'CDK8S_PATTERNS_EOF'];
      }),
    ].join('\n');
    return new InitStep(
      {
        ...shellContainer(options.name ?? 'init-config', options, script),
        mounts: [
          { volume: options.source.name, path: source },
          { volume: options.target, path: target },
        ],
      },
      [options.source, PodVolume.emptyDir(options.target)],
    );
  }

  /**
   * Runs a script once per pod (the podinit pattern): a marker file on a volume records that it ran,
   * so the step does nothing when Kubernetes runs init containers again. The marker is written
   * (atomically) only after the script succeeded; the script gets POD_NAME and POD_NAMESPACE from the
   * downward API, and its log lines start with PODINIT-TRACE-LOG.
   */
  public static runOnce(options: RunOnceOptions): InitStep {
    const name = options.name ?? 'podinit';
    const markerPath = (options.markerPath ?? '/var/run/podinit').replace(/\/+$/, '');
    if (!markerPath.startsWith('/')) failOutsideConstruct('InitStep.runOnce', 'markerPath', `"${markerPath}" must be an absolute path`);
    const marker = options.markerVolume ?? PodVolume.emptyDir('podinit');
    const volumeName = typeof marker === 'string' ? marker : marker.name;
    const log = (msg: string) => `echo "PODINIT-TRACE-LOG: $POD_NAMESPACE/$POD_NAME: ${msg}"`;
    const script = [
      'set -eu',
      `marker=${markerPath}/${name}.done`,
      'if [ -f "$marker" ]; then',
      `  ${log(`${name} already ran, nothing to do`)}`,
      '  exit 0',
      'fi',
      log(`running ${name}`),
      '(',
      options.script.replace(/\n$/, ''),
      ')',
      'echo "$POD_NAMESPACE/$POD_NAME" > "$marker.tmp"',
      'mv "$marker.tmp" "$marker"',
      log(`${name} done`),
    ].join('\n');
    return new InitStep(
      {
        ...shellContainer(name, options, script),
        env: { POD_NAME: EnvValue.fromFieldRef(EnvFieldPaths.POD_NAME), POD_NAMESPACE: EnvValue.fromFieldRef(EnvFieldPaths.POD_NAMESPACE) },
        mounts: [{ volume: volumeName, path: markerPath }],
      },
      typeof marker === 'string' ? [] : [marker],
    );
  }

  private constructor(
    /** The init container. */
    public readonly container: ContainerSpec,
    /** Volumes the step needs in the pod. */
    public readonly volumes: PodVolume[],
  ) {}

  /** Adds the step after the pod's init containers, and its volumes unless the pod has one of that name. */
  public addTo(pod: PodTemplate): void {
    const existing = new Set(pod.volumeSpecs.map((v) => v.name));
    for (const v of this.volumes) {
      if (!existing.has(v.name)) pod.addVolume(v);
    }
    pod.addInitContainer(this.container);
  }
}

/** A container that runs `script` with `sh -c`. */
function shellContainer(name: string, options: InitStepOptions, script: string): ContainerSpec {
  const image = options.image ?? INIT_STEP_IMAGE;
  const runAsUser = options.runAsUser ?? (image === INIT_STEP_IMAGE ? NOBODY : undefined);
  return { name, image, command: ['sh', '-c', script], security: runAsUser !== undefined ? { runAsUser } : undefined };
}

/** `until <check>; do ...; done`, with an optional deadline. */
function waitLoop(where: string, check: string, what: string, options: WaitOptions): string {
  const interval = options.interval?.toSeconds({ integral: false }) ?? 2;
  if (!Number.isInteger(interval) || interval < 1)
    failOutsideConstruct(where, 'interval', `must be a whole number of seconds, at least 1 (got ${interval})`);
  if (options.timeout === undefined) {
    return `until ${check}; do echo "waiting for ${what}"; sleep ${interval}; done`;
  }
  const timeout = Math.ceil(options.timeout.toSeconds({ integral: false }));
  return [
    'waited=0',
    `until ${check}; do`,
    `  if [ "$waited" -ge ${timeout} ]; then echo "gave up waiting for ${what} after ${timeout}s" >&2; exit 1; fi`,
    `  echo "waiting for ${what}"; sleep ${interval}; waited=$((waited + ${interval}))`,
    'done',
  ].join('\n');
}

/** A container name from a verb and an object name, cut to the 63 characters a DNS label allows. */
function stepName(verb: string, what: string): string {
  return toDnsSlug(`${verb}-${what}`, { dots: false, maxLength: 63 });
}

/** Host names and IPs only: the value is put into a shell command. */
function checkHost(where: string, host: string): void {
  if (nameViolation(host, NameRule.DNS_SUBDOMAIN) && !/^[0-9a-fA-F.:]+$/.test(host)) {
    failOutsideConstruct(where, 'host', `"${host}" is not a DNS name or IP address`);
  }
}
