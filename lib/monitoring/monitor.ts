import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, Problem, problemAt, recordObjectRef, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkLabels, checkObjectName, defaultName, NameRule, nameViolation } from '../core/names';
import { PatternDefaults } from '../pod/defaults';
import { addChecks, installPipeline } from '../synth/pipeline';
import { prometheusDuration } from './duration';
import { MonitorSelector } from './monitor-selector';
import { Relabeling, relabelingProblems, renderRelabelings } from './relabeling';
import { useMonitoringSchemas } from './schemas';

/** The API group and version of the prometheus-operator kinds. */
export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

/** How Prometheus connects to a scrape endpoint. */
export enum MonitorScheme {
  HTTP = 'http',
  HTTPS = 'https',
}

/** One scrape endpoint of a ServiceMonitor or PodMonitor. */
export interface MonitorEndpoint {
  /**
   * Name of the port to scrape: for a ServiceMonitor the name of the Service port, for a PodMonitor the
   * name of the container port.
   */
  readonly port: string;
  /** HTTP path of the metrics. @default - '/metrics' (prometheus-operator's default; not written) */
  readonly path?: string;
  /** How often to scrape. @default - the Prometheus' scrape interval (prometheus-operator: 30s) */
  readonly interval?: Duration;
  /** How long a scrape may take; at most `interval`. @default - the Prometheus' scrape timeout (10s, at most the interval) */
  readonly scrapeTimeout?: Duration;
  /** @default MonitorScheme.HTTP */
  readonly scheme?: MonitorScheme;
  /** On a clash, keep the labels of the scraped series instead of the target's. @default false */
  readonly honorLabels?: boolean;
  /** Relabeling of the target before the scrape. @default - none */
  readonly relabelings?: Relabeling[];
  /** Relabeling of the scraped series before they are stored. @default - none */
  readonly metricRelabelings?: Relabeling[];
}

/** Props shared by `ServiceMonitor` and `PodMonitor`. */
export interface MonitorProps {
  /** Object name. @default - from the construct path (see README, "How names are derived") */
  readonly name?: string;
  /** What to scrape: `MonitorSelector.service(...)` / `.pods(workload)` / `.labels({...})`. */
  readonly selector: MonitorSelector;
  /** The endpoints to scrape; at least one. */
  readonly endpoints: MonitorEndpoint[];
  /**
   * Namespaces to look for the selected objects in.
   * @default - the monitor's own namespace (or the selected workload's or Service's, when it is another)
   */
  readonly namespaces?: string[];
  /** Look in every namespace (`namespaceSelector.any`); not together with `namespaces`. @default false */
  readonly anyNamespace?: boolean;
  /**
   * Labels of the monitor; Prometheus picks up monitors through label selectors (`serviceMonitorSelector`,
   * `podMonitorSelector`). Added to the `PatternDefaults` `monitorLabels`, which they override.
   * @default - the `PatternDefaults` `monitorLabels`
   */
  readonly labels?: { [key: string]: string };
  /** Annotations of the monitor. @default - none */
  readonly annotations?: { [key: string]: string };
}

/** The labels a monitoring object gets at synth: the `PatternDefaults` `monitorLabels`, then its own. */
export function addDefaultMonitorLabels(obj: ApiObject, own: { [key: string]: string } | undefined): void {
  for (const [k, v] of Object.entries(PatternDefaults.of(obj).monitorLabels ?? {})) {
    if (!own || !(k in own)) obj.metadata.addLabel(k, v);
  }
}

/**
 * What ServiceMonitor and PodMonitor share (monitoring.coreos.com/v1, the prometheus-operator kinds that
 * tell Prometheus what to scrape): a checked name, a selector, namespaces, scrape endpoints with
 * Prometheus durations, and labels for the Prometheus' monitor selector. The object is checked at synth
 * against prometheus-operator's schema (see README, "Metrics"), with no CRD in the app.
 */
export abstract class Monitor extends Construct {
  /** The object's name. */
  public readonly name: string;
  /** `ServiceMonitor` or `PodMonitor`. */
  public readonly kind: string;
  /** The ServiceMonitor or PodMonitor object. */
  public readonly apiObject: ApiObject;

