// Seed 001: Istio-style Envoy sidecar injection. The Envoy container is kept as a template in a
// ConfigMap; an injector (a Deployment behind a Service, allowed to read only that ConfigMap) adds
// it to every new pod labeled envoy-injection: enabled, called by the API server through a
// MutatingWebhookConfiguration — the successor of the seed's InitializerConfiguration.
import { App, Chart, Size } from 'cdk8s';
import { CaBundle, SidecarInjector, SidecarTemplate, PodVolume } from '../lib';

/** The seed's Envoy sidecar, as a template (also used by the 1.13 InitializerConfiguration example). */
export function envoySidecar(): SidecarTemplate {
  return new SidecarTemplate({
    containers: [
      {
        name: 'envoy',
        // the seed's lyft/envoy image is now published as envoyproxy/envoy
        image: 'envoyproxy/envoy:v1.27.2',
        command: ['/usr/local/bin/envoy'],
        args: ['--concurrency', '4', '--config-path', '/etc/envoy/envoy.yaml', '--mode', 'serve'],
        // the seed listened on 80; a non-root sidecar cannot bind ports below 1024, so Istio's 15001
        ports: [{ name: 'envoy', number: 15001 }],
        resources: {
          cpu: { request: '100m', limit: '1000m' },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(512) },
        },
        mounts: [{ volume: 'envoy-conf', path: '/etc/envoy' }],
        // the image's envoy user, so the sidecar runs in restricted pods
        security: { runAsUser: 101 },
      },
    ],
    volumes: [PodVolume.configMap('envoy-conf', 'envoy')],
  });
}

export function addEnvoyInjector(app: App): SidecarInjector {
  const chart = new Chart(app, 'envoy-injector', { namespace: 'envoy-injector' });
  return new SidecarInjector(chart, 'envoy-injector', {
    template: envoySidecar(),
    // the seed's custom controller, now serving the webhook
    image: 'envoy-initializer:0.0.1',
    webhookName: 'envoy.sidecar-injector.example.com',
    objectSelector: { matchLabels: { 'envoy-injection': 'enabled' } },
    // cert-manager issues envoy-injector-tls and injects its CA into the webhook configuration
    ca: CaBundle.fromCertManager('envoy-injector/envoy-injector'),
  });
}
