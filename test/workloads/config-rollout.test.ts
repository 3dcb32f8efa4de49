// Rollouts on config change: the pod templates of Deployments, StatefulSets and DaemonSets carry the content
// hash of each ConfigMap and Secret of the app they use, whatever class rendered them.
import { createHash } from 'crypto';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  BatchJob,
  ChangeSeverity,
  ConfigRollout,
  NodeAgent,
  OptOut,
  PatternDefaults,
  PatternError,
  PatternsApp,
  PodSecurity,
  PodVolume,
  StatefulService,
  Validation,
  WebService,
  WebServiceProps,
} from '../../lib';
import { review } from '../review/helpers';
import { byKind, expectValidManifests, synthExample } from '../util';
import { addConfigRollout } from '../../apps/config-rollout';

const PREFIX = 'checksum.cdk8s-patterns.io/';
const IMAGE = 'nginxinc/nginx-unprivileged:1.25';
const web = (extra: Partial<WebServiceProps> = {}): WebServiceProps => ({
  containers: [{ name: 'web', image: IMAGE, ports: [{ name: 'http', number: 8080 }] }],
  ...extra,
});

/** The checksum annotations of a pod template (`{ 'configmap.x': hash }`). */
function checksums(template: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(template?.metadata?.annotations ?? {}))
    if (k.startsWith(PREFIX)) out[k.slice(PREFIX.length)] = v;
  return out;
}

const configMap = (scope: Construct, id: string, name: string, data: Record<string, string>) =>
  new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } as any);

/** An app with a WebService mounting ConfigMap `conf` (data given) and taking Secret `creds` as env. */
function shop(data: Record<string, string>, app: App = Testing.app()) {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  configMap(chart, 'conf', 'conf', data);
  new ApiObject(chart, 'creds', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'creds' },
    stringData: { password: 'hunter2' },
  } as any);
  new WebService(chart, 'web', {
    containers: [
      {
        name: 'web',
        image: IMAGE,
        ports: [{ name: 'http', number: 8080 }],
        envFrom: [{ secret: 'creds' }],
        mounts: [{ volume: 'conf', path: '/etc/shop', readOnly: true }],
      },
    ],
    volumes: [PodVolume.configMap('conf', 'conf')],
  });
  return chart;
}

