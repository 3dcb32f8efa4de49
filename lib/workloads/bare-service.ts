import { ApiObject } from 'cdk8s';
import { ServiceType } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Problem, problemAt, recordObjectRef, throwIfAny } from '../core/errors';
import { checkLabels, checkObjectName, defaultName } from '../core/names';
import { Workload } from './workload';
import { addChecks } from '../synth/pipeline';
import { addServiceObject, checkServicePorts, ServicePortSpec } from './service';

/** Props of a `BareService`. */
export interface BareServiceProps {
  /** Name of the Service (a DNS-1035 label). @default - from the construct path */
  readonly name?: string;
  /**
   * The pods it routes to, by label. Without `selector` and `workload` the Service has no selector: its
   * endpoints are managed by hand (an Endpoints object or EndpointSlices of the same name).
   * @default - the `workload`'s selector labels, else none
   */
  readonly selector?: { [key: string]: string };
  /** The workload whose pods it routes to (its `selectorLabels`; its named ports are checked). @default - `selector` */
  readonly workload?: Workload;
  /** Ports. Required unless headless or ExternalName. @default - none */
  readonly ports?: ServicePortSpec[];
  /** cdk8s-plus `ServiceType`. @default ServiceType.CLUSTER_IP (ServiceType.EXTERNAL_NAME when `externalName` is set) */
  readonly type?: ServiceType;
  /** `clusterIP: None`: a DNS record per pod, no virtual IP. @default false */
  readonly headless?: boolean;
  /** For an ExternalName Service: the DNS name it is an alias of (a CNAME). @default - none */
  readonly externalName?: string;
  /** Publish pods before they are ready. @default false */
  readonly publishNotReadyAddresses?: boolean;
  /** Labels of the Service. @default - none (the chart's) */
  readonly labels?: { [key: string]: string };
  /** Annotations of the Service. @default - none */
  readonly annotations?: { [key: string]: string };
}

/**
 * A standalone v1 Service, in every shape the API has: with a selector (over pods of any workload:
 * ours, cdk8s-plus, raw), selector-less (endpoints managed by hand), headless, or ExternalName (a DNS
 * alias). Workloads create their own Services; this is for the others.
 */
export class BareService extends Construct {
  /** The name of the Service. */
  public readonly name: string;
  /** The selector, if it has one. */
  public readonly selectorLabels?: { [key: string]: string };
  /** The Service. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: BareServiceProps = {}) {
    super(scope, id);
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), '', 'Service');
    recordObjectRef(this, 'Service', this.name);
    const selector = props.selector ?? props.workload?.selectorLabels;
    this.selectorLabels = selector ? { ...checkLabels(this, 'selector', selector) } : undefined;
    if (props.labels) checkLabels(this, 'labels', props.labels);
    const type = props.type ?? (props.externalName !== undefined ? ServiceType.EXTERNAL_NAME : undefined);
    throwIfAny(this.checkShape(props, type));
    const ports = [...(props.ports ?? [])];
    this.apiObject = addServiceObject(this, 'Resource', {
      name: this.name,
      type,
      externalName: props.externalName,
      headless: props.headless,
      publishNotReadyAddresses: props.publishNotReadyAddresses,
      selector: this.selectorLabels,
      ports: () => ports,
      labels: props.labels,
      annotations: props.annotations,
    });
    addChecks(this, () => this.checkPorts(ports, type, props.headless ?? false, props.workload));
  }

  private checkShape(props: BareServiceProps, type: ServiceType | undefined): Problem[] {
    const out: Problem[] = [];
    const at = (field: string, rule: string, hint?: string) => out.push(problemAt(this, { field, rule, hint }));
    if (props.selector && props.workload) at('selector', 'give either selector or workload, not both');
    if (type === ServiceType.EXTERNAL_NAME) {
      if (!props.externalName) at('externalName', 'an ExternalName Service needs the DNS name it is an alias of');
      else if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?\.?$/.test(props.externalName))
        at('externalName', `"${props.externalName}" is not a DNS name`);
      if (this.selectorLabels) at('selector', 'an ExternalName Service points at a DNS name, not at pods');
      if (props.headless) at('headless', 'an ExternalName Service has no cluster IP to leave out');
    } else if (props.externalName !== undefined) {
      at('externalName', `is only valid on ExternalName Services (type is ${type})`);
    }
    if (props.headless && (type === ServiceType.NODE_PORT || type === ServiceType.LOAD_BALANCER))
      at('headless', `a ${type} Service cannot be headless (it needs a cluster IP)`);
    return out;
  }

  private checkPorts(ports: ServicePortSpec[], type: ServiceType | undefined, headless: boolean, workload?: Workload): Problem[] {
    // ports are optional only without a cluster IP to route through: ExternalName and headless Services
    if ((type === ServiceType.EXTERNAL_NAME || headless) && ports.length === 0) return [];
    // target ports by name can be checked only against a workload of ours
    const containers = workload ? workload.pod.containerSpecs : [];
    return checkServicePorts(ports, containers, type, 'ports')
      .filter((d) => workload !== undefined || !d.field.endsWith('.targetPort'))
      .map((d) => problemAt(this, d));
  }
}
