import { Construct } from 'constructs';
import { Monitor, MonitorProps } from './monitor';

/** Props of a `PodMonitor`. */
export interface PodMonitorProps extends MonitorProps {}

/**
 * A PodMonitor (monitoring.coreos.com/v1): Prometheus scrapes the selected pods directly, by container
 * port name, with no Service in between (a DaemonSet's agents, workloads without a Service, or ports a
 * Service should not expose). Select a workload's pods with `MonitorSelector.pods(workload)`.
 *
 * @example
 * new PodMonitor(chart, 'agent', { selector: MonitorSelector.pods(agent), endpoints: [{ port: 'metrics' }] });
 */
export class PodMonitor extends Monitor {
  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(scope, id, props, 'PodMonitor', 'podMetricsEndpoints');
  }
}
