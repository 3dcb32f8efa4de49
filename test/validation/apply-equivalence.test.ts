/**
 * Issue 11: what the Kubernetes 1.27 API server rejects fails the synth with one clear problem, and what
 * it accepts (status, kubectl dry-run output) passes. One test per case the issue lists.
 */
import { Chart, Duration, Include, Testing } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BatchJob, PatternDefaults, PatternError, Problem, RbacRoleBinding, RoleRef, Subject, WebService } from '../../lib';
import { validateObject } from '../../lib/validation/schema/built-in';
import { add, container, deployment, problemsOf, rawApp, service } from './fixtures';

/** `ruleId field: rule` of each problem. */
function lines(problems: Problem[]): string[] {
  return problems.map((p) => `${p.ruleId} ${p.field}: ${p.rule}`);
}

/** The problems of one raw object in an otherwise valid app. */
function problemsOfObject(json: any): string[] {
  const { app, chart } = rawApp();
  add(chart, json);
  return lines(problemsOf(app));
}

/** The problems of building and synthesizing a chart of our constructs (construction or synth). */
function problemsOfBuild(build: (chart: Chart) => void): string[] {
  try {
    const chart = new Chart(Testing.app(), 'test');
    build(chart);
    Testing.synth(chart);
    return [];
  } catch (e) {
    if (e instanceof PatternError) return lines(e.problems);
    throw e;
  }
}

function withPod(spec: Record<string, any>, c: Record<string, any> = {}): any {
  const d = deployment();
  Object.assign(d.spec.template.spec, spec);
  Object.assign(d.spec.template.spec.containers[0], c);
  return d;
}

describe('integer formats', () => {
  test('int32 overflow of replicas, ports, priority', () => {
    const d = withPod({ priority: 2 ** 31 }, { ports: [{ containerPort: 2 ** 31 }] });
    d.spec.replicas = 2 ** 31;
    expect(problemsOfObject(d)).toEqual([
      'schema spec.replicas: must be a 32-bit integer (-2147483648 to 2147483647), not 2147483648',
      'schema spec.template.spec.containers[0].ports[0].containerPort: must be a 32-bit integer (-2147483648 to 2147483647), not 2147483648',
      'schema spec.template.spec.priority: must be a 32-bit integer (-2147483648 to 2147483647), not 2147483648',
    ]);
  });

  test('WebService replicas: 2 ** 31 fails the synth', () => {
    const found = problemsOfBuild(
      (chart) => new WebService(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.25' }], replicas: 2 ** 31 }),
    );
    expect(found.join('\n')).toMatch(/replicas.*(32-bit|2147483647)/);
  });

  test('BatchJob ttlAfterFinished: Duration.days(100000) fails the synth', () => {
    const found = problemsOfBuild(
      (chart) =>
        new BatchJob(chart, 'job', {
          containers: [{ name: 'work', image: 'busybox:1.36', command: ['true'], security: { runAsUser: 65534 } }],
          ttlAfterFinished: Duration.days(100000),
        }),
    );
    expect(found.join('\n')).toMatch(/ttlSecondsAfterFinished: must be a 32-bit integer .* not 8640000000/);
  });
});

describe('enums', () => {
  test.each([
    ['restartPolicy', withPod({ restartPolicy: 'Sometimes' }), 'spec.template.spec.restartPolicy'],
    ['imagePullPolicy', withPod({}, { imagePullPolicy: 'Allways' }), 'spec.template.spec.containers[0].imagePullPolicy'],
    ['protocol', withPod({}, { ports: [{ containerPort: 80, protocol: 'tcp' }] }), 'spec.template.spec.containers[0].ports[0].protocol'],
    ['dnsPolicy', withPod({ dnsPolicy: 'ClusterFirstt' }), 'spec.template.spec.dnsPolicy'],
    ['Service type', service('web', undefined, { type: 'Nodeport' }), 'spec.type'],
  ])('%s out of its enum', (_, json, field) => {
    const found = problemsOfObject(json).filter((l) => l.startsWith(`schema ${field}:`));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/is not one of/);
  });

  test('a fault the schema reports is not reported again by a later rule (restartPolicy, a missing containers list)', () => {
    expect(problemsOfObject(withPod({ restartPolicy: 'Sometimes' }))).toEqual([
      'schema spec.template.spec.restartPolicy: "Sometimes" is not one of "Always", "Never", "OnFailure"',
    ]);
    const d = deployment();
    delete d.spec.template.spec.containers;
    expect(problemsOfObject(d)).toEqual(['schema spec.template.spec.containers: required field missing']);
  });

  test('a misspelled enum value gets did you mean', () => {
    expect(problemsOfObject(withPod({}, { imagePullPolicy: 'Allways' }))).toEqual([
      'schema spec.template.spec.containers[0].imagePullPolicy: "Allways" is not one of "Always", "IfNotPresent", "Never" (did you mean "Always"?)',
    ]);
  });

  test('CronJob concurrencyPolicy', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: {
        schedule: '0 * * * *',
        concurrencyPolicy: 'Never',
        jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } },
      },
    };
    expect(problemsOfObject(cron)).toContain('schema spec.concurrencyPolicy: "Never" is not one of "Allow", "Forbid", "Replace"');
  });
});

