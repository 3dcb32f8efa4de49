import { Duration, ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { addChecks } from '../synth/pipeline';
import { ClusterVersion } from '../core/cluster-version';
import { Problem, problemAt, ProblemDetails, recordObjectRef, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkName, defaultName, NameRule } from '../core/names';
import { nonEmpty } from '../core/plain';
import { checkSelector, LabelSelectorOperator, LabelSelectorSpec, renderSelector } from './label-selector';
import { checkResourceRule, fullyQualifiedNameViolation, renderResourceRule, ResourceRule } from './rules';
import { CaBundle, WebhookClientConfig } from './webhook-client';

/** Operations a webhook rule intercepts. */
export enum WebhookOperation {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  CONNECT = 'CONNECT',
  /** Every operation; cannot be mixed with others. */
  ALL = '*',
}

/** Which objects a rule covers by scope. */
export enum WebhookScope {
  CLUSTER = 'Cluster',
  NAMESPACED = 'Namespaced',
  ALL = '*',
}

/** What the API server does when the webhook cannot be called or errs. */
export enum FailurePolicy {
  /** Reject the request (the Kubernetes default). */
  FAIL = 'Fail',
  /** Let the request through unchanged. */
  IGNORE = 'Ignore',
}

/** Whether requests to other versions of a matched resource are sent too. */
export enum MatchPolicy {
  EXACT = 'Exact',
  /** Also requests made through an equivalent group/version (the Kubernetes default). */
  EQUIVALENT = 'Equivalent',
}

/** Side effects of calling the webhook (admissionregistration.k8s.io/v1 allows only these two). */
export enum SideEffects {
  NONE = 'None',
  /** Side effects, skipped for dry-run requests. */
  NONE_ON_DRY_RUN = 'NoneOnDryRun',
}

/** Whether a mutating webhook is called again when later plugins change the object. */
export enum ReinvocationPolicy {
  NEVER = 'Never',
  IF_NEEDED = 'IfNeeded',
}

/** A webhook rule: operations on resources. */
export interface WebhookRule extends ResourceRule {
  /** Operations to intercept; `WebhookOperation.ALL` cannot be mixed with others. */
  readonly operations: WebhookOperation[];
  /** @default WebhookScope.ALL */
  readonly scope?: WebhookScope;
}

/** One webhook of a validating or mutating webhook configuration. */
export interface WebhookSpec {
  /** Fully qualified name (at least three dot-separated segments), unique in the configuration. */
  readonly name: string;
  /** How the API server calls it: `WebhookClientConfig.service(...)` or `.url(...)`. */
  readonly clientConfig: WebhookClientConfig;
  /** Requests it receives (at least one rule). */
  readonly rules: WebhookRule[];
  /** @default FailurePolicy.FAIL */
  readonly failurePolicy?: FailurePolicy;
  /** @default - Kubernetes' default (Equivalent) */
  readonly matchPolicy?: MatchPolicy;
  /** @default SideEffects.NONE */
  readonly sideEffects?: SideEffects;
  /** AdmissionReview versions the webhook understands, preferred first. @default ['v1'] */
  readonly admissionReviewVersions?: string[];
  /** Time the API server waits, 1–30 seconds. @default - Kubernetes' default (10 seconds) */
  readonly timeout?: Duration;
  /**
   * Namespaces it applies to.
   * @default - every namespace but kube-system and the namespace of the webhook's own Service, so it
   * can never block the pods that serve it (label `kubernetes.io/metadata.name`, Kubernetes 1.21+)
   */
  readonly namespaceSelector?: LabelSelectorSpec;
  /** Objects it applies to, by their labels. @default - every object */
  readonly objectSelector?: LabelSelectorSpec;
}

/** One webhook of a `MutatingWebhook` configuration. */
export interface MutatingWebhookSpec extends WebhookSpec {
  /** @default - Kubernetes' default (Never) */
  readonly reinvocationPolicy?: ReinvocationPolicy;
}

/** Props shared by webhook configurations. */
export interface WebhookConfigurationProps {
  /** Object name. @default - derived from the construct path */
  readonly name?: string;
  /** The CA that signed the webhook servers' certificates, for every webhook. @default - none (the server's certificate must be trusted by the API server) */
  readonly ca?: CaBundle;
}

/** Props of a `MutatingWebhook`. */
export interface MutatingWebhookProps extends WebhookConfigurationProps {
  /** The webhooks (at least one, here or with `addWebhook`). @default - none */
  readonly webhooks?: MutatingWebhookSpec[];
}

/** Props of a `ValidatingWebhook`. */
export interface ValidatingWebhookProps extends WebhookConfigurationProps {
  /** The webhooks (at least one, here or with `addWebhook`). @default - none */
  readonly webhooks?: WebhookSpec[];
}

/** The label the API server sets on every namespace (Kubernetes 1.21+). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const REVIEW_VERSIONS = ['v1', 'v1beta1'];

/** What validating and mutating webhook configurations share. */
export abstract class WebhookConfiguration extends Construct {
  /** The object name. */
  public readonly name: string;
  /** The configuration object. */
  public readonly apiObject: ApiObject;
  private readonly webhooks: WebhookSpec[] = [];
  private readonly ca?: CaBundle;

  /** @param kind `MutatingWebhookConfiguration` or `ValidatingWebhookConfiguration` */
  protected constructor(scope: Construct, id: string, kind: string, props: WebhookConfigurationProps) {
    super(scope, id);
    this.name = checkName(this, 'name', props.name ?? defaultName(this), NameRule.DNS_SUBDOMAIN);
    recordObjectRef(this, kind, this.name);
    this.ca = props.ca;
    throwIfAny((props.ca?._check('ca') ?? []).map((p) => problemAt(this, p)));
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind,
      clusterScoped: true,
      metadata: { name: this.name, annotations: nonEmpty(props.ca?.annotations) },
      render: () => ({ webhooks: this.webhooks.map((w) => this.renderWebhook(w)) }),
    });
    addChecks(this, () => this.check());
  }

  /** Adds a webhook; its settings are checked now. */
  protected addSpec(webhook: WebhookSpec): void {
    const field = `webhooks[${this.webhooks.length}]`;
    const problems = this.checkWebhook(webhook, field);
    if (this.webhooks.some((w) => w.name === webhook.name))
      problems.push({ field: `${field}.name`, rule: `webhook name "${webhook.name}" is already used in this configuration` });
    throwIfAny(problems.map((p) => problemAt(this, p)));
    this.webhooks.push(webhook);
    // the API server calls the webhook from outside the pod network: its NetworkPolicy must let any source in
    webhook.clientConfig._workload?._allowIngressFromAnySource();
  }

  /** Fields only one kind of webhook has. */
  protected abstract renderExtra(webhook: WebhookSpec): { [key: string]: any };

  protected checkWebhook(w: WebhookSpec, field: string): ProblemDetails[] {
    const out: ProblemDetails[] = [];
    const nameWhy = fullyQualifiedNameViolation(w.name);
    if (nameWhy) out.push({ field: `${field}.name`, rule: nameWhy });
    if (!w.clientConfig)
      out.push({ field: `${field}.clientConfig`, rule: 'is required: WebhookClientConfig.service(...) or WebhookClientConfig.url(...)' });
    else out.push(...w.clientConfig._check(`${field}.clientConfig`));
    if (!w.rules?.length) out.push({ field: `${field}.rules`, rule: 'must list at least one rule, or the webhook is never called' });
    (w.rules ?? []).forEach((r, i) => {
      out.push(...checkResourceRule(r, `${field}.rules[${i}]`, { subresources: true }));
      if (!r.operations?.length) out.push({ field: `${field}.rules[${i}].operations`, rule: 'must list at least one operation' });
      else if (r.operations.length > 1 && r.operations.includes(WebhookOperation.ALL)) {
        out.push({
          field: `${field}.rules[${i}].operations`,
          rule: `"*" cannot be mixed with other operations (got ${JSON.stringify(r.operations)})`,
        });
      }
    });
    const versions = w.admissionReviewVersions;
    if (versions !== undefined) {
      if (versions.length === 0) out.push({ field: `${field}.admissionReviewVersions`, rule: 'must list at least one version' });
      versions.forEach((v, i) => {
        if (!REVIEW_VERSIONS.includes(v))
          out.push({
            field: `${field}.admissionReviewVersions[${i}]`,
            rule: `"${v}" is not an AdmissionReview version the API server speaks (${REVIEW_VERSIONS.join(', ')})`,
          });
        if (versions.indexOf(v) !== i) out.push({ field: `${field}.admissionReviewVersions[${i}]`, rule: `"${v}" is listed twice` });
      });
    }
    if (w.timeout !== undefined) {
      const s = w.timeout.toSeconds({ integral: false });
      if (!Number.isInteger(s) || s < 1 || s > 30)
        out.push({ field: `${field}.timeout`, rule: `must be a whole number of seconds from 1 to 30 (got ${s})` });
    }
    if (w.namespaceSelector) out.push(...checkSelector(w.namespaceSelector, `${field}.namespaceSelector`));
    if (w.objectSelector) out.push(...checkSelector(w.objectSelector, `${field}.objectSelector`));
    return out;
  }

  private check(): Problem[] {
    const out: ProblemDetails[] = [];
    const minor = ClusterVersion.minorOf(this);
    if (this.webhooks.length === 0) out.push({ field: 'webhooks', rule: 'must list at least one webhook' });
    if (minor < 16) {
      out.push({
        field: 'apiVersion',
        rule: `admissionregistration.k8s.io/v1 needs Kubernetes 1.16 or later; the target cluster is ${ClusterVersion.of(this)}`,
      });
    }
    this.webhooks.forEach((w, i) => {
      if (!w.namespaceSelector && minor < 21) {
        out.push({
          field: `webhooks[${i}].namespaceSelector`,
          rule: `the default selector uses the label ${NAMESPACE_NAME_LABEL}, which Kubernetes sets from 1.21; the target cluster is ${ClusterVersion.of(this)}`,
          hint: 'set namespaceSelector explicitly',
        });
      }
      const svc = w.clientConfig.serviceObject;
      if (svc) {
        const ports: any[] = svc.toJson()?.spec?.ports ?? [];
        if (!ports.some((p) => p.port === w.clientConfig.port)) {
          out.push({
            field: `webhooks[${i}].clientConfig.port`,
            rule: `Service ${svc.name} has no port ${w.clientConfig.port} (it has ${ports.map((p) => p.port).join(', ') || 'none'})`,
          });
        }
      }
    });
    return out.map((p) => problemAt(this, p));
  }

  private renderWebhook(w: WebhookSpec): Record<string, unknown> {
    return {
      name: w.name,
      clientConfig: w.clientConfig._render(this.ca?.bundle),
      rules: w.rules.map((r) => ({ operations: [...r.operations], ...renderResourceRule(r), scope: r.scope })),
      failurePolicy: w.failurePolicy ?? FailurePolicy.FAIL,
      matchPolicy: w.matchPolicy,
      sideEffects: w.sideEffects ?? SideEffects.NONE,
      admissionReviewVersions: [...(w.admissionReviewVersions ?? ['v1'])],
      timeoutSeconds: w.timeout?.toSeconds(),
      namespaceSelector: renderSelector(w.namespaceSelector ?? this.defaultNamespaceSelector(w)),
      objectSelector: w.objectSelector ? renderSelector(w.objectSelector) : undefined,
      ...this.renderExtra(w),
    };
  }

  /** Every namespace but kube-system and the webhook's own, so a webhook can never block the pods that serve it. */
  private defaultNamespaceSelector(w: WebhookSpec): LabelSelectorSpec {
    const own = w.clientConfig._service?.namespace;
    const values = [...new Set(['kube-system', ...(own ? [own] : [])])].sort();
    return { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: LabelSelectorOperator.NOT_IN, values }] };
  }
}

