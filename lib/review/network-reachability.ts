import { podTemplateSite } from '../pod/pod-bearing';
import { arr, obj } from '../validation/json-path';
import { Labels, mapMatches, selectorMatches } from '../validation/selectors';

/**
 * Who may connect to whom under the NetworkPolicies of a set of rendered manifests, by the Kubernetes
 * NetworkPolicy semantics written in the networking/v1 API types (kubernetes/kubernetes release-1.27,
 * staging/src/k8s.io/api/networking/v1/types.go: NetworkPolicySpec, NetworkPolicyIngressRule,
 * NetworkPolicyEgressRule, NetworkPolicyPeer, NetworkPolicyPort). Kubernetes itself has no evaluator
 * (the network plugin enforces policies), so this follows the documented rules:
 *
 * - a pod selected by no policy of a type (`Ingress`, `Egress`) is not isolated for that type: all
 *   traffic of that direction is allowed; selected pods allow the union of the rules of every policy
 *   selecting them, and a connection needs both the source's egress and the destination's ingress;
 * - `policyTypes` left out means `Ingress`, plus `Egress` when the policy has egress rules;
 * - a rule with no (or empty) `from`/`to` matches every peer, with no (or empty) `ports` every port;
 * - a peer's `podSelector` alone selects pods of the policy's namespace, `namespaceSelector` alone every
 *   pod of the selected namespaces, both together the selected pods of the selected namespaces; an
 *   `ipBlock` matches addresses in its CIDR outside `except` (here: endpoints with an `ip`);
 * - a port is a number (with `endPort` a range) or a name, resolved against the container ports of the
 *   destination pod; protocol defaults to TCP; a name no container port has matches nothing;
 * - pods on the host network are outside NetworkPolicy (the API documents their behaviour as undefined):
 *   they are treated as not isolated.
 *
 * Namespaces carry the `kubernetes.io/metadata.name` label (defaulted by the API server from 1.21:
 * pkg/apis/core/v1/defaults.go, SetDefaults_Namespace) plus the labels of
 * Namespace objects among the manifests. It lives next to the release review because it reads the same
 * rendered output and its natural consumer is the topology picture ("who can reach whom"); it is not
 * part of the public API yet.
 */
export class NetworkReachability {
  /** The pods of every pod-bearing manifest (one entry per object: its replicas share labels and ports). */
  public readonly pods: PodGroup[];
  /** The Services with a selector. */
  public readonly services: ServiceInfo[];
  private readonly policies: PolicyInfo[];
  private readonly namespaceLabels = new Map<string, Labels>();

  /** `manifests`: rendered objects; `defaultNamespace`: where objects without a namespace land. */
  constructor(
    manifests: any[],
    private readonly defaultNamespace = 'default',
  ) {
    const ns = (o: any) => (typeof o?.metadata?.namespace === 'string' ? o.metadata.namespace : defaultNamespace);
    this.pods = [];
    this.services = [];
    this.policies = [];
    for (const o of manifests) {
      if (o?.kind === 'Namespace' && o.apiVersion === 'v1' && typeof o.metadata?.name === 'string') {
        this.namespaceLabels.set(o.metadata.name, { ...(obj(o.metadata.labels) ?? {}) });
      } else if (o?.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1') {
        this.policies.push({ name: o.metadata?.name, namespace: ns(o), spec: obj(o.spec) ?? {} });
      } else if (o?.kind === 'Service' && o.apiVersion === 'v1' && obj(o.spec?.selector)) {
        this.services.push({
          name: o.metadata?.name,
          namespace: ns(o),
          type: o.spec.type ?? 'ClusterIP',
          selector: o.spec.selector,
          ports: arr(o.spec.ports).map((p: any) => ({
            port: p.port,
            targetPort: p.targetPort ?? p.port,
            protocol: p.protocol ?? 'TCP',
          })),
        });
      } else {
        const site = podTemplateSite(o);
        const spec = site?.template?.spec;
        if (!site || !spec) continue;
        this.pods.push({
          kind: o.kind,
          name: o.metadata?.name,
          namespace: ns(o),
          labels: { ...(obj(site.template.metadata?.labels) ?? {}) },
          hostNetwork: spec.hostNetwork === true,
          ports: [...arr(spec.initContainers), ...arr(spec.containers)].flatMap((c: any) =>
            arr(c?.ports).map((p: any) => ({ name: p.name, number: p.containerPort, protocol: p.protocol ?? 'TCP' })),
          ),
        });
      }
    }
  }

  /** The labels of namespace `name`: `kubernetes.io/metadata.name` and those of its Namespace object, if any. */
  public labelsOfNamespace(name: string): Labels {
    return { ...(this.namespaceLabels.get(name) ?? {}), 'kubernetes.io/metadata.name': name };
  }

  /** The pods a Service selects (its namespace, its selector). */
  public podsOf(service: ServiceInfo): PodGroup[] {
    return this.pods.filter((p) => p.namespace === service.namespace && mapMatches(service.selector, p.labels));
  }

  /** The container port of `pod` a port reference (number or name) points at, with its protocol. */
  public resolvePort(pod: PodGroup, port: number | string, protocol = 'TCP'): PodPort | undefined {
    return pod.ports.find((p) => p.protocol === protocol && (typeof port === 'number' ? p.number === port : p.name === port));
  }

