import { portNumberViolation } from '../core/names';
import { Construct } from 'constructs';
import { Protocol, ServiceType } from 'cdk8s-plus-27';
import { ProblemDetails } from '../core/errors';
import { Manifest } from '../core/manifest';
import { nonEmpty } from '../core/plain';
import { ContainerSpec } from '../pod/container';

/** A port of a Service. */
export interface ServicePortSpec {
  /** Port the Service listens on. */
  readonly port: number;
  /** Port name (required when the Service has several ports). @default - unnamed */
  readonly name?: string;
  /** Container port number or name. @default - the port's name if it has one, else `port` */
  readonly targetPort?: number | string;
  /** @default Protocol.TCP */
  readonly protocol?: Protocol;
  /** For NodePort/LoadBalancer Services. @default - assigned by Kubernetes */
  readonly nodePort?: number;
}

/** What a workload's Service needs. */
export interface ServiceObjectProps {
  /** The Service's name (a DNS-1035 label). */
  readonly name: string;
  /** The workload's pod selector, used as is so the Service reaches exactly its pods. @default - none (endpoints by hand, or ExternalName) */
  readonly selector?: { [key: string]: string };
  /** The DNS name an ExternalName Service is an alias of. @default - none */
  readonly externalName?: string;
  /** The ports, read at synth (containers may be added after construction); none only for a headless Service. */
  readonly ports: () => ServicePortSpec[];
  /** @default ServiceType.CLUSTER_IP */
  readonly type?: ServiceType;
  /** `clusterIP: None`: one DNS record per pod (StatefulSets). @default false */
  readonly headless?: boolean;
  /** Publish pods before they are ready (peer discovery during bootstrap). @default false */
  readonly publishNotReadyAddresses?: boolean;
  /** @default - none */
  readonly labels?: { [key: string]: string };
  /** @default - none */
  readonly annotations?: { [key: string]: string };
}

/** Adds a Service object selecting a workload's pods. */
export function addServiceObject(scope: Construct, id: string, props: ServiceObjectProps): Manifest {
  return new Manifest(scope, id, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: props.name, labels: props.labels, annotations: props.annotations },
    render: () => ({
      spec: {
        type: props.type && props.type !== ServiceType.CLUSTER_IP ? props.type : undefined,
        externalName: props.externalName,
        clusterIP: props.headless ? 'None' : undefined,
        publishNotReadyAddresses: props.publishNotReadyAddresses || undefined,
        selector: props.selector,
        // a headless Service may have no ports (DNS only); others are checked to have some
        ports: nonEmpty(props.ports())?.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: targetPortOf(p, props.selector !== undefined),
          protocol: p.protocol,
          nodePort: p.nodePort,
        })),
      },
    }),
  });
}

/**
 * The container port a Service port routes to: its `targetPort`, else its name (a named container port),
 * else its number. Without a selector (endpoints by hand) a name means nothing: the number.
 */
export function targetPortOf(p: ServicePortSpec, hasSelector = true): number | string {
  return p.targetPort ?? (hasSelector ? (p.name ?? p.port) : p.port);
}

/** The named ports of app containers, as Service ports (port = container port, target = its name). */
export function namedPortsOf(containers: ContainerSpec[]): ServicePortSpec[] {
  return containers.flatMap((c) =>
    (c.ports ?? []).filter((p) => p.name).map((p) => ({ name: p.name, port: p.number, protocol: p.protocol })),
  );
}

/**
 * Problems of the ports of a Service over `containers` (fields relative to `field`): at least one
 * port; every port named when there are several (Kubernetes requires it); names and port numbers
 * unique; a targetPort given by name is a named port of some container (else the Service routes
 * nowhere); nodePort only on NodePort/LoadBalancer Services.
 */
export function checkServicePorts(
  ports: ServicePortSpec[],
  containers: ContainerSpec[],
  type: ServiceType | undefined,
  field: string,
): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  if (ports.length === 0) {
    out.push({
      field,
      rule: 'the Service has no ports',
      hint: 'name a container port (ports: [{ name, number }]), set the ports, or turn the Service off',
    });
  }
  const containerPortNames = new Set(containers.flatMap((c) => (c.ports ?? []).map((p) => p.name)).filter((n) => n !== undefined));
  const seenNames = new Set<string>();
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const at = (f: string, rule: string, hint?: string) => out.push({ field: `${field}[${i}]${f}`, rule, hint });
    const portWhy = portNumberViolation(p.port);
    if (portWhy) at('.port', portWhy);
    if (ports.length > 1 && !p.name) at('.name', 'every port of a Service with several ports needs a name');
    if (p.name !== undefined) {
      if (seenNames.has(p.name)) at('.name', `duplicate port name "${p.name}"`);
      seenNames.add(p.name);
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (seenPorts.has(key)) at('.port', `duplicate port ${key}`);
    seenPorts.add(key);
    const target = targetPortOf(p);
    if (typeof target === 'string' && !containerPortNames.has(target)) {
      at(
        '.targetPort',
        `"${target}" is not the name of any container port, so the Service would route nowhere`,
        `named container ports: ${[...containerPortNames].sort().join(', ') || 'none'}`,
      );
    }
    if (p.nodePort !== undefined && type !== ServiceType.NODE_PORT && type !== ServiceType.LOAD_BALANCER) {
      at('.nodePort', 'is only valid on NodePort and LoadBalancer Services');
    }
  });
  return out;
}
