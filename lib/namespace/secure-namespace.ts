import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, recordObjectRef } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkLabels, checkObjectName, defaultName } from '../core/names';
import { nonEmpty } from '../core/plain';
import { POD_SECURITY_REASON_ANNOTATION, PodSecurity, PodSecurityLevel } from '../pod/security';

const PSA_PREFIX = 'pod-security.kubernetes.io/';
const POLICY_VERSION = /^(v1\.(0|[1-9][0-9]*)|latest)$/;

/** Props of a `Namespace`. */
export interface SecureNamespaceProps {
  /** Namespace name (DNS-1123 label). @default - derived from the construct path (see `defaultName`) */
  readonly name?: string;
  /**
   * The Pod Security level admission enforces on every pod of the namespace. A level below restricted
   * needs a reason, written into the output as the `cdk8s-patterns.io/pod-security-reason` annotation.
   * @default PodSecurity.restricted()
   */
  readonly podSecurity?: PodSecurity;
  /** Level at which admission warns the user who creates a pod. @default - the enforced level */
  readonly warn?: PodSecurityLevel;
  /** Level at which admission records audit events. @default - the enforced level */
  readonly audit?: PodSecurityLevel;
  /**
   * Version of the Pod Security Standards the levels refer to (`v1.27`, or `latest`).
   * @default 'v1.27'
   */
  readonly policyVersion?: string;
  /** Further labels (not `pod-security.kubernetes.io/*`: set `podSecurity` instead). @default - none */
  readonly labels?: { [key: string]: string };
  /** @default - none */
  readonly annotations?: { [key: string]: string };
}

/**
 * A Namespace whose Pod Security admission labels (`pod-security.kubernetes.io/enforce`, `warn`, `audit`
 * and their `-version`s) enforce a level: restricted by default. Validation checks every pod template of
 * the app in this namespace against the enforced level, so a workload that admission would reject fails
 * at synth instead.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class SecureNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The level admission enforces. */
  public readonly podSecurity: PodSecurity;
  /** The Namespace object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SecureNamespaceProps = {}) {
    super(scope, id);
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), '', 'Namespace');
    recordObjectRef(this, 'Namespace', this.name);
    this.podSecurity = props.podSecurity ?? PodSecurity.restricted();
    const level = this.podSecurity.level;
    const reason = this.podSecurity.reason?.trim();
    if (level !== PodSecurityLevel.RESTRICTED && !reason)
      fail(this, 'podSecurity', `a Pod Security level below restricted ("${level}") needs a reason`);
    const version = props.policyVersion ?? 'v1.27';
    if (!POLICY_VERSION.test(version))
      fail(this, 'policyVersion', `"${version}" is not a Pod Security policy version (v1.<minor> or latest)`);
    const psaLabel = Object.keys(props.labels ?? {}).find((k) => k.startsWith(PSA_PREFIX));
    if (psaLabel) fail(this, `labels.${psaLabel}`, 'Pod Security labels come from podSecurity, warn and audit');
    checkLabels(this, 'labels', props.labels ?? {});
    const modes: Record<string, PodSecurityLevel> = { enforce: level, warn: props.warn ?? level, audit: props.audit ?? level };
    const labels: { [key: string]: string } = { ...(props.labels ?? {}) };
    for (const [mode, modeLevel] of Object.entries(modes)) {
      labels[`${PSA_PREFIX}${mode}`] = modeLevel;
      labels[`${PSA_PREFIX}${mode}-version`] = version;
    }
    const annotations = {
      ...(props.annotations ?? {}),
      ...(reason && level !== PodSecurityLevel.RESTRICTED ? { [POD_SECURITY_REASON_ANNOTATION]: reason } : {}),
    };
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: this.name, labels, annotations: nonEmpty(annotations) },
      render: () => ({}),
      clusterScoped: true,
    });
  }
}
