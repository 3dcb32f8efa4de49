import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import { ClusterVersion } from '../../lib/core/cluster-version';
import {
  CaBundle,
  FailurePolicy,
  InitializerConfiguration,
  InitializerConfigurationProps,
  LabelSelectorOperator,
  MatchPolicy,
  MutatingWebhook,
  MutatingWebhookSpec,
  ReinvocationPolicy,
  SideEffects,
  ValidatingWebhook,
  Validation,
  WebhookClientConfig,
  WebhookOperation,
  WebhookScope,
} from '../../lib';
import { WebService } from '../../lib/workloads/web-service';
import { byKind, expectValidManifests, ownMetadata } from '../util';

const PODS = { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfake\n-----END CERTIFICATE-----\n';

/** A chart for a declared 1.13 cluster, validated against the 1.13 schema. */
function chart113(namespace?: string): Chart {
  const app = Testing.app();
  Validation.enable(app, { k8sVersion: '1.13' });
  const chart = new Chart(app, 'old', { namespace });
  ClusterVersion.declare(chart, '1.13');
  return chart;
}

describe('ClusterVersion', () => {
  test('defaults to 1.27; the innermost declaration wins; bad versions are refused', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    expect(ClusterVersion.of(chart)).toBe('1.27');
    ClusterVersion.declare(app, '1.27');
    expect(ClusterVersion.of(chart)).toBe('1.27');
    ClusterVersion.declare(chart, '1.13');
    expect(ClusterVersion.minorOf(chart)).toBe(13);
    expect(() => ClusterVersion.declare(chart, 'v1.13.2')).toThrow(
      /\[c\] clusterVersion: "v1\.13\.2" is not a Kubernetes version of the form 1\.<minor>/,
    );
  });

  test('a version without a schema is an error listing the supported ones', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => ClusterVersion.declare(chart, '1.30')).toThrow(
      /\[c\] clusterVersion: Kubernetes 1\.30 is not supported: the library has no schema for it.*\(hint: declare one of 1\.27, 1\.13/,
    );
    expect(() => ClusterVersion.declare(chart, '1.16')).toThrow(/Kubernetes 1\.16 is not supported/);
    expect(ClusterVersion.supported()).toEqual(['1.27', '1.13']);
  });
});