  /**
   * @param kind `ServiceMonitor` or `PodMonitor`
   * @param endpointsField the spec field of the endpoints (`endpoints`, `podMetricsEndpoints`)
   */
  protected constructor(scope: Construct, id: string, props: MonitorProps, kind: string, endpointsField: string) {
    super(scope, id);
    this.kind = kind;
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), 'monitoring.coreos.com', kind);
    recordObjectRef(this, kind, this.name);
    if (!props.selector || !(props.selector instanceof MonitorSelector))
      fail(
        this,
        'selector',
        'is required',
        'MonitorSelector.service(svc), MonitorSelector.pods(workload) or MonitorSelector.labels({...})',
      );
    const wrong = kind === 'ServiceMonitor' ? 'pods' : 'service';
    if (props.selector._type === wrong) {
      fail(
        this,
        'selector',
        kind === 'ServiceMonitor'
          ? 'MonitorSelector.pods selects pods, and a ServiceMonitor selects Services'
          : 'MonitorSelector.service selects a Service, and a PodMonitor selects pods',
        kind === 'ServiceMonitor'
          ? 'use a PodMonitor, or MonitorSelector.service(workload.service)'
          : 'use a ServiceMonitor, or MonitorSelector.pods(workload)',
      );
    }
    const labels = props.labels && checkLabels(this, 'labels', props.labels);
    throwIfAny(this.checkMonitor(props));
    const endpoints = props.endpoints.map((e, i) => renderEndpoint(this, `endpoints[${i}]`, e));
    const namespaceSelector = this.namespaceSelector(props);
    useMonitoringSchemas(this);
    const service = props.selector._service;
    if (service) addChecks(this, () => this.checkServicePorts(service, props.endpoints));
    installPipeline(this);

    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: MONITORING_API_VERSION,
      kind,
      metadata: { name: this.name, labels, annotations: props.annotations },
      render: () => {
        addDefaultMonitorLabels(this.apiObject, labels);
        return { spec: { selector: props.selector._toJson(), namespaceSelector, [endpointsField]: endpoints } };
      },
    });
  }

  private checkMonitor(props: MonitorProps): Problem[] {
    const out: Problem[] = [];
    const at = (field: string, rule: string, hint?: string) => out.push(problemAt(this, { field, rule, hint }));
    if (!props.endpoints || props.endpoints.length === 0)
      at('endpoints', 'needs at least one endpoint', 'endpoints: [{ port: "metrics" }]');
    (props.endpoints ?? []).forEach((e, i) => {
      if (typeof e.port !== 'string' || e.port === '') at(`endpoints[${i}].port`, 'needs the name of a port');
      if (e.path !== undefined && !e.path.startsWith('/')) at(`endpoints[${i}].path`, `"${e.path}" must start with "/"`);
      if (e.interval && e.scrapeTimeout && e.scrapeTimeout.toMilliseconds() > e.interval.toMilliseconds()) {
        at(
          `endpoints[${i}].scrapeTimeout`,
          `${e.scrapeTimeout.toHumanString()} is longer than the interval (${e.interval.toHumanString()}); Prometheus refuses a scrape timeout greater than its interval`,
        );
      }
      out.push(...relabelingProblems(this, `endpoints[${i}].relabelings`, e.relabelings));
      out.push(...relabelingProblems(this, `endpoints[${i}].metricRelabelings`, e.metricRelabelings));
    });
    if (props.anyNamespace && props.namespaces) at('namespaces', 'cannot be set together with anyNamespace', 'keep one of them');
    (props.namespaces ?? []).forEach((ns, i) => {
      const why = nameViolation(ns, NameRule.DNS_LABEL);
      if (why) at(`namespaces[${i}]`, why);
    });
    return out;
  }

  /** At synth: every endpoint of a monitor over one Service names a port of that Service (else nothing is scraped). */
  private checkServicePorts(service: ApiObject, endpoints: MonitorEndpoint[]): Problem[] {
    const spec = service.toJson()?.spec;
    const ports: any[] = Array.isArray(spec?.ports) ? spec.ports : [];
    const names = ports.map((p) => p?.name).filter((n): n is string => typeof n === 'string');
    return endpoints.flatMap((e, i) =>
      names.includes(e.port)
        ? []
        : [
            problemAt(this, {
              field: `endpoints[${i}].port`,
              rule: `"${e.port}" is not the name of a port of Service/${service.name}, so Prometheus would find no target`,
              hint: `named ports of the Service: ${names.sort().join(', ') || 'none'}`,
            }),
          ],
    );
  }

  private namespaceSelector(props: MonitorProps): Record<string, unknown> | undefined {
    if (props.anyNamespace) return { any: true };
    if (props.namespaces) return { matchNames: [...props.namespaces] };
    const own = Chart.of(this).namespace;
    const theirs = props.selector._namespaces;
    return theirs && theirs.length > 0 && (theirs.length !== 1 || theirs[0] !== own) ? { matchNames: [...theirs] } : undefined;
  }
}

function renderEndpoint(scope: Construct, field: string, e: MonitorEndpoint): Record<string, unknown> {
  return {
    port: e.port,
    path: e.path,
    interval: e.interval && prometheusDuration(scope, `${field}.interval`, e.interval),
    scrapeTimeout: e.scrapeTimeout && prometheusDuration(scope, `${field}.scrapeTimeout`, e.scrapeTimeout),
    scheme: e.scheme,
    honorLabels: e.honorLabels,
    relabelings: renderRelabelings(e.relabelings),
    metricRelabelings: renderRelabelings(e.metricRelabelings),
  };
}
