import { ApiObject, Duration } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { fail, problemAt } from '../core/errors';
import { portNameViolation } from '../core/names';
import { ContainerSpec } from '../pod/container';
import { Monitor, MonitorScheme } from '../monitoring/monitor';
import { MonitorSelector } from '../monitoring/monitor-selector';
import { PodMonitor } from '../monitoring/pod-monitor';
import { ServiceMonitor } from '../monitoring/service-monitor';
import { addChecks } from '../synth/pipeline';
import { companion, CompanionOptions } from './companion';
import { namedPortsOf, ServicePortSpec, targetPortOf } from './service';
import { Workload } from './workload';

/** How Prometheus reaches a workload's metrics port. */
export enum MetricsVia {
  /** Through the workload's Service: a ServiceMonitor (the port is added to the Service when it lacks it). */
  SERVICE = 'service',
  /** Straight to the pods: a PodMonitor. */
  POD = 'pod',
}

/** The `metrics` prop of StatefulService, WebService and NodeAgent: scrape a named container port. */
export interface MetricsOptions {
  /** Name of the container port that serves the metrics (a named port of an app container). */
  readonly port: string;
  /** HTTP path of the metrics. @default - '/metrics' */
  readonly path?: string;
  /** How often to scrape. @default - the Prometheus' scrape interval (prometheus-operator: 30s) */
  readonly interval?: Duration;
  /** How long a scrape may take; at most `interval`. @default - the Prometheus' scrape timeout */
  readonly scrapeTimeout?: Duration;
  /** @default MonitorScheme.HTTP */
  readonly scheme?: MonitorScheme;
  /**
   * Through the Service (ServiceMonitor) or straight to the pods (PodMonitor). `SERVICE` adds the port
   * to the Service when the Service's ports were given without it (not on a NodePort or LoadBalancer
   * Service, which would expose the metrics outside the cluster).
   * @default - MetricsVia.SERVICE when the workload's Service carries the port (it carries every named
   * container port unless its ports are given), else MetricsVia.POD
   */
  readonly via?: MetricsVia;
  /** Name, labels and annotations of the ServiceMonitor or PodMonitor. @default - named after the workload, labelled with the `PatternDefaults` `monitorLabels` */
  readonly monitorOptions?: CompanionOptions;
}

/** The Service a workload could be scraped through. */
export interface ScrapeService {
  /** The Service object, if the workload has one. @default - none: a PodMonitor */
  readonly service?: ApiObject;
  /** The Service ports given in the props; undefined when they default to every named container port. @default - every named container port */
  readonly ports?: ServicePortSpec[];
  /** @default ServiceType.CLUSTER_IP */
  readonly type?: ServiceType;
}

/**
 * A workload's `metrics` prop made real: a ServiceMonitor when its Service carries the metrics port,
 * else a PodMonitor (child `Monitor` of the workload), and a synth check that the port is a named
 * port of an app container.
 */
export class WorkloadMetrics {
  /** The ServiceMonitor or PodMonitor. */
  public readonly monitor: Monitor;
  /** The container port Prometheus scrapes. */
  public readonly port: string;
  /** The metrics port was added to the Service (its given ports lacked it). */
  private readonly addsServicePort: boolean;

  constructor(workload: Workload, options: MetricsOptions, target: ScrapeService) {
    const why = portNameViolation(options.port);
    if (why) fail(workload, 'metrics.port', why, 'the name of the container port that serves the metrics');
    this.port = options.port;
    let servicePort = target.service ? servicePortFor(options.port, target.ports) : undefined;
    const via = options.via ?? (servicePort ? MetricsVia.SERVICE : MetricsVia.POD);
    if (via === MetricsVia.SERVICE && !target.service) {
      fail(workload, 'metrics.via', 'is MetricsVia.SERVICE, but this workload has no Service', 'use MetricsVia.POD (a PodMonitor)');
    }
    this.addsServicePort = via === MetricsVia.SERVICE && servicePort === undefined;
    if (this.addsServicePort) {
      if (target.type === ServiceType.NODE_PORT || target.type === ServiceType.LOAD_BALANCER) {
        fail(
          workload,
          'metrics.via',
          `adding the metrics port to a ${target.type} Service would expose the metrics outside the cluster`,
          'use MetricsVia.POD, or list the port in the Service ports yourself if that is meant',
        );
      }
      servicePort = options.port;
    }
    const names = companion(
      workload,
      'metrics.monitorOptions',
      options.monitorOptions,
      workload.name,
      'monitoring.coreos.com',
      'ServiceMonitor',
    );
    const endpoint = {
      path: options.path,
      interval: options.interval,
      scrapeTimeout: options.scrapeTimeout,
      scheme: options.scheme,
    };
    const common = { name: names.name, labels: names.labels, annotations: names.annotations };
    this.monitor =
      via === MetricsVia.SERVICE
        ? new ServiceMonitor(workload, 'Monitor', {
            ...common,
            selector: MonitorSelector.service(target.service!),
            endpoints: [{ ...endpoint, port: servicePort! }],
          })
        : new PodMonitor(workload, 'Monitor', {
            ...common,
            selector: MonitorSelector.pods(workload),
            endpoints: [{ ...endpoint, port: options.port }],
          });
    addChecks(workload, () => {
      const named = workload.pod.containerSpecs.flatMap((c) => (c.ports ?? []).map((p) => p.name)).filter((n) => n !== undefined);
      if (named.includes(this.port)) return [];
      return [
        problemAt(workload, {
          field: 'metrics.port',
          rule: `"${this.port}" is not the name of a port of any app container, so Prometheus would find nothing to scrape`,
          hint: `named container ports: ${[...new Set(named)].sort().join(', ') || 'none'}; add ports: [{ name: '${this.port}', number }] to the container that serves the metrics`,
        }),
      ];
    });
  }

  /** Ports to add to the Service (the metrics port, when `MetricsVia.SERVICE` found the given ports without it). */
  public extraServicePorts(containers: ContainerSpec[]): ServicePortSpec[] {
    if (!this.addsServicePort) return [];
    for (const c of containers) {
      const p = (c.ports ?? []).find((x) => x.name === this.port);
      if (p) return [{ name: p.name, port: p.number, protocol: p.protocol }];
    }
    return []; // the synth check reports the missing port
  }
}

/**
 * The name of the Service port that routes to container port `port`: the port itself when the Service
 * carries every named container port (no `ports` given), else the given port whose target is it (by
 * name); undefined when none does or that port has no name (a ServiceMonitor names Service ports).
 */
function servicePortFor(port: string, ports: ServicePortSpec[] | undefined): string | undefined {
  if (!ports) return port;
  return ports.find((p) => targetPortOf(p) === port && p.name)?.name;
}

/**
 * The ports of a workload's Service: `given`, else every named container port; plus the metrics port when
 * `metrics` adds it to the Service.
 */
export function workloadServicePorts(
  given: ServicePortSpec[] | undefined,
  containers: ContainerSpec[],
  metrics: WorkloadMetrics | undefined,
): ServicePortSpec[] {
  const ports = given ?? namedPortsOf(containers);
  const extra = metrics?.extraServicePorts(containers) ?? [];
  return extra.length > 0 ? [...ports, ...extra] : ports;
}
