import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { EnvFieldPaths, EnvValue, Probe } from 'cdk8s-plus-27';
import { PatternDefaults } from '../pod/defaults';
import { problemAt, throwIfAny } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkName, defaultName, NameRule } from '../core/names';
import { toYaml } from '../core/yaml';
import { ContainerResourcesSpec } from '../pod/container';
import { PodSecurity } from '../pod/security';
import { PodVolume } from '../pod/volume';
import { Access } from '../rbac/access';
import { RbacResource } from '../rbac/resource';
import { addExternal } from '../validation/policy';
import { DisruptionBudget } from '../workloads/disruption-budget';
import { WebService } from '../workloads/web-service';
import { LabelSelectorSpec } from './label-selector';
import { SidecarTemplate } from './sidecar';
import { FailurePolicy, MutatingWebhook, WebhookOperation, WebhookScope } from './webhook';
import { CaBundle, WebhookClientConfig } from './webhook-client';

/** Key of the template in the injector's ConfigMap. */
export const SIDECAR_TEMPLATE_KEY = 'sidecar.yaml';

/** Props of a `SidecarInjector`. */
export interface SidecarInjectorProps {
  /** Name of the Deployment, Service, ServiceAccount, Role, ConfigMap and webhook configuration. @default - derived from the construct path */
  readonly name?: string;
  /** What is injected; kept as YAML in the ConfigMap the injector reads. */
  readonly template: SidecarTemplate;
  /**
   * The injector server's image. It serves the webhook over HTTPS on `containerPort`, with the
   * certificate and key from TLS_CERT_FILE / TLS_KEY_FILE, and reads the template from the ConfigMap
   * TEMPLATE_CONFIGMAP (key TEMPLATE_KEY) in its namespace POD_NAMESPACE through the API.
   */
  readonly image: string;
  /** Fully qualified webhook name (`envoy.sidecar-injector.example.com`). */
  readonly webhookName: string;
  /** Injector pods. @default 2 */
  readonly replicas?: number;
  /** Port the injector listens on. @default 8443 */
  readonly containerPort?: number;
  /** URL path of the webhook. @default '/inject' */
  readonly path?: string;
  /** Secret (type kubernetes.io/tls) with the server's certificate, e.g. issued by cert-manager. @default `<name>-tls` */
  readonly tlsSecret?: string;
  /** The CA that signed that certificate. @default - none (set one, e.g. `CaBundle.fromCertManager('<ns>/<certificate>')`) */
  readonly ca?: CaBundle;
  /** Pods that get the sidecar, by label. @default - every pod of the selected namespaces */
  readonly objectSelector?: LabelSelectorSpec;
  /** Namespaces whose pods get the sidecar. @default - every namespace but kube-system and the injector's own */
  readonly namespaceSelector?: LabelSelectorSpec;
  /** @default FailurePolicy.FAIL (a pod is not created without its sidecar) */
  readonly failurePolicy?: FailurePolicy;
  /** Requests/limits of the injector. @default - `PatternDefaults.containerResources` */
  readonly resources?: ContainerResourcesSpec;
}

/**
 * Sidecar injection in the cluster (Istio-style Envoy injection, with the successor of initializers):
 * the sidecar template kept in a ConfigMap; the injector server as a Deployment with a Service, a
 * PodDisruptionBudget and a ServiceAccount whose Role may read only that ConfigMap; and a
 * MutatingWebhookConfiguration that sends every pod CREATE to it. The injector's own namespace and
 * kube-system are skipped, so the injector never waits on itself.
 *
 * The same `SidecarTemplate` in a `SidecarInitializer` injects the same containers at synth time.
 */
export class SidecarInjector extends Construct {
  /** The key of the sidecar template in the injector's ConfigMap. */
  public static readonly TEMPLATE_KEY = SIDECAR_TEMPLATE_KEY;

  /** The name shared by its objects. */
  public readonly name: string;
  /** The ConfigMap holding the template. */
  public readonly templateConfigMap: ApiObject;
  /** The injector Deployment and Service. */
  public readonly server: WebService;
  /** The MutatingWebhookConfiguration. */
  public readonly webhook: MutatingWebhook;

  constructor(scope: Construct, id: string, props: SidecarInjectorProps) {
    super(scope, id);
    this.name = checkName(
      this,
      'name',
      props.name ?? defaultName(this),
      NameRule.DNS_1035_LABEL,
      undefined,
      "the injector's Service is named after it",
    );
    throwIfAny(props.template._check('template').map((p) => problemAt(this, p)));
    const port = props.containerPort ?? 8443;
    const certs = '/etc/webhook/certs';
    const tlsSecret = props.tlsSecret ?? `${this.name}-tls`;
    // the serving certificate is issued outside the app (cert-manager, or by hand)
    addExternal(this, { secrets: [tlsSecret] });

    this.templateConfigMap = new Manifest(this, 'Template', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name },
      render: () => {
        const ctx = {
          podContainerDefaults: PodSecurity.restricted().containerContext(),
          defaultResources: PatternDefaults.containerResourcesOf(this),
        };
        return { data: { [SIDECAR_TEMPLATE_KEY]: toYaml(props.template._render(ctx)) } };
      },
    });

    this.server = new WebService(this, 'Server', {
      name: this.name,
      replicas: props.replicas ?? 2,
      budget: DisruptionBudget.maxUnavailable(1),
      serviceOptions: { ports: [{ name: 'https', port: 443, targetPort: 'https' }] },
      volumes: [PodVolume.secret('tls', tlsSecret)],
      containers: [
        {
          name: 'injector',
          image: props.image,
          ports: [{ name: 'https', number: port }],
          env: {
            PORT: String(port),
            TLS_CERT_FILE: `${certs}/tls.crt`,
            TLS_KEY_FILE: `${certs}/tls.key`,
            TEMPLATE_CONFIGMAP: this.name,
            TEMPLATE_KEY: SIDECAR_TEMPLATE_KEY,
            POD_NAMESPACE: EnvValue.fromFieldRef(EnvFieldPaths.POD_NAMESPACE),
          },
          mounts: [{ volume: 'tls', path: certs, readOnly: true }],
          readiness: Probe.fromTcpSocket(),
          resources: props.resources,
        },
      ],
    });
    Access.forWorkload(this.server).read(RbacResource.CONFIG_MAPS.named(this.name));

    this.webhook = new MutatingWebhook(this, 'Webhook', {
      name: this.name,
      ca: props.ca,
      webhooks: [
        {
          name: props.webhookName,
          clientConfig: WebhookClientConfig.service(this.server, { path: props.path ?? '/inject' }),
          rules: [
            {
              operations: [WebhookOperation.CREATE],
              apiGroups: [''],
              apiVersions: ['v1'],
              resources: ['pods'],
              scope: WebhookScope.NAMESPACED,
            },
          ],
          failurePolicy: props.failurePolicy,
          namespaceSelector: props.namespaceSelector,
          objectSelector: props.objectSelector,
        },
      ],
    });
  }
}