  /** The NetworkPolicies selecting `pod` for `type` (`Ingress` or `Egress`); none means not isolated. */
  public policiesSelecting(pod: PodGroup, type: 'Ingress' | 'Egress'): string[] {
    return this.selecting(pod, type).map((p) => `${p.namespace}/${p.name}`);
  }

  /** Whether `source` may open a connection to `target` on container port `port` (number) and `protocol`. */
  public allowed(source: Endpoint, target: PodGroup, port: number, protocol = 'TCP'): boolean {
    const src: EndpointInfo = 'kind' in source ? { ...this.endpointOf(source), pod: source } : this.endpointOf(source);
    if (src.pod && !src.pod.hostNetwork) {
      const egress = this.selecting(src.pod, 'Egress');
      if (
        egress.length > 0 &&
        !egress.some((p) =>
          arr(p.spec.egress).some((r: any) =>
            this.ruleMatches(r.to, r.ports, p.namespace, this.endpointOf(target), target, port, protocol),
          ),
        )
      ) {
        return false;
      }
    }
    if (target.hostNetwork) return true;
    const ingress = this.selecting(target, 'Ingress');
    return (
      ingress.length === 0 ||
      ingress.some((p) => arr(p.spec.ingress).some((r: any) => this.ruleMatches(r.from, r.ports, p.namespace, src, target, port, protocol)))
    );
  }

  private endpointOf(e: Endpoint): EndpointInfo {
    if ('kind' in e) return { namespace: e.namespace, namespaceLabels: this.labelsOfNamespace(e.namespace), podLabels: e.labels };
    const namespace = e.namespace ?? this.defaultNamespace;
    return { namespace, namespaceLabels: this.labelsOfNamespace(namespace), podLabels: e.labels, ip: e.ip };
  }

  private selecting(pod: PodGroup, type: 'Ingress' | 'Egress'): PolicyInfo[] {
    return this.policies.filter(
      (p) => p.namespace === pod.namespace && selectorMatches(obj(p.spec.podSelector) ?? {}, pod.labels) && typesOf(p.spec).includes(type),
    );
  }

  /** Whether one rule lets `peer` through to `dest` on `port`: its peers (`from`/`to`) and its ports. */
  private ruleMatches(
    peers: unknown,
    ports: unknown,
    policyNamespace: string,
    peer: EndpointInfo,
    dest: PodGroup,
    port: number,
    protocol: string,
  ): boolean {
    const peerList = arr(peers);
    const portList = arr(ports);
    const peerOk = peerList.length === 0 || peerList.some((p: any) => peerMatches(p, policyNamespace, peer));
    const portOk = portList.length === 0 || portList.some((p: any) => this.portMatches(p, dest, port, protocol));
    return peerOk && portOk;
  }

  private portMatches(p: any, dest: PodGroup, port: number, protocol: string): boolean {
    if ((p?.protocol ?? 'TCP') !== protocol) return false;
    if (p?.port === undefined) return true;
    if (typeof p.port === 'string') return this.resolvePort(dest, p.port, protocol)?.number === port;
    return typeof p.endPort === 'number' ? port >= p.port && port <= p.endPort : port === p.port;
  }
}

/** The pods of one pod-bearing object. */
export interface PodGroup {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly hostNetwork: boolean;
  readonly ports: PodPort[];
}

/** A container port. */
export interface PodPort {
  readonly name?: string;
  readonly number: number;
  readonly protocol: string;
}

/** A Service with a selector. */
export interface ServiceInfo {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly selector: Labels;
  readonly ports: Array<{ port: number; targetPort: number | string; protocol: string }>;
}

/** A client outside the manifests: a pod with `labels` in `namespace`, or an address (`ip`) outside the cluster's pods. */
export interface ExternalClient {
  readonly namespace?: string;
  readonly labels?: Labels;
  readonly ip?: string;
}

/** Where a connection starts: a pod of the manifests or a client outside them. */
export type Endpoint = PodGroup | ExternalClient;

interface EndpointInfo {
  readonly namespace: string;
  readonly namespaceLabels: Labels;
  /** Undefined for an address that is not a pod. */
  readonly podLabels?: Labels;
  readonly ip?: string;
  readonly pod?: PodGroup;
}

interface PolicyInfo {
  readonly name: string;
  readonly namespace: string;
  readonly spec: Record<string, any>;
}

function typesOf(spec: Record<string, any>): string[] {
  const types = arr(spec.policyTypes);
  if (types.length > 0) return types as string[];
  return arr(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function peerMatches(p: any, policyNamespace: string, peer: EndpointInfo): boolean {
  if (p?.ipBlock)
    return peer.ip !== undefined && inCidr(peer.ip, p.ipBlock.cidr) && !arr(p.ipBlock.except).some((e: any) => inCidr(peer.ip!, e));
  if (!peer.podLabels) return false;
  const nsSel = obj(p?.namespaceSelector);
  const podSel = obj(p?.podSelector);
  if (!nsSel && !podSel) return false;
  const nsOk = nsSel ? selectorMatches(nsSel, peer.namespaceLabels) : peer.namespace === policyNamespace;
  return nsOk && (!podSel || selectorMatches(podSel, peer.podLabels));
}

/** IPv4 CIDR membership (IPv6 blocks match nothing here). */
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = String(cidr).split('/');
  const a = ipv4(ip);
  const b = ipv4(base);
  const n = Number(bits);
  if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function ipv4(s: string): number | undefined {
  const parts = s.split('.').map(Number);
  if (parts.length !== 4 || parts.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}
