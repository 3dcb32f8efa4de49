import { ApiObject } from 'cdk8s';
import { RestartPolicy } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { Manifest } from '../core/manifest';
import { PodTemplate } from '../pod/pod-template';
import { Workload, WorkloadProps } from './workload';

/** Props of a `BarePod`. */
export interface BarePodProps extends WorkloadProps {
  /** What the kubelet does when a container exits (cdk8s-plus `RestartPolicy`). @default RestartPolicy.ALWAYS (Kubernetes' default) */
  readonly restartPolicy?: RestartPolicy;
}

/**
 * A single v1 Pod with no controller around it: the shape of the Kubernetes documentation's examples
 * (init containers, a debugging pod, a one-off task). The pod settings, checks and Pod Security defaults
 * are those of every workload; the chart's namespace and labels land on it as on any object, and the
 * pod-template annotations (Pod Security level and reason) are written on the Pod itself. Nothing
 * recreates a bare Pod when its node goes: use a workload construct for anything that must keep running.
 */
export class BarePod extends Workload {
  /** The pod template (containers, init containers and volumes can be added after construction). */
  public readonly pod: PodTemplate;
  /** The Pod. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: BarePodProps) {
    super(scope, id, props, '', 'Pod');
    if (props.restartPolicy !== undefined && !Object.values(RestartPolicy).includes(props.restartPolicy)) {
      fail(this, 'restartPolicy', `"${props.restartPolicy}" is not a restart policy (Always, OnFailure, Never)`);
    }
    this.pod = PodTemplate._create(this, props, { restartPolicy: props.restartPolicy });
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: this.name },
      // the template's labels and annotations are the Pod's own (read at synth: state may still change)
      render: () => this.pod._render(this.selectorLabels),
    });
  }
}
