import { App, Chart, Size, Testing } from 'cdk8s';
import {
  ClusterVersion,
  ContainerSpec,
  OptOut,
  PatternDefaults,
  PatternError,
  PodSecurity,
  PodVolume,
  SidecarInitializer,
  SidecarTemplate,
  PodInitializers,
  StatefulService,
  WebService,
  WebServiceProps,
} from '../../lib';
import { byKind, expectValidManifests } from '../util';

const APP: ContainerSpec = { name: 'web', image: 'nginxinc/nginx-unprivileged:1.25', ports: [{ name: 'http', number: 8080 }] };
const OPT_OUT = 'opt-out.cdk8s-patterns.io/read-only-root-filesystem';
const FS_GROUP_OPT_OUT = 'opt-out.cdk8s-patterns.io/fs-group';

function web(props: Partial<WebServiceProps> = {}, setup: (app: App) => void = () => {}) {
  const app = Testing.app();
  setup(app);
  const chart = new Chart(app, 'test');
  new WebService(chart, 'web', { containers: [APP], ...props });
  const m = Testing.synth(chart);
  const deployment = byKind(m, 'Deployment')[0];
  return { m, deployment, spec: deployment.spec.template.spec };
}

describe('read-only root filesystem', () => {
  test('every container and init container is read-only, with an emptyDir at /tmp', () => {
    const { m, spec } = web({ initContainers: [{ name: 'setup', image: 'busybox:1.36', security: { runAsUser: 1000 } }] });
    for (const c of [...spec.initContainers, ...spec.containers]) {
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.volumeMounts).toEqual([{ name: `rw-${c.name}-tmp`, mountPath: '/tmp' }]);
    }
    expect(spec.volumes).toEqual([
      { name: 'rw-setup-tmp', emptyDir: {} },
      { name: 'rw-web-tmp', emptyDir: {} },
    ]);
    expectValidManifests(m);
  });

  test('writablePaths become emptyDirs with deterministic names; a long path gets a hash', () => {
    const long = `/var/lib/${'a'.repeat(70)}`;
    const { spec } = web({ containers: [{ ...APP, writablePaths: ['/var/cache/nginx', '/var/run/', long] }] });
    const names = spec.containers[0].volumeMounts.map((v: any) => [v.name, v.mountPath]);
    expect(names.slice(0, 3)).toEqual([
      ['rw-web-tmp', '/tmp'],
      ['rw-web-var-cache-nginx', '/var/cache/nginx'],
      ['rw-web-var-run', '/var/run'],
    ]);
    expect(names[3][0]).toMatch(/^rw-web-var-lib-a+-[0-9a-f]{8}$/);
    expect(names[3][0].length).toBeLessThanOrEqual(63);
    expect(names[3][1]).toBe(long);
    expect(web({ containers: [{ ...APP, writablePaths: ['/var/cache/nginx', '/var/run/', long] }] }).spec).toEqual(spec);
  });

  test("a path the container already mounts a volume at (or below a writable mount) gets no emptyDir: the user's mount wins", () => {
    const { spec } = web({
      volumes: [PodVolume.emptyDir('scratch', { sizeLimit: Size.mebibytes(64) }), PodVolume.emptyDir('cache')],
      containers: [
        {
          ...APP,
          writablePaths: ['/var/cache/nginx/proxy'],
          mounts: [
            { volume: 'scratch', path: '/tmp' },
            { volume: 'cache', path: '/var/cache/nginx' },
          ],
        },
      ],
    });
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'scratch', mountPath: '/tmp' },
      { name: 'cache', mountPath: '/var/cache/nginx' },
    ]);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['scratch', 'cache']);
  });

  test('a generated name never takes a volume name of the pod', () => {
    const { spec } = web({ volumes: [PodVolume.emptyDir('rw-web-tmp', { medium: 'Memory' })] });
    const generated = spec.volumes[1].name;
    expect(generated).toMatch(/^rw-web-tmp-[0-9a-f]{8}$/);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: generated, mountPath: '/tmp' }]);
  });

  test('bad writable paths are errors naming the field', () => {
    const bad = (writablePaths: string[], message: RegExp) => {
      expect(() => web({ containers: [{ ...APP, writablePaths }] })).toThrow(PatternError);
      expect(() => web({ containers: [{ ...APP, writablePaths }] })).toThrow(message);
    };
    bad(['tmp'], /containers\[0\]\.writablePaths\[0\]: "tmp" is not an absolute path/);
    bad(['/var/../etc'], /containers\[0\]\.writablePaths\[0\]: "\/var\/\.\.\/etc" has a "\.\." segment/);
    bad(['/data', '/data/'], /containers\[0\]\.writablePaths\[1\]: "\/data\/" is listed twice/);
    bad(['/'], /containers\[0\]\.writablePaths\[0\]: "\/" would make the whole root filesystem writable/);
    expect(() => PatternDefaults.set(new App(), { writablePaths: ['relative'] })).toThrow(
      /writablePaths\[0\]: "relative" is not an absolute path/,
    );
  });

  test('PatternDefaults.writablePaths replaces /tmp for every container; [] gives none', () => {
    const cache = web({}, (app) => PatternDefaults.set(app, { writablePaths: ['/cache'] })).spec;
    expect(cache.containers[0].volumeMounts).toEqual([{ name: 'rw-web-cache', mountPath: '/cache' }]);
    const none = web({}, (app) => PatternDefaults.set(app, { writablePaths: [] })).spec;
    expect(none.containers[0].volumeMounts).toBeUndefined();
    expect(none.volumes).toBeUndefined();
    expect(none.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('a container opts out with a reason: writable, no default emptyDirs, the reason on the Deployment', () => {
    const { deployment, spec } = web({
      containers: [
        { ...APP, security: { readOnlyRootFilesystem: OptOut.because('the image rewrites its config at start') } },
        { name: 'sidecar', image: 'busybox:1.36', security: { runAsUser: 1000 } },
      ],
    });
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBeUndefined();
    expect(spec.containers[0].volumeMounts).toBeUndefined();
    expect(spec.containers[1].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(deployment.metadata.annotations[OPT_OUT]).toBe('web: the image rewrites its config at start');
    expect(deployment.spec.template.metadata.annotations?.[OPT_OUT]).toBeUndefined();
  });

  test('false without a reason, and an empty reason, are errors', () => {
    expect(() => web({ containers: [{ ...APP, security: { readOnlyRootFilesystem: false } }] })).toThrow(
      /containers\[0\]\.security\.readOnlyRootFilesystem: a writable root filesystem needs a reason/,
    );
    expect(() => web({ containers: [{ ...APP, security: { readOnlyRootFilesystem: OptOut.because(' ') } }] })).toThrow(
      /containers\[0\]\.security\.readOnlyRootFilesystem: an opt-out needs a reason on one line/,
    );
  });

  test('app-wide opt-out in PatternDefaults: every container writable, the reason on each workload; a container can still ask', () => {
    const { deployment, spec } = web(
      { containers: [APP, { name: 'strict', image: 'busybox:1.36', security: { runAsUser: 1000, readOnlyRootFilesystem: true } }] },
      (app) => PatternDefaults.set(app, { readOnlyRootFilesystem: OptOut.because('images not yet audited') }),
    );
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBeUndefined();
    expect(spec.containers[0].volumeMounts).toBeUndefined();
    expect(spec.containers[1].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(spec.containers[1].volumeMounts).toEqual([{ name: 'rw-strict-tmp', mountPath: '/tmp' }]);
    expect(deployment.metadata.annotations[OPT_OUT]).toBe('images not yet audited');
    expect(() => PatternDefaults.set(new App(), { readOnlyRootFilesystem: OptOut.because('') })).toThrow(/an opt-out needs a reason/);
  });

  test('containers added after construction get it too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const w = new WebService(chart, 'web', { containers: [APP] });
    w.pod.addContainer({
      name: 'late',
      image: 'busybox:1.36',
      security: { runAsUser: 1000, readOnlyRootFilesystem: OptOut.because('writes /var/log') },
    });
    const d = byKind(Testing.synth(chart), 'Deployment')[0];
    expect(d.spec.template.spec.containers[1].securityContext.readOnlyRootFilesystem).toBeUndefined();
    expect(d.metadata.annotations[OPT_OUT]).toBe('late: writes /var/log');
  });

  test('injected sidecars are read-only too, with their /tmp volume from the template', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new WebService(chart, 'web', { containers: [APP] });
    const template = new SidecarTemplate({
      containers: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.27.2', security: { runAsUser: 101 } }],
    });
    new PodInitializers(chart, 'inject', { initializers: [new SidecarInitializer({ name: 'proxy.sidecars.example.com', template })] });
    const spec = byKind(Testing.synth(chart), 'Deployment')[0].spec.template.spec;
    expect(spec.containers[1].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(spec.containers[1].volumeMounts).toEqual([{ name: 'rw-proxy-tmp', mountPath: '/tmp' }]);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['rw-web-tmp', 'rw-proxy-tmp']);
    expect(template.toYaml()).toContain('readOnlyRootFilesystem: true');
  });
});

describe('fsGroup for pods that mount claims', () => {
  const db = (props: Record<string, unknown> = {}, setup: (app: App) => void = () => {}) => {
    const app = Testing.app();
    setup(app);
    const chart = new Chart(app, 'test');
    new StatefulService(chart, 'db', {
      containers: [{ name: 'db', image: 'postgres:16', security: { runAsUser: 999 } }],
      claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/var/lib/postgresql/data' }],
      ...props,
    });
    const m = Testing.synth(chart);
    const sts = byKind(m, 'StatefulSet')[0];
    return { m, sts, sc: sts.spec.template.spec.securityContext };
  };

  test('a non-root StatefulService with claim templates gets fsGroup 1000 and OnRootMismatch', () => {
    const { m, sc } = db();
    expect(sc).toEqual({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
    });
    expectValidManifests(m);
  });

  test("fsGroup follows the pod's runAsGroup, else PatternDefaults.fsGroup", () => {
    expect(db({ securityContext: { runAsUser: 999, runAsGroup: 999 } }).sc).toEqual(expect.objectContaining({ fsGroup: 999 }));
    expect(db({}, (app) => PatternDefaults.set(app, { fsGroup: 2000 })).sc).toEqual(expect.objectContaining({ fsGroup: 2000 }));
    expect(() => PatternDefaults.set(new App(), { fsGroup: 0 })).toThrow(/fsGroup: 0 is not a group id from 1 to 2147483647/);
  });

  test('a user-given pod securityContext wins field by field', () => {
    const { sc } = db({ securityContext: { fsGroup: 70, fsGroupChangePolicy: 'Always' as any } });
    expect(sc).toEqual(expect.objectContaining({ fsGroup: 70, fsGroupChangePolicy: 'Always' }));
  });

  test('pods without claims get none; a claim volume counts as a claim', () => {
    expect(web().spec.securityContext.fsGroup).toBeUndefined();
    const withClaim = web({
      volumes: [PodVolume.persistentClaim('shared', 'shared-pvc')],
      containers: [{ ...APP, mounts: [{ volume: 'shared', path: '/shared' }] }],
    });
    expect(withClaim.spec.securityContext).toEqual(expect.objectContaining({ fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' }));
  });

  test('opt out per workload (securityContext.fsGroup) or app-wide, with the reason on the StatefulSet', () => {
    const own = db({ securityContext: { fsGroup: OptOut.because('the CSI driver sets ownership') } });
    expect(own.sc.fsGroup).toBeUndefined();
    expect(own.sc.fsGroupChangePolicy).toBeUndefined();
    expect(own.sts.metadata.annotations[FS_GROUP_OPT_OUT]).toBe('the CSI driver sets ownership');
    const app = db({}, (a) => PatternDefaults.set(a, { fsGroup: OptOut.because('OpenShift assigns fsGroup per namespace') }));
    expect(app.sc.fsGroup).toBeUndefined();
    expect(app.sts.metadata.annotations[FS_GROUP_OPT_OUT]).toBe('OpenShift assigns fsGroup per namespace');
    expect(() => db({ securityContext: { fsGroup: OptOut.because('') } })).toThrow(/securityContext\.fsGroup: an opt-out needs a reason/);
  });

  test('a chart for Kubernetes 1.13 gets fsGroup without fsGroupChangePolicy (a 1.20 field)', () => {
    const { m, sc } = db({}, (app) => ClusterVersion.declare(app, '1.13'));
    expect(sc.fsGroup).toBe(1000);
    expect(sc.fsGroupChangePolicy).toBeUndefined();
    expectValidManifests(m, '1.13');
  });

  test('a baseline pod that runs as root gets it too (the group only adds write access)', () => {
    const { sc } = db({ podSecurity: PodSecurity.baseline('postgres starts as root'), containers: [{ name: 'db', image: 'postgres:16' }] });
    expect(sc).toEqual(expect.objectContaining({ fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' }));
  });
});
