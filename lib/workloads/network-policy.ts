import { ApiObject } from 'cdk8s';
import { NetworkPolicyIpBlock } from 'cdk8s-plus-27';
import type { INetworkPolicyPeer } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ClusterVersion } from '../core/cluster-version';
import { Warnings } from '../core/warnings';
import { fail, Problem, problemAt } from '../core/errors';
import { Manifest } from '../core/manifest';
import { addOptOutSite, OptOut } from '../core/opt-out';
import { nonEmpty } from '../core/plain';
import { ConstructState } from '../core/state';
import { ContainerSpec } from '../pod/container';
import { PatternDefaults } from '../pod/defaults';
import { reportLateOptOut } from './fields';
import { companion, CompanionOptions } from './companion';
import { ServicePortSpec, targetPortOf } from './service';

/**
 * A workload's NetworkPolicy: its name, labels and annotations, and how it treats egress (its ingress
 * always follows the ports the workload exposes).
 */
export interface NetworkPolicyOptions extends CompanionOptions {
  /**
   * Restrict egress: the pods may then reach only DNS (pods labelled `k8s-app: kube-dns` in
   * `kube-system`, UDP and TCP 53, always allowed), their own peers on the workload's ports, the
   * workloads that let them in with `allowFrom`, and `egressTo`.
   * @default false (egress open)
   */
  readonly restrictEgress?: boolean;
  /**
   * Further destinations when egress is restricted: our workloads (on their exposed ports), cdk8s-plus
   * peers (`NetworkPolicyIpBlock`, `Namespaces.select`, plus workloads; on every port). Add more later
   * with `allowEgressTo`.
   * @default - none
   */
  readonly egressTo?: INetworkPolicyPeer[];
}

/**
 * The name label of a namespace, which the API server defaults on every Namespace from Kubernetes 1.21
 * (beta, on by default; GA in 1.22): release-1.27 pkg/apis/core/v1/defaults.go, SetDefaults_Namespace.
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A NetworkPolicy port: a container port number or name, and its protocol. */
export interface PolicyPort {
  readonly port: number | string;
  readonly protocol: string;
  /**
   * Open to every source, not only to pods: traffic from outside the pod network (a NodePort or
   * LoadBalancer Service, the API server calling a webhook) arrives from node or external addresses,
   * which `namespaceSelector: {}` does not match.
   */
  readonly anySource?: boolean;
}

/** A NetworkPolicyPeer as written in the manifest. */
export type PeerJson = Record<string, unknown>;

/** The peer selecting every pod of namespace `name`. */
function namespacePeer(name: string): PeerJson {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } } };
}

/** The cluster DNS pods (CoreDNS / kube-dns keep the `k8s-app: kube-dns` label). */
const DNS_PEER: PeerJson = {
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};
const DNS_PORTS: PolicyPort[] = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];

/** What a workload tells its network policy. */
export interface PolicyOwner extends INetworkPolicyPeer {
  readonly name: string;
  readonly namespace?: string;
  readonly selectorLabels: { [key: string]: string };
  /** The container port Prometheus scrapes (the workload's `metrics.port`), opened to the monitoring namespace. */
  readonly metricsPort?: string;
  /** Its pods: whether they were granted Kubernetes API access. */
  readonly pod?: { readonly hasApiAccess: boolean };
}

/** The pod ports behind a Service (its target ports); `anySource` for Services reached from outside the pod network. */
export function servicePolicyPorts(ports: ServicePortSpec[], anySource = false): PolicyPort[] {
  return ports.map((p) => ({ port: targetPortOf(p), protocol: p.protocol ?? 'TCP', anySource: anySource || undefined }));
}

/** Whether a Service of `type` takes traffic from outside the pod network (NodePort, LoadBalancer). */
export function reachedFromOutside(type: string | undefined): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

/**
 * Every declared port of `containers` (by name when named), for workloads no Service fronts; a port with
 * a `hostPort` is open to any source, since its traffic arrives from node or external addresses.
 */
export function containerPolicyPorts(containers: ContainerSpec[]): PolicyPort[] {
  return containers.flatMap((c) =>
    (c.ports ?? []).map((p) => ({
      port: p.name ?? p.number,
      protocol: p.protocol ?? 'TCP',
      anySource: p.hostPort !== undefined || undefined,
    })),
  );
}