describe('config rollout hashes', () => {
  test('a WebService using a ConfigMap and a Secret of the app carries one hash per object; the manifests stay valid', () => {
    const out = Testing.synth(shop({ 'app.properties': 'a=1' }));
    const [dep] = byKind(out, 'Deployment');
    expect(checksums(dep.spec.template)).toEqual({
      'configmap.conf': expect.stringMatching(/^[0-9a-f]{16}$/),
      'secret.creds': expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(Object.keys(dep.spec.template.metadata.annotations)).toEqual([...Object.keys(dep.spec.template.metadata.annotations)].sort());
    expectValidManifests(out);
  });

  test('changing a ConfigMap changes its own data and the hash of the Deployment using it, and nothing else', () => {
    const before = Testing.synth(shop({ 'app.properties': 'a=1' }));
    const after = Testing.synth(shop({ 'app.properties': 'a=2' }));
    const differing = before.filter((o, i) => JSON.stringify(o) !== JSON.stringify(after[i])).map((o) => o.kind);
    expect(differing.sort()).toEqual(['ConfigMap', 'Deployment']);
    const [db, da] = [byKind(before, 'Deployment')[0], byKind(after, 'Deployment')[0]];
    expect(checksums(da.spec.template)['configmap.conf']).not.toEqual(checksums(db.spec.template)['configmap.conf']);
    expect(checksums(da.spec.template)['secret.creds']).toEqual(checksums(db.spec.template)['secret.creds']);
    const strip = (d: any) => {
      const copy = JSON.parse(JSON.stringify(d));
      delete copy.spec.template.metadata.annotations[`${PREFIX}configmap.conf`];
      return copy;
    };
    expect(strip(da)).toEqual(strip(db));
  });

  test('deterministic: the same data in another key order gives the same hash, and every run the same output', () => {
    const a = Testing.synth(shop({ a: '1', b: '2', c: '3' }));
    const b = Testing.synth(shop({ c: '3', a: '1', b: '2' }));
    expect(b).toEqual(a);
    expect(checksums(byKind(a, 'Deployment')[0].spec.template)['configmap.conf']).toBe(
      createHash('sha256').update('{"data":{"a":"1","b":"2","c":"3"}}').digest('hex').slice(0, 16),
    );
  });

  test('a Secret is hashed whole (type and data, stringData merged base64-encoded as the API server does): no value can be read off', () => {
    const viaString = ConfigRollout.contentHash({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      stringData: { p: 'hunter2' },
    });
    const viaData = ConfigRollout.contentHash({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', labels: { x: 'y' } },
      type: 'Opaque',
      data: { p: Buffer.from('hunter2').toString('base64') },
    });
    expect(viaString).toBe(viaData);
    // stringData overwrites data; the type is part of what the pods see
    expect(ConfigRollout.contentHash({ kind: 'Secret', data: { p: 'eA==' }, stringData: { p: 'hunter2' } })).toBe(viaString);
    expect(ConfigRollout.contentHash({ kind: 'Secret', type: 'kubernetes.io/basic-auth', stringData: { p: 'hunter2' } })).not.toBe(
      viaString,
    );
    const single = createHash('sha256').update('hunter2').digest('hex');
    expect(single.includes(viaString)).toBe(false);
    // empty maps and missing ones are the same content
    expect(ConfigRollout.contentHash({ kind: 'ConfigMap', data: {} })).toBe(ConfigRollout.contentHash({ kind: 'ConfigMap' }));
  });

  test('cdk8s-plus Deployment + cdk8s-plus ConfigMap (volume and env)', () => {
    const chart = Testing.chart();
    const cm = new kplus.ConfigMap(chart, 'cm', { data: { level: 'debug' } });
    const dep = new kplus.Deployment(chart, 'plus', {
      containers: [{ image: IMAGE, envVariables: { LEVEL: kplus.EnvValue.fromConfigMap(cm, 'level') } }],
    });
    dep.addVolume(kplus.Volume.fromConfigMap(chart, 'vol', cm));
    const [d] = byKind(Testing.synth(chart), 'Deployment');
    // a plain App holding only cdk8s-plus objects has no pipeline; one construct of ours installs it
    new WebService(chart, 'web', web());
    const [withPipeline] = byKind(Testing.synth(chart), 'Deployment').filter((x) => x.metadata.name !== 'web');
    expect(checksums(d.spec.template)).toEqual({});
    expect(checksums(withPipeline.spec.template)).toEqual({ [`configmap.${cm.name}`]: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  test('L1 KubeDeployment + KubeSecret (secretKeyRef), in a PatternsApp', () => {
    const app = new PatternsApp({ outdir: 'unused', logger: { warn: () => {} } });
    const chart = new Chart(app, 'l1');
    new kplus.k8s.KubeSecret(chart, 's', { metadata: { name: 'token' }, stringData: { t: 'abc' } });
    new kplus.k8s.KubeDeployment(chart, 'd', {
      metadata: { name: 'l1' },
      spec: {
        selector: { matchLabels: { app: 'l1' } },
        template: {
          metadata: { labels: { app: 'l1' } },
          spec: {
            containers: [{ name: 'c', image: IMAGE, env: [{ name: 'T', valueFrom: { secretKeyRef: { name: 'token', key: 't' } } }] }],
          },
        },
      },
    });
    const yaml = app.synthYaml();
    expect(yaml).toContain(`${PREFIX}secret.token: "${ConfigRollout.contentHash({ kind: 'Secret', stringData: { t: 'abc' } })}"`);
  });

  test('envFrom, projected sources and init containers are followed; Jobs, CronJobs and Pods get no hash', () => {
    const chart = Testing.chart();
    for (const n of ['env-from', 'projected', 'init']) configMap(chart, n, n, { k: n });
    new ApiObject(chart, 'psecret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'projected-secret' },
      data: { k: 'dg==' },
    } as any);
    const spec = {
      initContainers: [{ name: 'init', image: IMAGE, env: [{ name: 'K', valueFrom: { configMapKeyRef: { name: 'init', key: 'k' } } }] }],
      containers: [{ name: 'c', image: IMAGE, envFrom: [{ configMapRef: { name: 'env-from' } }] }],
      volumes: [
        {
          name: 'p',
          projected: {
            sources: [{ configMap: { name: 'projected' } }, { secret: { name: 'projected-secret' } }, { downwardAPI: { items: [] } }],
          },
        },
      ],
    };
    const template = { metadata: { labels: { app: 'x' } }, spec };
    const sel = { selector: { matchLabels: { app: 'x' } } };
    new ApiObject(chart, 'ds', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { ...sel, template } } as any);
    new ApiObject(chart, 'sts', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'sts' },
      spec: { ...sel, serviceName: 'x', template },
    } as any);
    new ApiObject(chart, 'job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'job' },
      spec: { template: { spec: { ...spec, restartPolicy: 'Never' } } },
    } as any);
    new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pod' }, spec } as any);
    new WebService(chart, 'web', web());
    Validation.external(chart, { services: ['x'] });
    const out = Testing.synth(chart);
    const expected = ['configmap.env-from', 'configmap.init', 'configmap.projected', 'secret.projected-secret'];
    expect(Object.keys(checksums(byKind(out, 'DaemonSet')[0].spec.template))).toEqual(expected);
    expect(Object.keys(checksums(byKind(out, 'StatefulSet')[0].spec.template))).toEqual(expected);
    // a Job's template is immutable (a new hash would make the update fail); a CronJob's runs and a Pod read the config when they start
    expect(checksums(byKind(out, 'Job')[0].spec.template)).toEqual({});
    expect(checksums(byKind(out, 'Pod')[0])).toEqual({});
  });

  test('references to objects outside the app, in another namespace, or optional and absent get no hash', () => {
    const app = Testing.app();
    const other = new Chart(app, 'other', { namespace: 'other' });
    configMap(other, 'conf', 'conf', { a: '1' });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    configMap(chart, 'here', 'here', { a: '1' });
    Validation.external(chart, { configMaps: ['conf', 'outside'] });
    new WebService(chart, 'web', {
      ...web(),
      volumes: [
        PodVolume.configMap('a', 'conf'), // exists, but in namespace other
        PodVolume.configMap('b', 'outside'),
        PodVolume.secret('c', 'maybe', { optional: true }),
        PodVolume.configMap('d', 'here', { optional: true }), // optional and present: followed
      ],
    });
    const [dep] = byKind(Testing.synth(chart), 'Deployment');
    expect(Object.keys(checksums(dep.spec.template))).toEqual(['configmap.here']);
  });

  test('StatefulService and NodeAgent pod templates carry hashes too; a BatchJob does not', () => {
    const chart = Testing.chart();
    configMap(chart, 'conf', 'conf', { a: '1' });
    const volumes = [PodVolume.configMap('conf', 'conf')];
    const containers = [{ name: 'c', image: IMAGE, ports: [{ name: 'tcp', number: 9000 }] }];
    new StatefulService(chart, 'db', { containers, volumes });
    new NodeAgent(chart, 'agent', { containers, volumes, podSecurity: PodSecurity.restricted() });
    new BatchJob(chart, 'job', { containers: [{ name: 'c', image: IMAGE }], volumes });
    const out = Testing.synth(chart);
    expect(checksums(byKind(out, 'StatefulSet')[0].spec.template)).toEqual({ 'configmap.conf': expect.any(String) });
    expect(checksums(byKind(out, 'DaemonSet')[0].spec.template)).toEqual({ 'configmap.conf': expect.any(String) });
    expect(checksums(byKind(out, 'Job')[0].spec.template)).toEqual({});
  });

  test('a name too long for an annotation key is cut and made unique; the manifests stay valid', () => {
    const name = `${'very-long-config-name-'.repeat(5)}x`;
    const key = ConfigRollout.annotationKey('ConfigMap', name);
    expect(key.length - PREFIX.length).toBeLessThanOrEqual(63);
    expect(key).toMatch(/^checksum\.cdk8s-patterns\.io\/configmap\.very-long-config-name-.*-[0-9a-f]{8}$/);
    expect(ConfigRollout.annotationKey('ConfigMap', `${name}y`)).not.toBe(key);
    const chart = Testing.chart();
    configMap(chart, 'long', name, { a: '1' });
    new WebService(chart, 'web', { ...web(), volumes: [PodVolume.configMap('conf', name)] });
    const out = Testing.synth(chart);
    expect(byKind(out, 'Deployment')[0].spec.template.metadata.annotations[key]).toMatch(/^[0-9a-f]{16}$/);
    expectValidManifests(out);
  });
});

describe('config rollout opt-outs', () => {
  const OPT = ConfigRollout.OPT_OUT_ANNOTATION;

  test('per workload: configRollout: OptOut.because(...) writes the reason instead of the hashes', () => {
    const chart = Testing.chart();
    configMap(chart, 'conf', 'conf', { a: '1' });
    new WebService(chart, 'web', {
      ...web(),
      volumes: [PodVolume.configMap('conf', 'conf')],
      configRollout: OptOut.because('reloads its config itself'),
    });
    const [dep] = byKind(Testing.synth(chart), 'Deployment');
    expect(checksums(dep.spec.template)).toEqual({});
    expect(dep.metadata.annotations[OPT]).toBe('reloads its config itself'); // on the object: switching it rolls nothing
    expect(dep.spec.template.metadata.annotations?.[OPT]).toBeUndefined();
  });

  test('per workload: the reason must be one line', () => {
    const chart = Testing.chart();
    expect(() => new WebService(chart, 'web', { ...web(), configRollout: OptOut.because(' ') })).toThrow(PatternError);
    expect(() => new WebService(chart, 'web2', { ...web(), configRollout: OptOut.because(' ') })).toThrow(
      /configRollout.*reason on one line/,
    );
  });

  test('app-wide: PatternDefaults.configRollouts writes the reason on the objects it applies to, not on their pod templates', () => {
    const app = Testing.app();
    PatternDefaults.set(app, { configRollouts: OptOut.because('rollouts are triggered by the deploy pipeline') });
    const chart = shop({ a: '1' }, app);
    new WebService(chart, 'plain', web());
    new BatchJob(chart, 'job', { containers: [{ name: 'c', image: IMAGE }] });
    const plusDep = new kplus.Deployment(chart, 'plus', {
      containers: [{ image: IMAGE, envFrom: [kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'c', 'conf'))] }],
    });
    const plusIdle = new kplus.Deployment(chart, 'idle', { containers: [{ image: IMAGE }] });
    const out = Testing.synth(chart);
    const find = (kind: string, name: string) => byKind(out, kind).find((d) => d.metadata.name === name);
    const REASON = 'rollouts are triggered by the deploy pipeline';
    for (const d of [find('Deployment', 'web'), find('Deployment', 'plain'), find('Deployment', plusDep.name)]) {
      expect(checksums(d.spec.template)).toEqual({});
      expect(d.metadata.annotations[OPT]).toBe(REASON);
      expect(d.spec.template.metadata.annotations?.[OPT]).toBeUndefined();
    }
    // a Job never gets hashes; a plus Deployment that uses no config of the app had nothing to opt out of
    expect(find('Job', 'job').metadata.annotations?.[OPT]).toBeUndefined();
    expect(find('Deployment', plusIdle.name).metadata.annotations?.[OPT]).toBeUndefined();
  });

  test('app-wide: an empty reason is an error where it is set', () => {
    const app = Testing.app();
    expect(() => PatternDefaults.set(app, { configRollouts: OptOut.because('') })).toThrow(/configRollouts.*reason on one line/);
  });

  test('the annotation on any object, its pod template, or the ConfigMap/Secret itself switches it off there', () => {
    const chart = Testing.chart();
    configMap(chart, 'conf', 'conf', { a: '1' });
    const skipped = configMap(chart, 'watched', 'watched', { a: '1' });
    skipped.metadata.addAnnotation(OPT, 'the app watches this file');
    const onObject = new kplus.Deployment(chart, 'on-object', {
      containers: [{ image: IMAGE, envFrom: [kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'c1', 'conf'))] }],
    });
    onObject.metadata.addAnnotation(OPT, 'legacy');
    const onTemplate = new kplus.Deployment(chart, 'on-template', {
      containers: [{ image: IMAGE, envFrom: [kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'c2', 'conf'))] }],
    });
    onTemplate.podMetadata.addAnnotation(OPT, 'legacy');
    new WebService(chart, 'web', { ...web(), volumes: [PodVolume.configMap('a', 'conf'), PodVolume.configMap('b', 'watched')] });
    const out = Testing.synth(chart);
    const dep = (name: string) => byKind(out, 'Deployment').find((d) => d.metadata.name.startsWith(name) || d.metadata.name.includes(name));
    expect(checksums(dep('on-object').spec.template)).toEqual({});
    expect(checksums(dep('on-template').spec.template)).toEqual({});
    expect(Object.keys(checksums(dep('web').spec.template))).toEqual(['configmap.conf']);
  });
});