/**
 * An admissionregistration.k8s.io/v1 `MutatingWebhookConfiguration`: the API server sends matching
 * requests to the webhooks, which may change the object (sidecar injection, defaults). The successor
 * of InitializerConfiguration. Webhook names must be fully qualified and unique; `sideEffects`
 * defaults to None and `admissionReviewVersions` to [v1]; by default a webhook skips kube-system and
 * its own namespace, so it cannot block its own pods.
 */
export class MutatingWebhook extends WebhookConfiguration {
  constructor(scope: Construct, id: string, props: MutatingWebhookProps = {}) {
    super(scope, id, 'MutatingWebhookConfiguration', props);
    for (const w of props.webhooks ?? []) this.addWebhook(w);
  }

  /** Adds a webhook; its settings are checked now. */
  public addWebhook(webhook: MutatingWebhookSpec): void {
    this.addSpec(webhook);
  }

  protected renderExtra(webhook: WebhookSpec): { [key: string]: any } {
    return { reinvocationPolicy: (webhook as MutatingWebhookSpec).reinvocationPolicy };
  }
}

/**
 * An admissionregistration.k8s.io/v1 `ValidatingWebhookConfiguration`: the API server asks the
 * webhooks to admit or reject matching requests. Same rules and defaults as `MutatingWebhook`.
 */
export class ValidatingWebhook extends WebhookConfiguration {
  constructor(scope: Construct, id: string, props: ValidatingWebhookProps = {}) {
    super(scope, id, 'ValidatingWebhookConfiguration', props);
    for (const w of props.webhooks ?? []) this.addWebhook(w);
  }

  /** Adds a webhook; its settings are checked now. */
  public addWebhook(webhook: WebhookSpec): void {
    this.addSpec(webhook);
  }

  protected renderExtra(_webhook: WebhookSpec): { [key: string]: any } {
    return {};
  }
}
