import type { FsGroupChangePolicy } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { OptOut, optOutProblem } from '../core/opt-out';
import { labelViolations } from '../core/names';

/**
 * Pod-level security context: the user, group and file-system group the pod's processes run as. Merged
 * over what the pod's Pod Security level sets (`runAsNonRoot: true` and seccomp RuntimeDefault for
 * restricted); a container's own `securityContext` still wins for that container.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
 */
export interface PodSecurityContextSpec {
  /** UID of the pods' processes (restricted forbids 0). @default - the image's user */
  readonly runAsUser?: number;
  /** GID of the pods' processes. @default - the image's group */
  readonly runAsGroup?: number;
  /** Refuse to start a container whose user is root. @default - true at restricted, else unset */
  readonly runAsNonRoot?: boolean;
  /**
   * Group that owns the pod's volumes, added to every process's groups. `OptOut.because('why')` turns
   * off the default below (the reason is written on the workload as `opt-out.cdk8s-patterns.io/fs-group`).
   * @default - pods that mount PersistentVolumeClaims: `runAsGroup`, else `PatternDefaults.fsGroup` (1000); others: none
   */
  readonly fsGroup?: number | OptOut;
  /**
   * When volume ownership is changed to `fsGroup` (cdk8s-plus `FsGroupChangePolicy`).
   * @default - `OnRootMismatch` when the library sets `fsGroup` on a pod that mounts claims (clusters of 1.20 and later), else Kubernetes' default (Always)
   */
  readonly fsGroupChangePolicy?: FsGroupChangePolicy;
  /** Extra groups of every process. @default - none */
  readonly supplementalGroups?: number[];
}

/** One resolver option (`ndots: 2`; `edns0` without a value). */
export interface DnsOptionSpec {
  /** Option name. */
  readonly name: string;
  /** Option value. @default - none */
  readonly value?: string;
}

/**
 * The pod's resolver configuration, merged with what `dnsPolicy` generates (with `DnsPolicy.NONE` it
 * is all there is, and needs a nameserver).
 */
export interface PodDnsConfigSpec {
  /** Up to 3 nameserver IPs. @default - none */
  readonly nameservers?: string[];
  /** Search domains (up to 32). @default - none */
  readonly searches?: string[];
  /** Resolver options. @default - none */
  readonly options?: DnsOptionSpec[];
}

/** An entry of the pods' `/etc/hosts`. */
export interface HostAliasSpec {
  /** IP address. */
  readonly ip: string;
  /** Host names for it. */
  readonly hostnames: string[];
}

/**
 * A pod (anti-)affinity term: pods with `matchLabels` in the same `topologyKey` domain (node, zone).
 * Required unless it has a `weight`.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
 */
export interface PodAffinityTermSpec {
  /** Labels of the other pods. */
  readonly matchLabels: { [key: string]: string };
  /** The domain: a node label key. @default 'kubernetes.io/hostname' (one node) */
  readonly topologyKey?: string;
  /** Namespaces of the other pods. @default - the pod's own */
  readonly namespaces?: string[];
  /** 1–100: a preference of this weight instead of a requirement. @default - required */
  readonly weight?: number;
}

/** How the replicas of one workload are spread over nodes (pod anti-affinity on their own selector labels). */
export enum ReplicaSpread {
  /** Never two replicas on one node: a replica stays Pending rather than share a node (quorum systems). */
  REQUIRED = 'required',
  /** Replicas avoid sharing a node when the scheduler can (weight 100). */
  PREFERRED = 'preferred',
}

const HOSTNAME = 'kubernetes.io/hostname';

/** The `podAffinityTerm` JSON of a term. */
function term(t: PodAffinityTermSpec): Record<string, unknown> {
  return { labelSelector: { matchLabels: { ...t.matchLabels } }, topologyKey: t.topologyKey ?? HOSTNAME, namespaces: t.namespaces };
}

/** `podAffinity`/`podAntiAffinity` JSON of a list of terms, or undefined when empty. */
export function renderPodAffinity(terms: PodAffinityTermSpec[]): Record<string, unknown> | undefined {
  if (terms.length === 0) return undefined;
  const required = terms.filter((t) => t.weight === undefined).map(term);
  const preferred = terms.filter((t) => t.weight !== undefined).map((t) => ({ weight: t.weight, podAffinityTerm: term(t) }));
  return {
    requiredDuringSchedulingIgnoredDuringExecution: required.length > 0 ? required : undefined,
    preferredDuringSchedulingIgnoredDuringExecution: preferred.length > 0 ? preferred : undefined,
  };
}