describe('config rollout in the synth pipeline', () => {
  test('a plain App (cdk8s synth) and a PatternsApp write the same hashes', () => {
    const plain = Testing.synth(shop({ a: '1' }));
    const app = new PatternsApp({ outdir: 'unused', logger: { warn: () => {} } });
    shop({ a: '1' }, app);
    const yaml = app.synthYaml();
    const [dep] = byKind(plain, 'Deployment');
    for (const [k, v] of Object.entries(checksums(dep.spec.template))) expect(yaml).toContain(`${PREFIX}${k}: "${v}"`);
    // the plain App's own writer (app.synthYaml) too
    const plainApp = Testing.app();
    shop({ a: '1' }, plainApp);
    expect(plainApp.synthYaml()).toContain(`${PREFIX}configmap.conf: ${checksums(dep.spec.template)['configmap.conf']}`);
  });

  test("a later synth follows a changed ConfigMap (the index is the synth's, not the first one's)", () => {
    const chart = Testing.chart();
    const cm = new kplus.ConfigMap(chart, 'cm', { data: { a: '1' } });
    new WebService(chart, 'web', { ...web(), volumes: [PodVolume.configMap('conf', cm)] });
    const first = checksums(byKind(Testing.synth(chart), 'Deployment')[0].spec.template);
    cm.addData('b', '2');
    const second = checksums(byKind(Testing.synth(chart), 'Deployment')[0].spec.template);
    expect(second).not.toEqual(first);
  });

  test('PatternsApp renders each ConfigMap once and hashes it once, however many workloads use it', () => {
    const app = new PatternsApp({ outdir: 'unused', logger: { warn: () => {} } });
    const chart = new Chart(app, 'c');
    const cm = configMap(chart, 'conf', 'conf', { a: '1' });
    for (let i = 0; i < 20; i++) new WebService(chart, `web${i}`, { ...web(), volumes: [PodVolume.configMap('conf', 'conf')] });
    const render = jest.spyOn(cm, 'toJson');
    const hash = jest.spyOn(ConfigRollout, 'contentHash');
    const yaml = app.synthYaml();
    expect(render).toHaveBeenCalledTimes(1);
    expect(hash).toHaveBeenCalledTimes(1);
    expect(yaml.split(`${PREFIX}configmap.conf`).length - 1).toBe(20);
    hash.mockRestore();
  });
});

