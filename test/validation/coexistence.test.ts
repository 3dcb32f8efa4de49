import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import {
  ContainerProbe,
  PatternDefaults,
  PodHardeningInitializer,
  PodInitializers,
  PodSecurityLevel,
  RbacServiceAccount,
  SecureNamespace,
  Validation,
  WebService,
  Warnings,
} from '../../lib';
import { addInitContainersPod } from '../../apps/init-containers-pod';
import { addMixedPlus } from '../../apps/mixed-plus';
import { addZookeeper } from '../../apps/zookeeper';
import { deployment, problemsOf } from './fixtures';

/** An app with one of our workloads (which turns app-wide validation on) and a plain cdk8s-plus-27 Deployment. */
function mixedApp(namespace = 'shop') {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace });
  new WebService(chart, 'web', {
    containers: [
      {
        name: 'web',
        image: 'nginxinc/nginx-unprivileged:1.25',
        ports: [{ name: 'http', number: 8080 }],
        readiness: ContainerProbe.tcpSocket(),
      },
    ],
  });
  const legacy = new plus.Deployment(chart, 'legacy', {
    containers: [{ image: 'nginx:1.25', portNumber: 80, securityContext: { ensureNonRoot: false } }],
  });
  return { app, chart, legacy };
}

const warningsOf = (app: App) => Warnings.of(app).map((w) => w.message);

describe('coexistence: objects the library did not create', () => {
  test('a valid cdk8s-plus-27 Deployment next to our constructs synthesizes, with policy findings as warnings', () => {
    const { app } = mixedApp();
    expect(problemsOf(app)).toEqual([]);
    const warnings = warningsOf(app).filter((m) => m.startsWith('[pod-security]'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.join('\n')).toContain('Deployment/shop-legacy');
    // the hint works on a cdk8s-plus object: both annotations, through podMetadata, and no `podSecurity:` prop
    expect(warnings[0]).toContain("podMetadata.addAnnotation('cdk8s-patterns.io/pod-security', 'baseline')");
    expect(warnings[0]).toContain("podMetadata.addAnnotation('cdk8s-patterns.io/pod-security-reason', 'why')");
    expect(warnings[0]).not.toContain('podSecurity:');
  });

  test('an RBAC construct alone (which also turns validation on) leaves a valid cdk8s-plus-27 Deployment with warnings only', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ops', { namespace: 'ops' });
    new RbacServiceAccount(chart, 'bot');
    new plus.Deployment(chart, 'legacy', { containers: [{ image: 'nginx:1.25', portNumber: 8080 }] });
    expect(problemsOf(app)).toEqual([]);
    expect(warningsOf(app).some((m) => m.startsWith('[pod-security] Deployment/ops-legacy'))).toBe(true);
  });

  test('the hint for a raw object names both annotations on its pod template', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'raw');
    Validation.enable(app);
    const d = deployment('web');
    delete d.spec.template.spec.securityContext;
    new ApiObject(chart, 'web', d);
    expect(problemsOf(app)).toEqual([]);
    const [w] = warningsOf(app).filter((m) => m.startsWith('[pod-security]'));
    expect(w).toContain('cdk8s-patterns.io/pod-security: baseline and cdk8s-patterns.io/pod-security-reason: <why>');
    expect(w).toContain('spec.template.metadata.annotations');
  });

  test('both annotations on the cdk8s-plus pod template declare its level: no warning left at restricted', () => {
    const { app, legacy } = mixedApp();
    legacy.podMetadata.addAnnotation('cdk8s-patterns.io/pod-security', 'baseline');
    legacy.podMetadata.addAnnotation('cdk8s-patterns.io/pod-security-reason', 'legacy image');
    expect(problemsOf(app)).toEqual([]);
    expect(warningsOf(app).filter((m) => m.startsWith('[pod-security]'))).toEqual([]);
  });

  test('in a namespace that enforces the level (SecureNamespace), what admission would reject stays an error', () => {
    const { app } = mixedApp();
    new SecureNamespace(new Chart(app, 'ns'), 'shop', { name: 'shop' });
    const problems = problemsOf(app).filter((p) => p.object?.startsWith('Deployment/shop-legacy'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.ruleId === 'pod-security')).toBe(true);
    expect(problems[0].hint).toContain('namespace "shop" enforces Pod Security "restricted"');
  });

  test('a declared namespace level (Validation.external namespacePodSecurity) counts like one in the app', () => {
    const { app } = mixedApp();
    Validation.external(app, { namespacePodSecurity: { shop: PodSecurityLevel.BASELINE } });
    // baseline is met (no host access): no error; restricted-only findings stay warnings
    expect(problemsOf(app)).toEqual([]);
    expect(warningsOf(app).some((m) => m.startsWith('[pod-security]'))).toBe(true);
    const strict = mixedApp();
    Validation.external(strict.app, { namespacePodSecurity: { shop: PodSecurityLevel.RESTRICTED } });
    expect(problemsOf(strict.app).map((p) => p.ruleId)).toContain('pod-security');
  });

  test('PatternDefaults enforcePolicyEverywhere makes policy findings errors app-wide', () => {
    const { app } = mixedApp();
    PatternDefaults.set(app, { enforcePolicyEverywhere: true });
    const problems = problemsOf(app);
    expect(problems.filter((p) => p.object?.startsWith('Deployment/shop-legacy')).map((p) => p.ruleId)).toContain('pod-security');
  });

  test('a suppressed rule gives no warning either', () => {
    const { app, legacy } = mixedApp();
    Validation.suppress(legacy, 'pod-security' as any, 'legacy');
    expect(problemsOf(app)).toEqual([]);
    expect(warningsOf(app).filter((m) => m.startsWith('[pod-security]'))).toEqual([]);
  });

  test('requests and image tags on objects not ours are warnings', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'raw');
    Validation.enable(app);
    const d = deployment('web');
    d.spec.template.spec.containers[0].image = 'nginx';
    delete d.spec.template.spec.containers[0].resources;
    new ApiObject(chart, 'web', d);
    expect(problemsOf(app)).toEqual([]);
    const rules = warningsOf(app).map((m) => m.slice(0, m.indexOf(']') + 1));
    expect(rules).toEqual(expect.arrayContaining(['[resources]', '[image-tag]']));
  });

  test('schema errors stay errors on objects not ours', () => {
    const { app, chart } = mixedApp();
    new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' }, data: { a: 1 } });
    expect(problemsOf(app).map((p) => p.ruleId)).toContain('schema');
  });
});

