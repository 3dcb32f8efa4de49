import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Manifest } from '../core/manifest';
import { checkName, defaultName, NameRule } from '../core/names';

/** Props of a `ServiceAccount`. */
export interface ServiceAccountProps {
  /** @default - derived from the construct path (see `defaultName`) */
  readonly name?: string;
  /** @default - the chart's namespace */
  readonly namespace?: string;
  /**
   * Whether pods get its token mounted unless they say otherwise. Workloads set the pod-level field
   * themselves (true only when granted API access), so this rarely needs changing.
   * @default false
   */
  readonly automountToken?: boolean;
  /** Secrets for pulling images. @default - none */
  readonly imagePullSecrets?: string[];
}

/** A ServiceAccount: the identity a pod uses to call the Kubernetes API. */
export class ServiceAccount extends Construct {
  /** The ServiceAccount's name. */
  public readonly name: string;
  /** Its namespace, if known (explicit or the chart's). */
  public readonly namespace?: string;

  constructor(scope: Construct, id: string, props: ServiceAccountProps = {}) {
    super(scope, id);
    this.name = checkName(this, 'name', props.name ?? defaultName(this), NameRule.DNS_SUBDOMAIN);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    new Manifest(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: this.name, namespace: props.namespace },
      render: () => ({
        automountServiceAccountToken: props.automountToken ?? false,
        imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
      }),
    });
  }

  /** The user name the API server sees: `system:serviceaccount:<namespace>:<name>`. */
  public get userName(): string {
    return `system:serviceaccount:${this.namespace ?? 'default'}:${this.name}`;
  }
}