describe('InitializerConfiguration', () => {
  const props: InitializerConfigurationProps = {
    name: 'example-config',
    initializers: [{ name: 'podimage.example.com', rules: [PODS] }],
  };

  test('renders the v1alpha1 object, cluster-scoped, valid for Kubernetes 1.13', () => {
    const chart = chart113('apps');
    new InitializerConfiguration(chart, 'config', props);
    const m = Testing.synth(chart).map((o) => ({ ...o, metadata: ownMetadata(o.metadata) }));
    expect(m).toEqual([
      {
        apiVersion: 'admissionregistration.k8s.io/v1alpha1',
        kind: 'InitializerConfiguration',
        metadata: { name: 'example-config' },
        initializers: [{ name: 'podimage.example.com', rules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }] }],
      },
    ]);
    expectValidManifests(m, '1.13');
  });

  test('is refused for a cluster that is not declared 1.13 or older, pointing at its successors', () => {
    const chart = new Chart(Testing.app(), 'new');
    new InitializerConfiguration(chart, 'config', props);
    expect(() => Testing.synth(chart)).toThrow(
      /\[new\/config\] InitializerConfiguration\/example-config apiVersion: admissionregistration\.k8s\.io\/v1alpha1 InitializerConfiguration was removed in Kubernetes 1\.14, and the target cluster is 1\.27 \[removed-api\] \(hint: for a 1\.13 \(or older\) cluster, ClusterVersion\.declare\(chart, "1\.13"\); otherwise use its successor MutatingWebhook .*PodInitializers/,
    );
  });

  test('names must be fully qualified and unique; "*" cannot be mixed; no subresources', () => {
    const chart = chart113();
    expect(() => new InitializerConfiguration(chart, 'short', { initializers: [{ name: 'podimage.example', rules: [PODS] }] })).toThrow(
      /\[old\/short\] InitializerConfiguration\/short initializers\[0\]\.name: "podimage\.example" is not fully qualified: it needs at least three dot-separated segments/,
    );
    expect(
      () =>
        new InitializerConfiguration(chart, 'twice', {
          initializers: [
            { name: 'a.example.com', rules: [PODS] },
            { name: 'a.example.com', rules: [PODS] },
          ],
        }),
    ).toThrow(/initializers\[1\]\.name: "a\.example\.com" is listed twice/);
    expect(
      () =>
        new InitializerConfiguration(chart, 'wild', {
          initializers: [{ name: 'a.example.com', rules: [{ apiGroups: ['*'], apiVersions: ['v1', '*'], resources: ['*', 'pods'] }] }],
        }),
    ).toThrow(
      /rules\[0\]\.apiVersions: "\*" cannot be mixed with other API versions[\s\S]*rules\[0\]\.resources: "\*" cannot be mixed with other resources/,
    );
    expect(
      () =>
        new InitializerConfiguration(chart, 'sub', {
          initializers: [{ name: 'a.example.com', rules: [{ ...PODS, resources: ['pods/status'] }] }],
        }),
    ).toThrow(/rules\[0\]\.resources\[0\]: "pods\/status" names a subresource, which initializer rules cannot/);
    expect(
      () =>
        new InitializerConfiguration(chart, 'empty', {
          initializers: [{ name: 'a.example.com', rules: [{ apiGroups: [], apiVersions: ['v1'], resources: ['pods'] }] }],
        }),
    ).toThrow(/rules\[0\]\.apiGroups: must list at least one of the API groups \(or "\*"\)/);
  });

  test('pending order: configurations by name, initializers in declared order (seed 000)', () => {
    const chart = chart113();
    new InitializerConfiguration(chart, 'second', {
      name: 'example-config-2',
      initializers: [
        { name: 'podimage-2.example.com', rules: [PODS] },
        { name: 'podimage.example.com', rules: [PODS] },
      ],
    });
    new InitializerConfiguration(chart, 'first', {
      name: 'example-config',
      initializers: [{ name: 'podimage.example.com', rules: [PODS] }],
    });
    new InitializerConfiguration(chart, 'lxcfs', {
      name: 'lxcfs.initializer',
      initializers: [
        { name: 'lxcfs.initializer.kubernetes.io', rules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['deployments'] }] },
      ],
    });
    expect(InitializerConfiguration.pendingFor(chart, '', 'v1', 'pods')).toEqual([
      'podimage.example.com',
      'podimage-2.example.com',
      'podimage.example.com',
    ]);
    expect(InitializerConfiguration.pendingFor(chart, 'apps', 'v1', 'deployments')).toEqual(['lxcfs.initializer.kubernetes.io']);
  });
});