describe('PodHardeningInitializer: one line brings a cdk8s-plus-27 app up to restricted', () => {
  function plusApp() {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new WebService(chart, 'web', {
      containers: [
        {
          name: 'web',
          image: 'nginxinc/nginx-unprivileged:1.25',
          ports: [{ name: 'http', number: 8080 }],
          readiness: ContainerProbe.tcpSocket(),
        },
      ],
    });
    const legacy = new plus.Deployment(chart, 'legacy', { containers: [{ image: 'nginx:1.25', portNumber: 8080 }] });
    return { app, chart, legacy };
  }
  const templateOf = (app: App, name: string) =>
    app.synthYaml() &&
    (Testing.synth(app.node.findChild('shop') as Chart).find((o: any) => o.metadata.name.startsWith(name)) as any).spec.template;

  test('without it: warnings; with it: none, and the pod template says what changed', () => {
    const before = plusApp();
    expect(problemsOf(before.app)).toEqual([]);
    expect(warningsOf(before.app).some((m) => m.startsWith('[pod-security]'))).toBe(true);

    const after = plusApp();
    new PodInitializers(after.app, 'hardening', { initializers: [new PodHardeningInitializer()] });
    expect(problemsOf(after.app)).toEqual([]);
    expect(warningsOf(after.app)).toEqual([]);
    const t = templateOf(after.app, 'shop-legacy');
    expect(t.metadata.annotations[PodHardeningInitializer.CHANGED_ANNOTATION]).toBe(
      'main: capabilities drop ALL; pod: seccompProfile RuntimeDefault',
    );
    expect(t.spec.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(t.spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    // our own workload was restricted already: nothing changed, nothing recorded
    expect(templateOf(after.app, 'web').metadata.annotations?.[PodHardeningInitializer.CHANGED_ANNOTATION]).toBeUndefined();
  });

  test('reports what it cannot change: hostPath, a root image declared as such', () => {
    const { app, chart } = plusApp();
    const d = deployment('agent');
    d.spec.template.spec.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }];
    new ApiObject(chart, 'agent', d);
    new plus.Deployment(chart, 'pg', {
      containers: [{ image: 'postgres:16', portNumber: 5432, securityContext: { ensureNonRoot: false } }],
    });
    new PodInitializers(app, 'hardening', { initializers: [new PodHardeningInitializer({ rootImages: ['postgres'] })] });
    expect(problemsOf(app)).toEqual([]);
    const skipped = (name: string) => templateOf(app, name).metadata.annotations[PodHardeningInitializer.SKIPPED_ANNOTATION];
    expect(skipped('agent')).toBe('hostPath volume logs');
    expect(skipped('shop-pg')).toBe('main: runs as root');
    // what stays below restricted is still reported (as warnings: not our objects)
    expect(warningsOf(app).filter((m) => m.startsWith('[pod-security]')).length).toBeGreaterThan(0);
  });
});

describe('the examples of issue 13 (apps/)', () => {
  test('mixed-plus: warnings only; mixed-plus-hardened: none', () => {
    const app = Testing.app();
    addMixedPlus(app);
    expect(problemsOf(app)).toEqual([]);
    const warnings = Warnings.of(app);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((w) => w.path.startsWith('mixed-plus/legacy'))).toBe(true);
  });

  test('init-containers-pod and zookeeper synthesize without warnings', () => {
    const app = Testing.app();
    addInitContainersPod(app);
    addZookeeper(app);
    expect(problemsOf(app)).toEqual([]);
    expect(Warnings.of(app)).toEqual([]);
  });
});