/** Each port once (first position kept); open to any source when any of its copies is. */
function dedupe(ports: PolicyPort[]): PolicyPort[] {
  const byKey = new Map<string, PolicyPort>();
  for (const p of ports) {
    const key = `${p.port}/${p.protocol}`;
    const seen = byKey.get(key);
    if (!seen || (p.anySource && !seen.anySource)) byKey.set(key, { ...(seen ?? p), anySource: p.anySource || seen?.anySource });
  }
  return [...byKey.values()];
}

const policies = new ConstructState<WorkloadNetworkPolicy>();

/**
 * The NetworkPolicy of one workload and what shapes it: the ports it exposes, the clients it was
 * restricted to (`allowFrom`), the servers that let it in, its metrics port, egress settings.
 * Rendered at synth, so ports and clients added after construction count.
 */
export class WorkloadNetworkPolicy {
  /** The policy of one of our workloads, if it has one (opted-out workloads have a record without an object). */
  public static of(scope: IConstruct): WorkloadNetworkPolicy | undefined {
    return policies.get(scope);
  }

  /**
   * Creates the policy of `owner` (unless opted out per workload or app-wide: the reason is then an
   * opt-out site of the workload). `ports` are the pod ports the workload exposes, read at synth.
   */
  public static create(
    owner: PolicyOwner & Construct,
    setting: NetworkPolicyOptions | OptOut | undefined,
    ports: () => PolicyPort[],
    peerPorts: () => PolicyPort[] = () => [],
  ): WorkloadNetworkPolicy {
    // the workload's own setting wins: its opt-out, or policy options it gave despite an app-wide opt-out
    const appWide = PatternDefaults.of(owner).networkPolicies;
    const optOut = OptOut.isOptOut(setting) ? setting : setting === undefined ? appWide : undefined;
    if (optOut) {
      optOut._check(owner, OptOut.isOptOut(setting) ? 'networkPolicy' : 'PatternDefaults.networkPolicies');
      addOptOutSite(owner, 'network-policy', () => optOut.reason.trim());
    }
    const policy = new WorkloadNetworkPolicy(
      owner,
      optOut ? undefined : ((setting as NetworkPolicyOptions | undefined) ?? {}),
      ports,
      peerPorts,
      optOut,
      setting !== undefined,
    );
    policies.set(owner, policy);
    return policy;
  }

  /** The NetworkPolicy object; undefined when opted out. */
  public readonly apiObject?: ApiObject;
  private readonly clients: INetworkPolicyPeer[] = [];
  private readonly servers: WorkloadNetworkPolicy[] = [];
  private exposedToAnySource = false;
  private readonly egressTo: INetworkPolicyPeer[];

