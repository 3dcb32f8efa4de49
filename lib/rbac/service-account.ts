import { ApiObject, Chart } from 'cdk8s';
import type { IServiceAccount, SubjectConfiguration } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Manifest } from '../core/manifest';
import { checkName, defaultName, NameRule } from '../core/names';
import { installPipeline } from '../synth/pipeline';

/** Props of an `RbacServiceAccount`. */
export interface RbacServiceAccountProps {
  /** @default - derived from the construct path (see README, "How names are derived") */
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

/**
 * A ServiceAccount: the identity a pod uses to call the Kubernetes API, with a readable name and its
 * API user name (`userName`). It is a cdk8s-plus `IServiceAccount`, so it goes wherever cdk8s-plus
 * takes one; workloads create their own when granted API access.
 */
export class RbacServiceAccount extends Construct implements IServiceAccount {
  /** The ServiceAccount's name. */
  public readonly name: string;
  /** Its namespace, if known (explicit or the chart's). */
  public readonly namespace?: string;
  /** The ServiceAccount object. */
  public readonly apiObject: ApiObject;
  /** `v1`. */
  public readonly apiVersion = 'v1';
  /** `ServiceAccount`. */
  public readonly kind = 'ServiceAccount';
  /** The core group (`""`). */
  public readonly apiGroup = '';
  /** `serviceaccounts`. */
  public readonly resourceType = 'serviceaccounts';

  constructor(scope: Construct, id: string, props: RbacServiceAccountProps = {}) {
    super(scope, id);
    this.name = checkName(this, 'name', props.name ?? defaultName(this), NameRule.DNS_SUBDOMAIN);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: this.name, namespace: props.namespace },
      render: () => ({
        automountServiceAccountToken: props.automountToken ?? false,
        imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
      }),
    });
    installPipeline(this);
  }

  /** The object's name, as RBAC rules name it. */
  public get resourceName(): string | undefined {
    return this.name;
  }

  /** The user name the API server sees: `system:serviceaccount:<namespace>:<name>`. */
  public get userName(): string {
    return `system:serviceaccount:${this.namespace ?? 'default'}:${this.name}`;
  }

  /** The binding subject (cdk8s-plus `ISubject`). */
  public toSubjectConfiguration(): SubjectConfiguration {
    return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace };
  }
}