describe('what the API server validates beyond the schema', () => {
  const apiServer = (json: any) => problemsOfObject(json).filter((l) => l.startsWith('api-server '));

  test('a limit below its request', () => {
    expect(apiServer(withPod({}, { resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '500m' } } }))).toEqual([
      'api-server spec.template.spec.containers[0].resources.limits.cpu: limit 500m is below the request 1: the limit must be greater than or equal to the request',
    ]);
  });

  test('runAsUser: -1', () => {
    expect(apiServer(withPod({}, { securityContext: { ...container().securityContext, runAsUser: -1 } }))).toEqual([
      'api-server spec.template.spec.containers[0].securityContext.runAsUser: -1 is not a valid user id (0 to 2147483647)',
    ]);
  });

  test('nodePort: 99999', () => {
    expect(apiServer(service('web', undefined, { type: 'NodePort', ports: [{ port: 80, nodePort: 99999 }] }))).toEqual([
      'api-server spec.ports[0].nodePort: 99999 is not a valid port number (0 to 65535)',
    ]);
  });

  test('two mounts on one mountPath; subPath ../etc; defaultMode 0o1000', () => {
    const d = withPod(
      {
        volumes: [
          { name: 'a', emptyDir: {} },
          { name: 'b', secret: { secretName: 's', defaultMode: 0o1000, optional: true } },
        ],
      },
      {
        volumeMounts: [
          { name: 'a', mountPath: '/data' },
          { name: 'b', mountPath: '/data', subPath: '../etc' },
        ],
      },
    );
    expect(apiServer(d)).toEqual([
      'api-server spec.template.spec.volumes[1].secret.defaultMode: 512 (octal 1000) is not a file mode between 0 and 0777 (octal)',
      'api-server spec.template.spec.containers[0].volumeMounts[1].mountPath: "/data" is already the mountPath of volumeMounts[0]: mount paths must be unique',
      `api-server spec.template.spec.containers[0].volumeMounts[1].subPath: "../etc" must be a relative path inside the volume, without '..'`,
    ]);
  });

  test('a claim with accessModes: []', () => {
    const claim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'c' },
      spec: { accessModes: [], resources: { requests: { storage: '1Gi' } } },
    };
    expect(apiServer(claim)).toEqual(['api-server spec.accessModes: at least 1 access mode is required']);
  });

  test("Subject.user('')", () => {
    const found = problemsOfBuild(
      (chart) => new RbacRoleBinding(chart, 'b', { role: RoleRef.externalClusterRole('view'), subjects: [Subject.user('')] }),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(/subjects.*name|name.*subject/i);
  });

  test("a CRD pattern that is not a regular expression ('(')", () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: { spec: { type: 'object', properties: { x: { type: 'string', pattern: '(' } } } },
              },
            },
          },
        ],
      },
    };
    const found = apiServer(crd);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^api-server spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\.spec\.properties\.x\.pattern: "\(" is not a valid regular expression/,
    );
  });

  test('an Indexed Job with parallelism over 100,000', () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        completionMode: 'Indexed',
        completions: 10,
        parallelism: 100001,
        template: { spec: { restartPolicy: 'Never', containers: [container()] } },
      },
    };
    expect(apiServer(job)).toEqual(['api-server spec.parallelism: 100001 is more than 100000, the most an Indexed Job allows']);
  });

  test('a hostname over 63 characters', () => {
    expect(apiServer(withPod({ hostname: 'h'.repeat(64) }))).toHaveLength(1);
  });

  test('annotations over 256 KiB', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { big: 'x'.repeat(256 * 1024) } } };
    expect(apiServer(cm)).toEqual([
      "api-server metadata.annotations: annotations total 262147 bytes, more than the API server's limit of 262144 (256 KiB)",
    ]);
  });

  test('a bad quantity in PatternDefaults fails the synth', () => {
    const found = problemsOfBuild((chart) => {
      PatternDefaults.set(chart, { containerResources: { cpu: { request: '1 core' } } });
      new WebService(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', number: 8080 }] }] });
    });
    expect(found).toEqual([
      'schema spec.template.spec.containers[0].resources.requests.cpu: "1 core" is not a Kubernetes quantity (e.g. 250m, 1.5, 128Mi, 10Gi, 1e3)',
    ]);
  });
});