describe('config rollout in the release review', () => {
  test('a changed ConfigMap is reported as the rollout of the workloads using it (info, exit 0), naming the ConfigMap', () => {
    const before = Testing.synth(shop({ 'app.properties': 'a=1' }));
    const after = Testing.synth(shop({ 'app.properties': 'a=2' }));
    const report = review(before, after);
    expect(report.exitCode).toBe(0);
    expect(report.summary).toMatchObject({ breaking: 0, dataLoss: 0, risky: 0, changed: 2 });
    const dep = report.changes.find((c) => c.kind === 'Deployment')!;
    expect(dep.severity).toBe(ChangeSeverity.INFO);
    expect(dep.findings.map((f) => [f.rule, f.message])).toEqual([
      ['config-rollout', '`ConfigMap/shop/conf` changed: the pods roll to pick it up (a rollout, as for any pod template change)'],
    ]);
    expect(dep.findings[0].paths).toEqual([`spec.template.metadata.annotations["${PREFIX}configmap.conf"]`]);
  });

  test('turning the hashes on says the release rolls the pods once; an opt-out says changes no longer roll them', () => {
    const app = Testing.app();
    PatternDefaults.set(app, { configRollouts: OptOut.because('rolled by the deploy pipeline') });
    const off = Testing.synth(shop({ a: '1' }, app));
    const on = Testing.synth(shop({ a: '1' }));
    const messages = (r: ReturnType<typeof review>) =>
      r.changes.flatMap((c) => c.findings.filter((f) => f.rule === 'config-rollout').map((f) => f.message));
    expect(messages(review(off, on))).toEqual([
      'now follows `ConfigMap/shop/conf`: this release rolls the pods once, later changes to it roll them again',
      'now follows `Secret/shop/creds`: this release rolls the pods once, later changes to it roll them again',
    ]);
    expect(messages(review(on, off))).toEqual([
      'no longer follows `ConfigMap/shop/conf` (reference removed or opted out): changes to it leave running pods alone',
      'no longer follows `Secret/shop/creds` (reference removed or opted out): changes to it leave running pods alone',
    ]);
  });
});

test('the example: the WebService follows its ConfigMap and Secret, the plus Deployment its plus ConfigMap, the opted-out one nothing', () => {
  const out = synthExample(addConfigRollout);
  const dep = (name: string) => byKind(out, 'Deployment').find((d) => d.metadata.name === name);
  expect(Object.keys(checksums(dep('shop').spec.template))).toEqual(['configmap.shop-config', 'secret.shop-db']);
  expect(Object.keys(checksums(dep('worker').spec.template))).toEqual(['configmap.worker-config']);
  expect(checksums(dep('pricing').spec.template)).toEqual({});
  expect(dep('pricing').metadata.annotations[ConfigRollout.OPT_OUT_ANNOTATION]).toMatch(/reloads it without a restart/);
  expectValidManifests(out);
});
