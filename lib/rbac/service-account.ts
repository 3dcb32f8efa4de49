import { recordObjectRef } from '../core/errors';
import { ApiObject, Chart } from 'cdk8s';
import type { IServiceAccount, SubjectConfiguration } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { markPlainRendered, renderManifest } from '../core/manifest';
import { checkName, defaultNameOf, NameRule } from '../core/names';
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
export class RbacServiceAccount extends ApiObject implements IServiceAccount {
  /** Its namespace, if known (explicit or the chart's). */
  public readonly namespace?: string;
  /** The core group (`""`). */
  public readonly apiGroup = '';
  /** `serviceaccounts`. */
  public readonly resourceType = 'serviceaccounts';

  private readonly accountProps: RbacServiceAccountProps;

  constructor(scope: Construct, id: string, props: RbacServiceAccountProps = {}) {
    // an API object itself rather than a construct holding one: a workload granted API access gets one
    super(scope, id, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: props.name ?? defaultNameOf(scope, id), namespace: props.namespace },
    });
    this.accountProps = props;
    markPlainRendered(this);
    checkName(this, 'name', this.name, NameRule.DNS_SUBDOMAIN);
    recordObjectRef(this, 'ServiceAccount', this.name);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    installPipeline(this);
  }

  /** True for an `RbacServiceAccount` (`instanceof` is true for any API object: cdk8s detects API objects by attribute). */
  public static isRbacServiceAccount(x: unknown): x is RbacServiceAccount {
    return typeof x === 'object' && x !== null && Object.prototype.isPrototypeOf.call(RbacServiceAccount.prototype, x);
  }

  /** The ServiceAccount object: this construct itself (every construct of the library has `apiObject`). */
  public get apiObject(): ApiObject {
    return this;
  }

  /** The object's name, as RBAC rules name it. */
  public get resourceName(): string | undefined {
    return this.name;
  }

  /** The user name the API server sees: `system:serviceaccount:<namespace>:<name>`. */
  public get userName(): string {
    return `system:serviceaccount:${this.namespace ?? 'default'}:${this.name}`;
  }

  /** The manifest. */
  public toJson(): any {
    return renderManifest(
      this,
      {
        automountServiceAccountToken: this.accountProps.automountToken ?? false,
        imagePullSecrets: this.accountProps.imagePullSecrets?.map((name) => ({ name })),
      },
      false,
    );
  }

  /** The binding subject (cdk8s-plus `ISubject`). */
  public toSubjectConfiguration(): SubjectConfiguration {
    return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace };
  }
}
