// Seed 001: replicated MySQL. Pod 0 is the primary, the others replicate from it. init-mysql picks
// the config by ordinal; clone-mysql copies data from the previous pod with xtrabackup before a
// replica first starts; the xtrabackup sidecar serves those clones. Writes go to mysql-0.mysql,
// reads to the mysql-read Service.
import { App, Chart, Duration, Size } from 'cdk8s';
import { ConfigMap, Probe } from 'cdk8s-plus-27';
import { DisruptionBudget, PodSecurity, PodVolume, StatefulService } from '../lib';

const INIT_MYSQL = `set -ex
# server-id from the pod ordinal (0 is reserved, so add 100)
[[ $(hostname) =~ -([0-9]+)$ ]] || exit 1
ordinal=\${BASH_REMATCH[1]}
echo [mysqld] > /mnt/conf.d/server-id.cnf
echo server-id=$((100 + $ordinal)) >> /mnt/conf.d/server-id.cnf
# ordinal 0 is the primary
if [[ $ordinal -eq 0 ]]; then
  cp /mnt/config-map/primary.cnf /mnt/conf.d/
else
  cp /mnt/config-map/replica.cnf /mnt/conf.d/
fi
`;

const CLONE_MYSQL = `set -ex
# clone only once: skip when data exists
[[ -d /var/lib/mysql/mysql ]] && exit 0
# the primary (ordinal 0) has nothing to clone
[[ $(hostname) =~ -([0-9]+)$ ]] || exit 1
ordinal=\${BASH_REMATCH[1]}
[[ $ordinal -eq 0 ]] && exit 0
# clone from the previous pod
ncat --recv-only mysql-$(($ordinal-1)).mysql 3307 | xbstream -x -C /var/lib/mysql
xtrabackup --prepare --target-dir=/var/lib/mysql
`;

const XTRABACKUP = `set -ex
cd /var/lib/mysql
# serve a backup to the next replica that asks
exec ncat --listen --keep-open --send-only --max-conns=1 3307 -c \\
  "xtrabackup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root"
`;

export function addMysql(app: App): StatefulService {
  const chart = new Chart(app, 'mysql');
  const config = new ConfigMap(chart, 'config', {
    metadata: { name: 'mysql', labels: { app: 'mysql' } },
    data: {
      'primary.cnf': '[mysqld]\nlog-bin\n',
      'replica.cnf': '[mysqld]\nsuper-read-only\n',
    },
  });
  const mysqlEnv = { MYSQL_ALLOW_EMPTY_PASSWORD: '1' };
  return new StatefulService(chart, 'mysql', {
    replicas: 3,
    selectorLabels: { app: 'mysql' },
    // the selector does not use app.kubernetes.io/name, so the name label is given; component too
    appLabels: { name: 'mysql', component: 'database' },
    podSecurity: PodSecurity.baseline('the mysql and xtrabackup images run as root'),
    readServiceOptions: {},
    budget: DisruptionBudget.quorum(),
    volumes: [PodVolume.emptyDir('conf'), PodVolume.configMap('config-map', config)],
    initContainers: [
      {
        name: 'init-mysql',
        image: 'mysql:5.7',
        command: ['bash', '-c', INIT_MYSQL],
        mounts: [
          { volume: 'conf', path: '/mnt/conf.d' },
          { volume: 'config-map', path: '/mnt/config-map' },
        ],
      },
      {
        name: 'clone-mysql',
        image: 'gcr.io/google-samples/xtrabackup:1.0',
        command: ['bash', '-c', CLONE_MYSQL],
        mounts: [
          { volume: 'data', path: '/var/lib/mysql', subPath: 'mysql' },
          { volume: 'conf', path: '/etc/mysql/conf.d' },
        ],
      },
    ],
    containers: [
      {
        name: 'mysql',
        image: 'mysql:5.7',
        env: mysqlEnv,
        ports: [{ name: 'mysql', number: 3306 }],
        // the root filesystem is read-only: mysqld writes its socket and pid file here (and /tmp, a default)
        writablePaths: ['/var/run/mysqld'],
        mounts: [
          { volume: 'data', path: '/var/lib/mysql', subPath: 'mysql' },
          { volume: 'conf', path: '/etc/mysql/conf.d' },
        ],
        resources: { cpu: { request: '500m' }, memory: { request: Size.gibibytes(1) } },
        liveness: Probe.fromCommand(['mysqladmin', 'ping'], {
          initialDelaySeconds: Duration.seconds(30),
          periodSeconds: Duration.seconds(10),
          timeoutSeconds: Duration.seconds(5),
        }),
        readiness: Probe.fromCommand(['mysql', '-h', '127.0.0.1', '-e', 'SELECT 1'], {
          initialDelaySeconds: Duration.seconds(5),
          periodSeconds: Duration.seconds(2),
          timeoutSeconds: Duration.seconds(1),
        }),
      },
      {
        name: 'xtrabackup',
        image: 'gcr.io/google-samples/xtrabackup:1.0',
        command: ['bash', '-c', XTRABACKUP],
        ports: [{ name: 'xtrabackup', number: 3307 }],
        mounts: [
          { volume: 'data', path: '/var/lib/mysql', subPath: 'mysql' },
          { volume: 'conf', path: '/etc/mysql/conf.d' },
        ],
        resources: { cpu: { request: '100m' }, memory: { request: Size.mebibytes(100) } },
      },
    ],
    ports: [{ name: 'mysql', port: 3306 }],
    claims: [{ name: 'data', size: Size.gibibytes(10) }],
  });
}
