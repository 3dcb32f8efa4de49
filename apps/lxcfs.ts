// Seed 000: lxcfs shows each container its own CPU and memory in /proc (top, free, the JVM read
// them). The lxcfs DaemonSet runs the FUSE file system on every node under /var/lib/lxcfs and shares
// that mount with the node (Bidirectional propagation); where seed 000 used the lxcfs-initializer
// controller, the LxcfsInitializer mounts its /proc files into the labeled pods at synth time.
import { App, Chart } from 'cdk8s';
import { HostPathVolumeType, MountPropagation } from 'cdk8s-plus-27';
import { LxcfsInitializer, PodInitializers, PodSecurity, PodVolume, NodeAgent, WebService } from '../lib';

export function addLxcfs(app: App): Chart {
  const chart = new Chart(app, 'lxcfs');
  new NodeAgent(chart, 'lxcfs', {
    podSecurity: PodSecurity.privileged('lxcfs mounts a FUSE file system and shares it with the node'),
    // the image's start script enters the node's mount namespace (nsenter -t 1) to run lxcfs there
    hostPID: true,
    tolerate: { controlPlane: true },
    containers: [
      {
        name: 'lxcfs',
        image: 'registry.cn-hangzhou.aliyuncs.com/denverdino/lxcfs:3.1.2',
        security: { privileged: true },
        mounts: [{ volume: 'lxcfs', path: '/var/lib/lxcfs', readOnly: false, mountPropagation: MountPropagation.BIDIRECTIONAL }],
      },
    ],
    volumes: [PodVolume.hostPath('lxcfs', '/var/lib/lxcfs', { type: HostPathVolumeType.DIRECTORY_OR_CREATE })],
    hostPaths: [
      { name: 'cgroup', hostPath: '/sys/fs/cgroup' },
      // the start script installs the lxcfs binary and library on the node
      { name: 'usr-local', hostPath: '/usr/local', readOnly: false },
    ],
  });

  new PodInitializers(chart, 'lxcfs-initializers', {
    initializers: [new LxcfsInitializer({ selector: { matchLabels: { lxcfs: 'enabled' } } })],
  });

  new WebService(chart, 'web', {
    // the lxcfs files are hostPath volumes, which only the privileged profile allows
    podSecurity: PodSecurity.privileged('lxcfs /proc files are hostPath mounts (LxcfsInitializer)'),
    podLabels: { lxcfs: 'enabled' },
    containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ name: 'http', number: 80 }] }],
    // the nginx-web example's StatefulSet is also "web" in the default namespace, and a NetworkPolicy is
    // named after its workload: this one takes another name
    networkPolicy: { name: 'lxcfs-web' },
  });
  return chart;
}