describe('API lifecycle', () => {
  test.each([
    ['policy/v1beta1', 'PodDisruptionBudget', 'policy/v1 PodDisruptionBudget'],
    ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1 Ingress'],
    ['batch/v1beta1', 'CronJob', 'batch/v1 CronJob'],
  ])('%s %s is an error naming the replacement', (apiVersion, kind, replacement) => {
    const found = problemsOfObject({ apiVersion, kind, metadata: { name: 'x' }, spec: {} }).filter((l) => !l.startsWith('pdb-selector'));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^removed-api apiVersion: ${apiVersion} ${kind} was removed in Kubernetes 1\\.\\d+`));
    const { app, chart } = rawApp();
    add(chart, { apiVersion, kind, metadata: { name: 'x' }, spec: {} });
    expect(problemsOf(app)[0].hint).toContain(`use ${replacement}`);
  });

  test('kind: Deplyoment in apps/v1 is an error with did you mean', () => {
    const { app, chart } = rawApp();
    add(chart, { ...deployment(), kind: 'Deplyoment' });
    const [p, ...rest] = problemsOf(app);
    expect(rest).toEqual([]);
    expect(p).toEqual(expect.objectContaining({ ruleId: 'unknown-kind', field: 'kind', hint: 'did you mean kind: Deployment?' }));
  });

  test('a known kind under a wrong version of its group', () => {
    const { app, chart } = rawApp();
    add(chart, { ...deployment(), apiVersion: 'apps/v1beta3' });
    expect(problemsOf(app)).toEqual([
      expect.objectContaining({ ruleId: 'unknown-kind', field: 'apiVersion', hint: 'did you mean apiVersion: apps/v1?' }),
    ]);
  });

  test('a core v1 Event (served, no schema in the table) is not taken for a typo', () => {
    const { app, chart } = rawApp();
    add(chart, { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' } });
    expect(problemsOf(app)).toEqual([]);
  });

  test('an unknown group stays a warning', () => {
    const { app, chart } = rawApp();
    add(chart, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(problemsOf(app)).toEqual([]);
  });
});

describe('what the server tolerates', () => {
  test('status is accepted and kept as written (kubectl create --dry-run=client -o yaml output)', () => {
    const { app, chart } = rawApp();
    add(chart, { ...deployment(), status: {} });
    // kubectl get sts -o yaml: claim templates carry a status too
    const sts = { ...deployment('db'), kind: 'StatefulSet', status: { replicas: 0 } };
    sts.metadata.creationTimestamp = null;
    sts.spec.serviceName = 'web';
    sts.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
    sts.spec.volumeClaimTemplates = [
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', creationTimestamp: null },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        status: { phase: 'Pending' },
      },
    ];
    expect(validateObject(sts)).toEqual([]);
    add(chart, { ...service('web'), status: { loadBalancer: {} } });
    expect(problemsOf(app)).toEqual([]);
    expect(app.synthYaml()).toContain('loadBalancer: {}');
  });

  test('an Include of broken YAML is an error with file and line: duplicate keys, an unclosed quote', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'include-'));
    const dup = path.join(dir, 'dup.yaml');
    fs.writeFileSync(dup, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    const quote = path.join(dir, 'quote.yaml');
    fs.writeFileSync(quote, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a\ndata: {}\n');
    for (const [file, re] of [
      [dup, /dup\.yaml:5:3: duplicate key/],
      [quote, /quote\.yaml:\d+:\d+: .*quote/i],
    ] as const) {
      const { chart } = rawApp();
      let error: unknown;
      try {
        new Include(chart, 'vendor', { url: file });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PatternError);
      expect((error as PatternError).problems[0]).toEqual(expect.objectContaining({ ruleId: 'include-yaml' }));
      expect((error as PatternError).message).toMatch(re);
    }
    fs.rmSync(dir, { recursive: true });
  });
});

describe('a failed synth', () => {
  test('PatternsApp.synthOrExit prints each problem once, without a stack trace, and sets exit code 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-exit-'));
    const { PatternsApp } = require('../../lib');
    const app = new PatternsApp({ outdir: path.join(dir, 'dist'), logger: { warn: () => undefined } });
    add(new Chart(app, 'c'), withPod({}, { imagePullPolicy: 'Allways' }));
    const written: string[] = [];
    const write = process.stderr.write;
    const exitCode = process.exitCode;
    process.stderr.write = ((s: string) => written.push(s)) as any;
    let ok: boolean;
    try {
      ok = PatternsApp.synthOrExit([app]);
    } finally {
      process.stderr.write = write;
    }
    expect(ok).toBe(false);
    expect(process.exitCode).toBe(1);
    process.exitCode = exitCode;
    const text = written.join('');
    expect(text.split('\n').filter((l) => l.includes('imagePullPolicy'))).toHaveLength(1);
    expect(text).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('each fault once', () => {
  const faulty = (chart: Chart) =>
    new WebService(chart, 'web', {
      containers: [
        { name: 'web', image: 'nginx', ports: [{ name: 'http', number: 8080 }] },
        { name: 'web', image: 'nginx:latest' },
      ],
    });

  test('a WebService with 3 faults reports 3 problems: at the props, with the app-wide rule id and object', () => {
    const chart = new Chart(Testing.app(), 'test');
    faulty(chart);
    let problems: Problem[] = [];
    try {
      Testing.synth(chart);
    } catch (e) {
      problems = (e as PatternError).problems;
    }
    expect(problems.map((p) => `${p.path} ${p.ruleId} ${p.object} ${p.field}`)).toEqual([
      'test/web image-tag Deployment/web containers[0].image',
      'test/web image-tag Deployment/web containers[1].image',
      'test/web pod-spec Deployment/web containers[1].name',
    ]);
  });

  test('suppressing image-tag silences both copies of the check', () => {
    const chart = new Chart(Testing.app(), 'test');
    const web = faulty(chart);
    const { Validation, ValidationRule } = require('../../lib');
    Validation.suppress(web, ValidationRule.IMAGE_TAG, 'the vendor image has no tags');
    let problems: Problem[] = [];
    try {
      Testing.synth(chart);
    } catch (e) {
      problems = (e as PatternError).problems;
    }
    expect(problems.map((p) => `${p.ruleId} ${p.field}`)).toEqual(['pod-spec containers[1].name']);
  });
});

describe('errors people can act on', () => {
  test('construction-time and construct-check problems carry a rule id', () => {
    for (const build of [
      (chart: Chart) => new WebService(chart, 'web', { containers: [{ name: 'Web', image: '' }], replicas: -1 }),
      (chart: Chart) =>
        new WebService(chart, 'web', { containers: [{ name: 'web', image: 'nginx:1.25', resources: { cpu: { request: '1 core' } } }] }),
    ]) {
      let problems: Problem[] = [];
      try {
        const chart = new Chart(Testing.app(), 'test');
        build(chart);
        Testing.synth(chart);
      } catch (e) {
        problems = (e as PatternError).problems;
      }
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect([p.field, typeof p.ruleId]).toEqual([p.field, 'string']);
    }
  });
});
