import { Construct } from 'constructs';
import { Protocol, ServiceType } from 'cdk8s-plus-27';
import { Manifest } from '../core/manifest';
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
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly ports: () => ServicePortSpec[];
  /** @default ServiceType.CLUSTER_IP */
  readonly type?: ServiceType;
  /** `clusterIP: None`: one DNS record per pod (StatefulSets). @default false */
  readonly headless?: boolean;
  /** Publish pods before they are ready (peer discovery during bootstrap). @default false */
  readonly publishNotReadyAddresses?: boolean;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
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
        clusterIP: props.headless ? 'None' : undefined,
        publishNotReadyAddresses: props.publishNotReadyAddresses || undefined,
        selector: props.selector,
        ports: props.ports().map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: p.targetPort ?? p.name ?? p.port,
          protocol: p.protocol,
          nodePort: p.nodePort,
        })),
      },
    }),
  });
}

/** The named ports of app containers, as Service ports (port = container port, target = its name). */
export function namedPortsOf(containers: ContainerSpec[]): ServicePortSpec[] {
  return containers.flatMap((c) => (c.ports ?? []).filter((p) => p.name).map((p) => ({ name: p.name, port: p.number, protocol: p.protocol })));
}