/** The anti-affinity term that spreads the replicas selected by `selectorLabels` over nodes. */
export function spreadTerm(spread: ReplicaSpread, selectorLabels: { [key: string]: string }): PodAffinityTermSpec {
  return { matchLabels: selectorLabels, topologyKey: HOSTNAME, weight: spread === ReplicaSpread.PREFERRED ? 100 : undefined };
}

/** Problems of pod affinity terms; fields are relative to the prop. */
export function checkPodAffinity(terms: PodAffinityTermSpec[]): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  terms.forEach((t, i) => {
    if (Object.keys(t.matchLabels ?? {}).length === 0)
      out.push({ field: `[${i}].matchLabels`, rule: 'must not be empty: an empty selector matches every pod' });
    for (const v of labelViolations(t.matchLabels ?? {})) out.push({ field: `[${i}].matchLabels`, rule: v.rule });
    if (t.topologyKey !== undefined && t.topologyKey.trim() === '') out.push({ field: `[${i}].topologyKey`, rule: 'must not be empty' });
    if (t.weight !== undefined && (!Number.isInteger(t.weight) || t.weight < 1 || t.weight > 100))
      out.push({ field: `[${i}].weight`, rule: `must be an integer from 1 to 100 (got ${t.weight})` });
  });
  return out;
}

/** Problems of the security context; fields are relative to the prop. */
export function checkPodSecurityContext(sc: PodSecurityContextSpec): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  for (const f of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const v = sc[f];
    if (OptOut.isOptOut(v)) {
      const why = optOutProblem(v, f);
      if (why) out.push(why);
      continue;
    }
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 2147483647))
      out.push({ field: f, rule: `must be an integer from 0 to 2147483647 (got ${v})` });
  }
  (sc.supplementalGroups ?? []).forEach((g, i) => {
    if (!Number.isInteger(g) || g < 0) out.push({ field: `supplementalGroups[${i}]`, rule: `must be a non-negative integer (got ${g})` });
  });
  if (sc.runAsUser === 0 && sc.runAsNonRoot === true)
    out.push({ field: 'runAsUser', rule: 'runAsUser 0 contradicts runAsNonRoot: true; the kubelet would refuse to start the containers' });
  return out;
}

/**
 * Problems of the DNS settings (pkg/apis/core/validation validateDNSPolicy / validatePodDNSConfig, 1.27:
 * dnsPolicy None needs a dnsConfig with at least one nameserver; at most 3 nameservers, 32 search domains).
 */
export function checkDns(policy: string | undefined, config: PodDnsConfigSpec | undefined): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  if (policy === 'None' && !(config?.nameservers?.length ?? 0))
    out.push({ field: 'dnsConfig.nameservers', rule: 'dnsPolicy None needs a dnsConfig with at least one nameserver' });
  if ((config?.nameservers?.length ?? 0) > 3) out.push({ field: 'dnsConfig.nameservers', rule: 'at most 3 nameservers' });
  if ((config?.searches?.length ?? 0) > 32) out.push({ field: 'dnsConfig.searches', rule: 'at most 32 search domains' });
  (config?.options ?? []).forEach((o, i) => {
    if (!o.name) out.push({ field: `dnsConfig.options[${i}].name`, rule: 'must not be empty' });
  });
  return out;
}

/** Problems of host aliases; fields are relative to the prop. */
export function checkHostAliases(aliases: HostAliasSpec[]): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  aliases.forEach((a, i) => {
    if (!/^[0-9.]+$|:/.test(a.ip ?? '')) out.push({ field: `[${i}].ip`, rule: `"${a.ip}" is not an IP address` });
    if ((a.hostnames ?? []).length === 0) out.push({ field: `[${i}].hostnames`, rule: 'needs at least one host name' });
  });
  return out;
}

/** The `dnsConfig` JSON. */
export function renderDnsConfig(config?: PodDnsConfigSpec): Record<string, unknown> | undefined {
  if (!config) return undefined;
  return {
    nameservers: config.nameservers,
    searches: config.searches,
    options: config.options?.map((o) => ({ name: o.name, value: o.value })),
  };
}
