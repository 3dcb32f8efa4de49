// The Kubernetes documentation's ZooKeeper tutorial (tutorials/stateful-application/zookeeper): a
// three-member ensemble that must never put two members on one node (required pod anti-affinity),
// runs as user 1000 with fsGroup 1000 (pod security context), and keeps a quorum through drains.
import { App, Chart, Size } from 'cdk8s';
import { Probe } from 'cdk8s-plus-27';
import { DisruptionBudget, OptOut, ReplicaSpread, StatefulService } from '../lib';

export function addZookeeper(app: App): StatefulService {
  const chart = new Chart(app, 'zookeeper', { namespace: 'zk' });
  return new StatefulService(chart, 'zk', {
    replicas: 3,
    spreadReplicas: ReplicaSpread.REQUIRED, // never two members on one node: losing a node loses one member
    securityContext: { runAsUser: 1000, fsGroup: 1000 },
    budget: DisruptionBudget.quorum(), // minAvailable 2 of 3
    containers: [
      {
        name: 'kubernetes-zookeeper',
        image: 'registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10',
        ports: [
          { name: 'client', number: 2181 },
          { name: 'server', number: 2888 },
          { name: 'leader-election', number: 3888 },
        ],
        command: ['sh', '-c', 'start-zookeeper --servers=3 --data_dir=/var/lib/zookeeper/data --client_port=2181'],
        readiness: Probe.fromCommand(['sh', '-c', 'zookeeper-ready 2181']),
        resources: { cpu: { request: '500m' }, memory: { request: Size.gibibytes(1) } },
        // written on the StatefulSet as the annotation opt-out.cdk8s-patterns.io/read-only-root-filesystem
        security: {
          readOnlyRootFilesystem: OptOut.because('start-zookeeper writes zoo.cfg and log4j.properties under /opt/zookeeper/conf'),
        },
      },
    ],
    claims: [{ name: 'datadir', size: Size.gibibytes(10), mountPath: '/var/lib/zookeeper' }],
  });
}
