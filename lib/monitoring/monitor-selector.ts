import { ApiObject } from 'cdk8s';
import type { IPodSelector } from 'cdk8s-plus-27';
import { failOutsideConstruct } from '../core/errors';

/** What a ServiceMonitor or PodMonitor selects. */
export class MonitorSelector {
  /** Objects (Services for a ServiceMonitor, pods for a PodMonitor) carrying all these labels, in the monitor's namespaces. */
  public static labels(matchLabels: { [key: string]: string }): MonitorSelector {
    if (!matchLabels || Object.keys(matchLabels).length === 0) {
      failOutsideConstruct(
        'MonitorSelector.labels',
        'matchLabels',
        'must not be empty: an empty selector matches every object in the namespace',
      );
    }
    return new MonitorSelector('labels', { ...matchLabels });
  }

  /**
   * The pods of a workload (a PodMonitor's selector): a construct of this library, or any cdk8s-plus pod
   * selector (`Deployment`, `StatefulSet`...). When its pods live in another namespace, the monitor looks there.
   */
  public static pods(workload: IPodSelector): MonitorSelector {
    const config = workload.toPodSelectorConfig();
    const selector = (config.labelSelector as any)._toKube?.() ?? {};
    if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      failOutsideConstruct(
        'MonitorSelector.pods',
        'workload',
        'selects no labels, so the monitor would scrape every pod in the namespace',
        'give the workload selector labels, or use MonitorSelector.labels',
      );
    }
    return new MonitorSelector('pods', selector.matchLabels ?? {}, selector.matchExpressions, config.namespaces?.names);
  }

  /**
   * One Service (a ServiceMonitor's selector): the Service is labelled
   * `monitoring.cdk8s-patterns.io/service: <its name>` and the monitor selects that label, so no other
   * Service over the same pods (a read Service beside a headless one) is scraped twice.
   */
  public static service(service: ApiObject): MonitorSelector {
    service.metadata.addLabel(MonitorSelector.SERVICE_LABEL, service.name);
    const ns = service.metadata.namespace;
    return new MonitorSelector('service', { [MonitorSelector.SERVICE_LABEL]: service.name }, undefined, ns ? [ns] : undefined, service);
  }

  /** The label `MonitorSelector.service` puts on the Service it selects. */
  public static readonly SERVICE_LABEL = 'monitoring.cdk8s-patterns.io/service';

  private constructor(
    /** `labels`, `pods` or `service`. @internal */
    public readonly _type: string,
    /** @internal */
    public readonly _matchLabels: { [key: string]: string },
    /** @internal */
    public readonly _matchExpressions?: unknown[],
    /** Namespaces of the selected objects, when known. @internal */
    public readonly _namespaces?: string[],
    /** The one Service selected (`MonitorSelector.service`). @internal */
    public readonly _service?: ApiObject,
  ) {}

  /** The label selector JSON. @internal */
  public _toJson(): Record<string, unknown> {
    return {
      matchLabels: Object.keys(this._matchLabels).length > 0 ? { ...this._matchLabels } : undefined,
      matchExpressions: this._matchExpressions && this._matchExpressions.length > 0 ? this._matchExpressions : undefined,
    };
  }
}
