// Seeds 000 and 001 on the cluster they were written for: InitializerConfigurations
// (admissionregistration.k8s.io/v1alpha1, an alpha API removed in Kubernetes 1.14). The chart
// declares a 1.13 cluster, so it is written to dist/k8s-1.13/ and checked against 1.13's schema.
import { ApiObject, App, Chart } from 'cdk8s';
import { ClusterVersion, InitializerConfiguration } from '../lib';
import { envoySidecar } from './envoy-injector';

const PODS = { apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };

export function addInitializerConfigs113(app: App): Chart {
  const chart = new Chart(app, 'initializer-configs');
  ClusterVersion.declare(chart, '1.13');

  // seed 000: the lxcfs-initializer handles Deployments of any group and version
  new InitializerConfiguration(chart, 'lxcfs', {
    name: 'lxcfs.initializer',
    initializers: [
      { name: 'lxcfs.initializer.kubernetes.io', rules: [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['deployments'] }] },
    ],
  });

  // seed 000's experiment: the API server orders configurations by name, so a new pod waits for
  // podimage, podimage-2, podimage (see InitializerConfiguration.pendingFor)
  new InitializerConfiguration(chart, 'example-config', {
    name: 'example-config',
    initializers: [{ name: 'podimage.example.com', rules: [PODS] }],
  });
  new InitializerConfiguration(chart, 'example-config-2', {
    name: 'example-config-2',
    initializers: [
      { name: 'podimage-2.example.com', rules: [PODS] },
      { name: 'podimage.example.com', rules: [PODS] },
    ],
  });

  // seed 001: the Envoy template the envoy initializer reads, and its configuration
  // (the seed's "kubernates" and "InitializerConfigration" typos corrected)
  new ApiObject(chart, 'envoy-initializer', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'envoy-initializer' },
    data: { config: envoySidecar().toYaml() },
  });
  new InitializerConfiguration(chart, 'envoy-config', {
    name: 'envoy-config',
    initializers: [{ name: 'envoy.initializer.kubernetes.io', rules: [PODS] }],
  });
  return chart;
}