describe('MutatingWebhook and ValidatingWebhook', () => {
  function injector(namespace = 'injection') {
    const chart = new Chart(Testing.app(), 'test', { namespace });
    const server = new WebService(chart, 'injector', {
      containers: [{ name: 'server', image: 'injector:1.0', ports: [{ name: 'https', number: 8443 }], security: { runAsUser: 1000 } }],
      serviceOptions: { ports: [{ name: 'https', port: 443, targetPort: 'https' }] },
    });
    return { chart, server };
  }
  const hook = (extra: Partial<MutatingWebhookSpec> & Pick<MutatingWebhookSpec, 'clientConfig'>): MutatingWebhookSpec => ({
    name: 'inject.sidecars.example.com',
    rules: [{ operations: [WebhookOperation.CREATE], ...PODS }],
    ...extra,
  });

  test('defaults: Fail, sideEffects None, AdmissionReview v1, skipping kube-system and its own namespace', () => {
    const { chart, server } = injector();
    new MutatingWebhook(chart, 'webhook', { webhooks: [hook({ clientConfig: WebhookClientConfig.service(server, { path: '/inject' }) })] });
    const m = Testing.synth(chart);
    const config = byKind(m, 'MutatingWebhookConfiguration')[0];
    expect(ownMetadata(config.metadata)).toEqual({ name: 'webhook' });
    expect(config.webhooks).toEqual([
      {
        name: 'inject.sidecars.example.com',
        clientConfig: { service: { name: 'injector', namespace: 'injection', path: '/inject' } },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        failurePolicy: 'Fail',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        namespaceSelector: {
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['injection', 'kube-system'] }],
        },
      },
    ]);
    expectValidManifests(m);
  });

  test('every field can be set; CA bundles from PEM, base64 or cert-manager', () => {
    const { chart, server } = injector();
    new MutatingWebhook(chart, 'webhook', {
      ca: CaBundle.fromPem(CA_PEM),
      webhooks: [
        hook({
          clientConfig: WebhookClientConfig.service(server.service!, { port: 443 }),
          rules: [
            {
              operations: [WebhookOperation.CREATE, WebhookOperation.UPDATE],
              apiGroups: ['apps'],
              apiVersions: ['v1'],
              resources: ['deployments', 'deployments/scale'],
              scope: WebhookScope.NAMESPACED,
            },
          ],
          failurePolicy: FailurePolicy.IGNORE,
          matchPolicy: MatchPolicy.EXACT,
          sideEffects: SideEffects.NONE_ON_DRY_RUN,
          admissionReviewVersions: ['v1', 'v1beta1'],
          timeout: Duration.seconds(5),
          namespaceSelector: { matchLabels: { injection: 'enabled' } },
          objectSelector: { matchExpressions: [{ key: 'sidecar', operator: LabelSelectorOperator.NOT_IN, values: ['off'] }] },
          reinvocationPolicy: ReinvocationPolicy.IF_NEEDED,
        }),
      ],
    });
    new ValidatingWebhook(chart, 'policy', {
      ca: CaBundle.fromCertManager('injection/injector'),
      webhooks: [
        {
          name: 'policy.example.com.test',
          clientConfig: WebhookClientConfig.url('https://policy.example.com/validate'),
          rules: [{ operations: [WebhookOperation.ALL], ...PODS }],
        },
      ],
    });
    const m = Testing.synth(chart);
    const [mutating] = byKind(m, 'MutatingWebhookConfiguration');
    expect(mutating.webhooks[0]).toEqual({
      name: 'inject.sidecars.example.com',
      clientConfig: { service: { name: 'injector', namespace: 'injection' }, caBundle: Buffer.from(CA_PEM).toString('base64') },
      rules: [
        {
          operations: ['CREATE', 'UPDATE'],
          apiGroups: ['apps'],
          apiVersions: ['v1'],
          resources: ['deployments', 'deployments/scale'],
          scope: 'Namespaced',
        },
      ],
      failurePolicy: 'Ignore',
      matchPolicy: 'Exact',
      sideEffects: 'NoneOnDryRun',
      admissionReviewVersions: ['v1', 'v1beta1'],
      timeoutSeconds: 5,
      namespaceSelector: { matchLabels: { injection: 'enabled' } },
      objectSelector: { matchExpressions: [{ key: 'sidecar', operator: 'NotIn', values: ['off'] }] },
      reinvocationPolicy: 'IfNeeded',
    });
    const [validating] = byKind(m, 'ValidatingWebhookConfiguration');
    expect(ownMetadata(validating.metadata)).toEqual({
      name: 'policy',
      annotations: { 'cert-manager.io/inject-ca-from': 'injection/injector' },
    });
    expect(validating.webhooks[0].clientConfig).toEqual({ url: 'https://policy.example.com/validate' });
    expect(validating.webhooks[0].namespaceSelector).toEqual({
      matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }],
    });
    expectValidManifests(m);
  });

  test('field checks at construction', () => {
    const { chart, server } = injector();
    const client = WebhookClientConfig.service(server);
    const bad = (id: string, spec: Partial<MutatingWebhookSpec>) => () =>
      new MutatingWebhook(chart, id, { webhooks: [{ ...hook({ clientConfig: client }), ...spec }] });
    expect(bad('name', { name: 'inject.example' })).toThrow(
      /\[test\/name\] MutatingWebhookConfiguration\/name webhooks\[0\]\.name: "inject\.example" is not fully qualified/,
    );
    expect(bad('timeout', { timeout: Duration.seconds(31) })).toThrow(
      /webhooks\[0\]\.timeout: must be a whole number of seconds from 1 to 30 \(got 31\)/,
    );
    expect(bad('zero', { timeout: Duration.millis(500) })).toThrow(
      /webhooks\[0\]\.timeout: must be a whole number of seconds from 1 to 30 \(got 0\.5\)/,
    );
    expect(bad('versions', { admissionReviewVersions: ['v2', 'v1', 'v1'] })).toThrow(
      /admissionReviewVersions\[0\]: "v2" is not an AdmissionReview version[\s\S]*admissionReviewVersions\[2\]: "v1" is listed twice/,
    );
    expect(bad('ops', { rules: [{ operations: [WebhookOperation.ALL, WebhookOperation.CREATE], ...PODS }] })).toThrow(
      /webhooks\[0\]\.rules\[0\]\.operations: "\*" cannot be mixed with other operations/,
    );
    expect(
      bad('res', {
        rules: [{ operations: [WebhookOperation.CREATE], apiGroups: [''], apiVersions: ['v1'], resources: ['pods/*', 'pods/status'] }],
      }),
    ).toThrow(/rules\[0\]\.resources\[1\]: "pods\/\*" is present, so "pods\/status" must not be/);
    expect(bad('norules', { rules: [] })).toThrow(/webhooks\[0\]\.rules: must list at least one rule/);
    expect(bad('url', { clientConfig: WebhookClientConfig.url('http://example.com/hook?x=1') })).toThrow(
      /clientConfig\.url: "http:\/\/example\.com\/hook\?x=1" must use https/,
    );
    expect(bad('query', { clientConfig: WebhookClientConfig.url('https://example.com/hook?x=1') })).toThrow(/must not contain a query/);
    expect(bad('path', { clientConfig: WebhookClientConfig.serviceByName('x', 'y', { path: 'inject' }) })).toThrow(
      /clientConfig\.path: "inject" must start with "\/"/,
    );
    const cm = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    expect(bad('kind', { clientConfig: WebhookClientConfig.service(cm) })).toThrow(/clientConfig\.service: ConfigMap\/cm is not a Service/);
    expect(() => new MutatingWebhook(chart, 'dup', { webhooks: [hook({ clientConfig: client }), hook({ clientConfig: client })] })).toThrow(
      /webhooks\[1\]\.name: webhook name "inject\.sidecars\.example\.com" is already used in this configuration/,
    );
    expect(
      () => new MutatingWebhook(chart, 'ca', { ca: CaBundle.fromBase64('not base64!'), webhooks: [hook({ clientConfig: client })] }),
    ).toThrow(/\[test\/ca\] MutatingWebhookConfiguration\/ca ca: the CA bundle is not valid base64/);
    expect(() => new MutatingWebhook(chart, 'pem', { ca: CaBundle.fromPem('hello'), webhooks: [hook({ clientConfig: client })] })).toThrow(
      /ca: the CA bundle is not a PEM certificate/,
    );
    expect(
      () =>
        new ValidatingWebhook(chart, 'cert', { ca: CaBundle.fromCertManager('just-a-name'), webhooks: [hook({ clientConfig: client })] }),
    ).toThrow(/ca: the CA bundle "just-a-name" must be <namespace>\/<certificate name>/);
  });

  test('synth checks: the in-app Service has the port; at least one webhook; cluster version', () => {
    const { chart, server } = injector();
    new MutatingWebhook(chart, 'port', { webhooks: [hook({ clientConfig: WebhookClientConfig.service(server, { port: 8443 }) })] });
    expect(() => Testing.synth(chart)).toThrow(
      /\[test\/port\] MutatingWebhookConfiguration\/port webhooks\[0\]\.clientConfig\.port: Service injector has no port 8443 \(it has 443\)/,
    );

    const empty = injector();
    new ValidatingWebhook(empty.chart, 'empty');
    expect(() => Testing.synth(empty.chart)).toThrow(
      /\[test\/empty\] ValidatingWebhookConfiguration\/empty webhooks: must list at least one webhook/,
    );

    const old = injector();
    ClusterVersion.declare(old.chart, '1.13');
    new MutatingWebhook(old.chart, 'old', { webhooks: [hook({ clientConfig: WebhookClientConfig.service(old.server) })] });
    expect(() => Testing.synth(old.chart)).toThrow(
      /apiVersion: admissionregistration\.k8s\.io\/v1 needs Kubernetes 1\.16 or later; the target cluster is 1\.13[\s\S]*webhooks\[0\]\.namespaceSelector: the default selector uses the label kubernetes\.io\/metadata\.name, which Kubernetes sets from 1\.21/,
    );
  });
});
