// Seed 001 §24–25: the Network custom resource (networks.samplecrd.k8s.io), now apiextensions.k8s.io/v1
// with a structural schema, and the custom controller that watches Networks and pods in every
// namespace. Its ServiceAccount may get/list/watch networks and pods and nothing more; its pods are
// the only ones with a token mounted.
import { App, Chart } from 'cdk8s';
import { ControllerAccess, CrdScope, CustomResourceDefinition, JsonSchema, PrinterColumnType, RbacResource, WebService } from '../lib';

export function addNetworkCrd(app: App): ControllerAccess {
  const chart = new Chart(app, 'network-crd', { namespace: 'samplecrd-system' });
  const networks = new CustomResourceDefinition(chart, 'networks', {
    group: 'samplecrd.k8s.io',
    names: { kind: 'Network', shortNames: ['net'] },
    scope: CrdScope.NAMESPACED,
    versions: [
      {
        name: 'v1',
        schema: JsonSchema.object(
          {
            spec: JsonSchema.object(
              {
                cidr: JsonSchema.string({ description: 'Address range of the network, e.g. 192.168.0.0/16' }),
                gateway: JsonSchema.string({ description: 'Gateway address, e.g. 192.168.0.1' }),
              },
              { required: ['cidr', 'gateway'] },
            ),
          },
          { required: ['spec'] },
        ),
        printerColumns: [
          { name: 'CIDR', type: PrinterColumnType.STRING, jsonPath: '.spec.cidr' },
          { name: 'Gateway', type: PrinterColumnType.STRING, jsonPath: '.spec.gateway' },
        ],
      },
    ],
  });
  const controller = new WebService(chart, 'network-controller', {
    replicas: 1,
    exposeService: false,
    containers: [{ name: 'controller', image: 'registry.example.com/samplecrd/network-controller:1.0.0' }],
  });
  return new ControllerAccess(chart, 'network-controller-access', {
    controller,
    watches: [networks],
    reads: [RbacResource.PODS],
    clusterWide: true,
  });
}
