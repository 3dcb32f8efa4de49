import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ProblemDetails } from '../core/errors';
import { Workload } from '../workloads/workload';

/** A Service of the cluster, by name. */
interface ServiceName {
  readonly name: string;
  readonly namespace: string;
}

function isServiceName(ref: IConstruct | ServiceName): ref is ServiceName {
  return !(ref instanceof Construct) && typeof (ref as ServiceName).name === 'string' && typeof (ref as ServiceName).namespace === 'string';
}

/** Options of `WebhookClientConfig.service`. */
export interface WebhookServiceOptions {
  /** Service port the API server calls (HTTPS). @default 443 */
  readonly port?: number;
  /** URL path of the webhook on the server. @default - "/" */
  readonly path?: string;
}

/** How the API server reaches a webhook: through a Service of the cluster, or a URL. */
export class WebhookClientConfig {
  /**
   * Calls the webhook through a Service of the app: the Service object (`webService.service`), the
   * construct that owns it (a `WebService`), a `BareService` or a cdk8s-plus `Service`. Synth checks
   * that it has the port.
   */
  public static service(service: IConstruct, options: WebhookServiceOptions = {}): WebhookClientConfig {
    return new WebhookClientConfig(undefined, service, options.port ?? 443, options.path);
  }

  /** Calls the webhook through a Service defined outside the app. */
  public static serviceByName(name: string, namespace: string, options: WebhookServiceOptions = {}): WebhookClientConfig {
    return new WebhookClientConfig(undefined, { name, namespace }, options.port ?? 443, options.path);
  }

  /** Calls the webhook at an `https://` URL (no user info, query or fragment), e.g. a server outside the cluster. */
  public static url(url: string): WebhookClientConfig {
    return new WebhookClientConfig(url);
  }

  private constructor(
    private readonly endpoint?: string,
    private readonly serviceRef?: IConstruct | ServiceName,
    /** The Service port, for a Service webhook. */
    public readonly port?: number,
    /** The URL path, for a Service webhook. */
    public readonly path?: string,
  ) {}

  /** The URL, for a URL webhook. */
  public get endpointUrl(): string | undefined {
    return this.endpoint;
  }

  /**
   * The workload of ours whose Service the webhook calls (`WebhookClientConfig.service(webService)`).
   * @internal
   */
  public get _workload(): Workload | undefined {
    return this.serviceRef instanceof Workload ? this.serviceRef : undefined;
  }

  /** The in-app Service object, when the webhook calls one. */
  public get serviceObject(): ApiObject | undefined {
    const ref = this.serviceRef;
    if (ref instanceof ApiObject) return ref;
    if (ref instanceof Construct) {
      // a workload's Service (`service`), or the object of a BareService or a cdk8s-plus Service (`apiObject`)
      const owned = (ref as any).service;
      if (owned instanceof ApiObject) return owned;
      const own = (ref as any).apiObject;
      return own instanceof ApiObject && own.kind === 'Service' ? own : undefined;
    }
    return undefined;
  }

  /**
   * `{ name, namespace }` of the Service the webhook calls, when it calls one.
   * @internal
   */
  public get _service(): ServiceName | undefined {
    const ref = this.serviceRef;
    if (ref === undefined || !isServiceName(ref)) {
      const obj = this.serviceObject;
      return obj ? { name: obj.name, namespace: obj.metadata.namespace ?? 'default' } : undefined;
    }
    return { name: ref.name, namespace: ref.namespace };
  }

  /**
   * The problems of this client config; `field` is where it was given.
   * @internal
   */
  public _check(field: string): ProblemDetails[] {
    const out: ProblemDetails[] = [];
    if (this.endpoint !== undefined) {
      const why = urlViolation(this.endpoint);
      if (why) out.push({ field: `${field}.url`, rule: why });
      return out;
    }
    if (this.serviceRef instanceof Construct && !this.serviceObject) {
      out.push({
        field: `${field}.service`,
        rule: `${this.serviceRef.node.path} is neither a Service object nor a construct with a Service`,
        hint: 'pass a Service (a BareService, a cdk8s-plus Service, an ApiObject), or a WebService that creates one',
      });
    } else if (this.serviceObject && this.serviceObject.kind !== 'Service') {
      out.push({ field: `${field}.service`, rule: `${this.serviceObject.kind}/${this.serviceObject.name} is not a Service` });
    }
    if (!Number.isInteger(this.port) || this.port! < 1 || this.port! > 65535)
      out.push({ field: `${field}.port`, rule: `must be an integer from 1 to 65535 (got ${this.port})` });
    if (this.path !== undefined && !this.path.startsWith('/'))
      out.push({ field: `${field}.path`, rule: `"${this.path}" must start with "/"` });
    return out;
  }

  /**
   * The `clientConfig` JSON.
   * @internal
   */
  public _render(caBundle?: string): { [key: string]: any } {
    const svc = this._service;
    return {
      url: this.endpoint,
      service: svc
        ? { name: svc.name, namespace: svc.namespace, path: this.path, port: this.port === 443 ? undefined : this.port }
        : undefined,
      caBundle,
    };
  }
}

function urlViolation(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol !== 'https:') return `"${url}" must use https`;
  if (parsed.username || parsed.password) return `"${url}" must not contain user information`;
  if (parsed.search || url.includes('?')) return `"${url}" must not contain a query`;
  if (parsed.hash || url.includes('#')) return `"${url}" must not contain a fragment`;
  return undefined;
}

const CERT_MANAGER_INJECT = 'cert-manager.io/inject-ca-from';

/** The CA that signs a webhook server's certificate, so the API server can trust it. */
export class CaBundle {
  /** A PEM-encoded CA certificate (or several). */
  public static fromPem(pem: string): CaBundle {
    return new CaBundle(
      Buffer.from(pem, 'utf8').toString('base64'),
      pem.includes('-----BEGIN CERTIFICATE-----') ? undefined : 'is not a PEM certificate (no "-----BEGIN CERTIFICATE-----")',
    );
  }

  /** A base64-encoded PEM bundle, as `caBundle` holds it. */
  public static fromBase64(base64: string): CaBundle {
    const valid = /^[A-Za-z0-9+/]+={0,2}$/.test(base64) && base64.length % 4 === 0;
    const decoded = valid ? Buffer.from(base64, 'base64').toString('utf8') : '';
    return new CaBundle(
      base64,
      !valid ? 'is not valid base64' : decoded.includes('-----BEGIN CERTIFICATE-----') ? undefined : 'does not decode to a PEM certificate',
    );
  }

  /**
   * Leaves `caBundle` to cert-manager's CA injector, which copies the CA of `certificate`
   * (`<namespace>/<name>` of a cert-manager Certificate) into every webhook of the configuration.
   */
  public static fromCertManager(certificate: string): CaBundle {
    const valid = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(certificate);
    return new CaBundle(undefined, valid ? undefined : `"${certificate}" must be <namespace>/<certificate name>`, {
      [CERT_MANAGER_INJECT]: certificate,
    });
  }

  private constructor(
    /** The base64 bundle written into each webhook's clientConfig. */
    public readonly bundle: string | undefined,
    private readonly invalid?: string,
    /** Annotations for the configuration object. */
    public readonly annotations: { [key: string]: string } = {},
  ) {}

  /**
   * The problems of this bundle; `field` is where it was given.
   * @internal
   */
  public _check(field: string): ProblemDetails[] {
    return this.invalid ? [{ field, rule: `the CA bundle ${this.invalid}` }] : [];
  }
}
