import { Construct } from 'constructs';
import { Monitor, MonitorProps } from './monitor';

/** Props of a `ServiceMonitor`. */
export interface ServiceMonitorProps extends MonitorProps {}

/**
 * A ServiceMonitor (monitoring.coreos.com/v1): Prometheus scrapes the endpoints of the selected
 * Services, by Service port name. Select one Service with `MonitorSelector.service(svc)`, or Services by
 * label with `MonitorSelector.labels({...})`.
 *
 * @example
 * new ServiceMonitor(chart, 'api', {
 *   selector: MonitorSelector.service(web.service!),
 *   endpoints: [{ port: 'metrics', interval: Duration.seconds(30) }],
 * });
 */
export class ServiceMonitor extends Monitor {
  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(scope, id, props, 'ServiceMonitor', 'endpoints');
  }
}