  private constructor(
    public readonly owner: PolicyOwner & Construct,
    private readonly options: NetworkPolicyOptions | undefined,
    /** The pod ports the workload exposes. */
    public readonly ports: () => PolicyPort[],
    /** Further ports only the workload's own pods reach on each other (a StatefulService's peer ports). */
    private readonly peerPorts: () => PolicyPort[],
    private readonly optOut: OptOut | undefined,
    /** The workload gave its own setting (which an app-wide opt-out does not change). */
    explicit: boolean,
  ) {
    this.egressTo = [...(options?.egressTo ?? [])];
    if (options?.egressTo?.length && !options.restrictEgress) {
      fail(owner, 'networkPolicy.egressTo', 'is set while egress is open', 'set restrictEgress: true, or remove egressTo');
    }
    if (options) {
      const named = companion(owner, 'networkPolicy', options, owner.name, 'networking.k8s.io', 'NetworkPolicy');
      this.apiObject = new Manifest(owner, 'NetworkPolicy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: named.name, labels: named.labels, annotations: named.annotations },
        render: () => this.render(),
      });
      if (!explicit) {
        reportLateOptOut(owner, () => PatternDefaults.of(owner).networkPolicies, {
          field: 'PatternDefaults.networkPolicies',
          rule: 'was set after this workload was created, so its NetworkPolicy was already made',
          hint: 'call PatternDefaults.set before creating the workloads',
        });
      }
    }
  }

  /** Whether the pods' egress is restricted. */
  public get restrictsEgress(): boolean {
    return this.options?.restrictEgress ?? false;
  }

  /** Restricts ingress on the exposed ports to `peers` (and the workload's own pods); our workloads with restricted egress get the matching egress rule. */
  public allowFrom(peers: INetworkPolicyPeer[]): void {
    this.requirePolicy('allowFrom');
    for (const peer of peers) {
      if (peer === this.owner) fail(this.owner, 'allowFrom', 'names the workload itself; its own pods always reach each other');
      this.clients.push(peer);
      const servers = WorkloadNetworkPolicy.of(peer)?.servers;
      if (servers && !servers.includes(this)) servers.push(this);
    }
  }

  /** Adds egress destinations (egress must be restricted). */
  public allowEgressTo(peers: INetworkPolicyPeer[]): void {
    this.requirePolicy('allowEgressTo');
    if (!this.restrictsEgress) {
      fail(this.owner, 'allowEgressTo', 'egress is open, so there is nothing to allow', 'set networkPolicy: { restrictEgress: true }');
    }
    this.egressTo.push(...peers);
  }

  /**
   * Opens the exposed ports to every source (the API server calls a webhook the workload serves from
   * outside the pod network). Returns whether the workload has a policy.
   */
  public allowAnySource(): boolean {
    if (!this.apiObject) return false;
    this.exposedToAnySource = true;
    return true;
  }

  /** The peers named in the policy (clients, egress destinations), each with the field that named it. */
  public peers(): Array<{ peer: INetworkPolicyPeer; field: string }> {
    return [
      ...this.clients.map((peer) => ({ peer, field: 'allowFrom' })),
      ...this.egressTo.map((peer) => ({ peer, field: 'networkPolicy.egressTo' })),
    ];
  }

  /**
   * Synth-time problems: an app-wide opt-out set after the workload was created; a namespace selected by
   * its name label on a cluster older than 1.21, whose Namespaces do not carry it.
   */
  public check(): Problem[] {
    const problems: Problem[] = [];
    if (this.restrictsEgress && this.owner.pod?.hasApiAccess && !this.egressTo.some((p) => p instanceof NetworkPolicyIpBlock)) {
      // the API server is no pod: only an ipBlock reaches it (its address is the cluster's, unknown here)
      Warnings.add(
        this.owner,
        `[network-policy] ${this.owner.name} was granted Kubernetes API access, but its restricted egress reaches no API server address, so its API calls would time out (hint: allowEgressTo(NetworkPolicyIpBlock.ipv4(scope, 'apiserver', '<control-plane CIDR>')))`,
      );
    }
    if (this.apiObject && ClusterVersion.minorOf(this.owner) < 21 && JSON.stringify(this.render()).includes(NAMESPACE_NAME_LABEL)) {
      const version = ClusterVersion.of(this.owner);
      problems.push(
        problemAt(this.owner, {
          field: 'networkPolicy',
          rule: `selects namespaces by ${NAMESPACE_NAME_LABEL}, which Namespaces carry from Kubernetes 1.21; the cluster is ${version}, so the rule would match nothing`,
          hint: 'keep clients in the same namespace, or select them with a cdk8s-plus Namespaces.select on a label you set',
        }),
      );
    }
    return problems;
  }

  private requirePolicy(field: string): void {
    if (!this.apiObject) {
      fail(
        this.owner,
        field,
        `the workload's NetworkPolicy is opted out ("${this.optOut?.reason}"), so there is no policy to change`,
        'remove the opt-out, or the call',
      );
    }
  }

  /** `peer` as NetworkPolicyPeers seen from this workload's namespace (podSelector alone means the same namespace). */
  private peerJson(peer: INetworkPolicyPeer): PeerJson[] {
    const config = peer.toNetworkPolicyPeerConfig();
    if (config.ipBlock) return [{ ipBlock: config.ipBlock._toKube() }];
    const selector = config.podSelector;
    if (!selector) return [];
    const podSelector = selector.labelSelector._toKube();
    const nsSelector = selector.namespaces?.labelSelector?._toKube();
    const names = selector.namespaces?.names;
    if (!names) return [{ namespaceSelector: nsSelector, podSelector }];
    // one peer per namespace (a selector cannot hold two values of the name label), as cdk8s-plus does
    return names.map((n) =>
      n === this.owner.namespace && !nsSelector
        ? { podSelector }
        : {
            namespaceSelector: { ...nsSelector, matchLabels: { ...nsSelector?.matchLabels, [NAMESPACE_NAME_LABEL]: n } },
            podSelector,
          },
    );
  }

  private ownPods(): PeerJson {
    return { podSelector: { matchLabels: { ...this.owner.selectorLabels } } };
  }

  /** The peer ports not already among the exposed ones. */
  private peerOnlyPorts(exposed: PolicyPort[]): PolicyPort[] {
    const keys = new Set(exposed.map((p) => `${p.port}/${p.protocol}`));
    return dedupe(this.peerPorts()).filter((p) => !keys.has(`${p.port}/${p.protocol}`));
  }

  /** The exposed ports, each once, open to any source when the workload serves a webhook. */
  private exposedPorts(): PolicyPort[] {
    const ports = dedupe(this.ports());
    return this.exposedToAnySource ? ports.map((p) => ({ ...p, anySource: true })) : ports;
  }

  private render(): Record<string, unknown> {
    const ports = this.exposedPorts();
    const metricsPort = this.owner.metricsPort;
    const ingress: Array<Record<string, unknown>> = [];
    // the metrics port is for Prometheus only (its own rule below), even when the Service carries it
    const inCluster = ports.filter((p) => !p.anySource && p.port !== metricsPort);
    if (inCluster.length > 0) {
      // open: every pod of the cluster; restricted: the clients, and always the workload's own pods
      const from =
        this.clients.length === 0
          ? [{ namespaceSelector: {} }]
          : uniquePeers([this.ownPods(), ...this.clients.flatMap((c) => this.peerJson(c))]);
      ingress.push({ from, ports: inCluster.map(portJson) });
    }
    const anySource = ports.filter((p) => p.anySource);
    // no `from`: every source, in the cluster or outside it (allowFrom does not narrow these)
    if (anySource.length > 0) ingress.push({ ports: anySource.map(portJson) });
    const peerOnly = this.peerOnlyPorts(ports);
    if (peerOnly.length > 0) ingress.push({ from: [this.ownPods()], ports: peerOnly.map(portJson) });
    if (metricsPort !== undefined) {
      // Prometheus scrapes from its own namespace, whatever allowFrom says (read at synth: PatternDefaults.monitoringNamespace)
      const monitoring = namespacePeer(PatternDefaults.monitoringNamespaceOf(this.owner));
      ingress.push({ from: [monitoring], ports: [portJson({ port: metricsPort, protocol: 'TCP' })] });
    }
    const egress: Array<Record<string, unknown>> = [];
    if (this.restrictsEgress) {
      egress.push({ to: [DNS_PEER], ports: DNS_PORTS.map(portJson) });
      const own = [...ports, ...peerOnly];
      if (own.length > 0) egress.push({ to: [this.ownPods()], ports: own.map(portJson) });
      for (const server of this.servers) {
        const serverPorts = server.exposedPorts();
        if (serverPorts.length > 0) egress.push({ to: this.peerJson(server.owner), ports: serverPorts.map(portJson) });
      }
      for (const peer of this.egressTo) {
        const ours = WorkloadNetworkPolicy.of(peer);
        const peerPorts = ours ? ours.exposedPorts() : [];
        if (ours && peerPorts.length === 0) continue; // exposes nothing: no rule (an empty port list opens every port)
        egress.push({ to: this.peerJson(peer), ports: nonEmpty(peerPorts.map(portJson)) });
      }
    }
    return {
      spec: {
        podSelector: { matchLabels: { ...this.owner.selectorLabels } },
        policyTypes: this.restrictsEgress ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress: nonEmpty(ingress),
        egress: this.restrictsEgress ? egress : undefined,
      },
    };
  }
}

/** Peers without repeats (a client named twice), first occurrence kept. */
function uniquePeers(peers: PeerJson[]): PeerJson[] {
  const seen = new Set<string>();
  return peers.filter((p) => {
    const key = JSON.stringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function portJson(p: PolicyPort): Record<string, unknown> {
  return { port: p.port, protocol: p.protocol };
}
