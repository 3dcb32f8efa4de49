// Property-based testing of public constructs: generated props (valid and invalid, within the types a
// TypeScript user can write) must either raise a PatternError or synthesize output that passes the
// strict schema and every validation rule, with no undefined, null or NaN anywhere.
//
// Each suite draws half its cases from "valid" generators (choices a careful user makes, coherent with
// each other: mounts name existing volumes, references resolve) and half from "wild" ones (every
// choice may also be a bad one), so both outcomes are exercised. Arbitraries generate plain recipes
// (data that prints well in a counterexample); `materialize*` turns them into props.
import { ApiObject, App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import fc from 'fast-check';
import { Construct } from 'constructs';
import {
  ContainerSpec,
  DisruptionBudget,
  PatternError,
  PodSecurity,
  PodSpecProps,
  PodVolume,
  RbacServiceAccount,
  TolerationOperator,
  TolerationSpec,
} from '../../lib';
import { renderApp } from '../../lib/synth/pipeline';
import { validateObjects } from '../../lib/validation/validation';
import { validateObject } from '../../lib/validation/schema/built-in';

/**
 * Generated prop sets per construct in one run; the suites together run at least 10,000 (the issue's
 * floor). Split across files so jest runs them on both cores.
 */
export const RUNS = {
  statefulService: 2500,
  webService: 2000,
  nodeAgent: 1500,
  batchJob: 1000,
  scheduledJob: 1000,
  rbac: 1500,
  initializers: 1000,
};

/** Generators of one mode: `valid` draws only good choices, otherwise bad ones are mixed in. */
export class Gen {
  constructor(public readonly valid: boolean) {}

  /** One of `good`, or (wild mode) also one of `bad`. */
  public pick<T>(good: readonly T[], bad: readonly T[] = []): fc.Arbitrary<T> {
    return this.valid || bad.length === 0
      ? fc.constantFrom(...good)
      : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) });
  }

  /** `a` or undefined. */
  public optional<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
    return fc.option(a, { nil: undefined, freq: 2 });
  }

  /** Strings that break some naming rule, and short random ones. */
  public get odd(): fc.Arbitrary<string> {
    return fc.oneof(
      fc.constantFrom('', ' ', 'UPPER', 'a_b', '-x', 'x-', 'a.b', 'ü', '1abc', 'a'.repeat(64), 'a--b', 'a/b'),
      fc.string({ maxLength: 6 }),
    );
  }

  /** DNS-1123 labels (wild mode: sometimes not). */
  public get name(): fc.Arbitrary<string> {
    const good = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/).filter((s) => !s.includes('--'));
    return this.valid ? good : fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: this.odd });
  }

  public get labels(): fc.Arbitrary<Record<string, string>> {
    const key = this.pick(['app', 'tier', 'app.kubernetes.io/part-of', 'example.com/team']);
    const value = this.pick(['web', 'db', 'v1', 'a.b_c']);
    return fc.dictionary(
      this.valid ? key : fc.oneof({ weight: 6, arbitrary: key }, { weight: 1, arbitrary: this.odd }),
      this.valid ? value : fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: this.odd }),
      { maxKeys: 3 },
    );
  }

  /** Small counts (wild: zero, negative, fractional, NaN too). */
  public get count(): fc.Arbitrary<number> {
    return this.pick([1, 2, 3, 5], [0, -1, 1.5, NaN]);
  }

  /** Durations in seconds (wild: fractional). */
  public get seconds(): fc.Arbitrary<number> {
    return this.pick([0, 5, 30, 600], [1.5]);
  }

  /** A Kubernetes pod: containers, init containers, volumes and the rest of `PodSpecProps`. */
  public pod(options: { readonly security?: readonly string[] } = {}): fc.Arbitrary<PodRecipe> {
    // valid pods always have an app container named "app" (props may refer to it), then others
    const some = (names: string[], init: boolean) =>
      fc.subarray(names).chain((ns) => fc.tuple(...ns.map((n) => this.container([n], init))));
    const containers = (names: string[], init: boolean) =>
      this.valid
        ? init
          ? some(names, true)
          : fc.tuple(this.container(['app'], false), some(names, false)).map(([a, rest]) => [a, ...rest])
        : fc.array(this.container(['app', ...names], init), { minLength: 0, maxLength: init ? 2 : 3 });
    const volumes = this.valid
      ? fc.uniqueArray(this.volume(), { maxLength: 3, selector: (v) => v.name })
      : fc.array(this.volume(), { maxLength: 3 });
    return fc.record(
      {
        containers: containers(['sidecar', 'web'], false),
        initContainers: containers(['init', 'setup'], true),
        volumes,
        podSecurity: this.pick(options.security ?? ['restricted', 'baseline', 'privileged', 'default'], ['baseline-no-reason']),
        serviceAccount: this.pick(['bot', 'default', 'plus'], ['ghost']),
        podLabels: this.labels,
        podAnnotations: fc.dictionary(this.pick(['example.com/note', 'note'], ['bad key']), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
        terminationGracePeriod: this.seconds,
        nodeSelector: this.labels,
        tolerations: fc.array(this.toleration(), { maxLength: 2 }),
        priorityClassName: this.pick(['high'], ['Bad Name']),
      },
      { requiredKeys: ['containers', 'initContainers', 'volumes'] },
    );
  }

  private container(names: string[], init: boolean): fc.Arbitrary<ContainerRecipe> {
    const port = fc.record(
      {
        number: this.pick([80, 443, 5432, 8080, 9090], [0, -1, 70000, 80.5]),
        // valid: names unique across the pod's containers (Services list the named ports of all of them)
        name: this.pick(this.valid ? PORT_NAMES[names[0]] : ['http', 'metrics', 'grpc'], ['Bad_Name', 'a-very-long-port-name']),
        protocol: fc.constantFrom(kplus.Protocol.TCP, kplus.Protocol.UDP),
        hostPort: this.pick([0], [8080]),
      },
      { requiredKeys: ['number'] },
    );
    const ports = this.valid
      ? fc
          .uniqueArray(port, { maxLength: 2, selector: (p) => `${p.number}/${p.protocol ?? 'TCP'}` })
          .filter((ps) => new Set(ps.map((p) => p.name).filter((n) => n)).size === ps.filter((p) => p.name).length)
      : fc.array(port, { maxLength: 2 });
    const env = fc.oneof(
      fc.record({ from: fc.constant('value' as const), value: fc.constantFrom('1', 'yes', '', 'a b') }),
      fc.record({ from: fc.constant('field' as const) }),
      fc.record({ from: fc.constant('configMap' as const), key: this.pick(['a', 'b'], ['nope']) }),
      fc.record({ from: fc.constant('secret' as const), key: this.pick(['password'], ['nope']) }),
    );
    return fc.record(
      {
        name: this.valid
          ? fc.constantFrom(...names)
          : fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: this.odd }),
        image: this.pick(
          ['nginx:1.25', 'redis:7.2', `registry.example.com/team/app@sha256:${'a'.repeat(64)}`],
          ['nginx', 'nginx:latest', '', 'bad image'],
        ),
        command: fc.array(fc.constantFrom('sh', '-c', 'sleep 1'), { maxLength: 3 }),
        args: fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
        workingDir: this.pick(['/work'], ['relative']),
        ports,
        env: fc.dictionary(this.pick(['A', 'B', 'LOG_LEVEL'], ['1BAD']), env, { maxKeys: 3 }),
        envFrom: fc.array(
          fc.oneof(fc.record({ configMap: this.pick(['cfg'], ['missing']) }), fc.record({ secret: this.pick(['creds'], ['missing']) })),
          { maxLength: 2 },
        ),
        mounts: fc.uniqueArray(
          fc.record(
            {
              // valid mode: an index into the pod's volumes (resolved by materializePod); wild: any name
              volume: this.valid ? fc.nat() : fc.constantFrom<number | string>(...VOLUME_NAMES),
              path: this.pick(['/data', '/var/lib/x', '/etc/conf'], ['relative']),
              readOnly: fc.boolean(),
              subPath: fc.constantFrom('sub'),
            },
            { requiredKeys: ['volume', 'path'] },
          ),
          // the API server rejects two mounts on one mountPath (ValidateVolumeMounts)
          { maxLength: 2, selector: (m) => (this.valid ? m.path : Math.random()) },
        ),
        resources: fc.record(
          {
            cpu: fc.record(
              { request: this.pick(['100m', '1'], ['lots']), limit: this.pick(['2'], ['500m']) },
              { requiredKeys: ['request'] },
            ),
            memory: fc.record(
              { request: this.pick([64, 1024], [0.5, 0]), limit: this.pick([2048]) },
              { requiredKeys: this.valid ? ['request'] : [] },
            ),
          },
          { requiredKeys: this.valid ? ['cpu', 'memory'] : ['cpu'] },
        ),
        probes: init && this.valid ? fc.constant([]) : fc.subarray(['readiness', 'liveness', 'startup'] as const),
        probe: fc.constantFrom('tcp' as const, 'http' as const, 'command' as const),
        preStop: init && this.valid ? fc.constant(false) : fc.boolean(),
        imagePullPolicy: fc.constantFrom(kplus.ImagePullPolicy.ALWAYS, kplus.ImagePullPolicy.IF_NOT_PRESENT),
        security: fc.record(
          {
            runAsUser: this.pick([1000], [0]),
            runAsGroup: fc.constantFrom(0, 1000),
            // false without a reason is an error: opting out takes OptOut.because(...)
            readOnlyRootFilesystem: this.pick([true], [false]),
            privileged: this.pick([false], [true]),
            addCapabilities: this.valid ? fc.subarray(['NET_BIND_SERVICE']) : fc.subarray(['NET_BIND_SERVICE', 'NET_ADMIN', 'CHOWN']),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['name', 'image'] },
    );
  }

  private volume(): fc.Arbitrary<VolumeRecipe> {
    const choices: Array<fc.Arbitrary<VolumeRecipe>> = [
      fc.record(
        {
          type: fc.constant('emptyDir' as const),
          name: this.pick(['scratch', 'cache']),
          memory: fc.boolean(),
          sizeLimit: this.pick([64], [0, 0.5]),
        },
        { requiredKeys: ['type', 'name'] },
      ),
      fc.record({
        type: fc.constant('configMap' as const),
        name: fc.constant('config'),
        source: this.pick(['cfg'], ['missing']),
        items: fc.boolean(),
        optional: fc.boolean(),
      }),
      fc.record({
        type: fc.constant('secret' as const),
        name: fc.constant('creds'),
        source: this.pick(['creds'], ['missing']),
        optional: fc.boolean(),
      }),
      fc.record({ type: fc.constant('downwardApi' as const), name: fc.constant('info') }),
      fc.record({ type: fc.constant('plus' as const), name: fc.constant('plus-config') }),
    ];
    if (!this.valid) {
      choices.push(
        fc.record({ type: fc.constant('hostPath' as const), name: fc.constant('host'), path: fc.constantFrom('/var/log', '/') }),
      );
      choices.push(fc.record({ type: fc.constant('claim' as const), name: fc.constant('claim'), claim: fc.constantFrom('pvc', 'Bad') }));
    }
    return fc.oneof(...choices);
  }

  private toleration(): fc.Arbitrary<TolerationSpec> {
    const { EQUAL, EXISTS } = TolerationOperator;
    const { NO_EXECUTE, NO_SCHEDULE } = kplus.TaintEffect;
    const good: TolerationSpec[] = [
      { key: 'dedicated', operator: EQUAL, value: 'gpu', effect: NO_SCHEDULE },
      { operator: EXISTS },
      { key: 'node.kubernetes.io/unreachable', operator: EXISTS, effect: NO_EXECUTE, evictAfter: Duration.seconds(300) },
    ];
    const bad: TolerationSpec[] = [
      { key: 'x', operator: EXISTS, value: 'y' },
      { operator: EQUAL, value: 'v' },
      { key: 'x', effect: NO_SCHEDULE, evictAfter: Duration.seconds(5) },
      { key: 'x', effect: NO_EXECUTE, evictAfter: Duration.millis(1500) },
    ];
    return this.pick(good, bad);
  }
}

/** Port names of valid containers, by container name. */
const PORT_NAMES: Record<string, string[]> = {
  app: ['http', 'https'],
  sidecar: ['metrics'],
  web: ['grpc', 'admin'],
  init: ['init'],
  setup: ['setup'],
};

/** Volume names wild pods mount, some of which exist. */
const VOLUME_NAMES = ['scratch', 'config', 'creds', 'host', 'claim', 'info', 'data', 'logs', 'missing'];

type EnvRecipe =
  { from: 'value'; value: string } | { from: 'field' } | { from: 'configMap'; key: string } | { from: 'secret'; key: string };

interface ContainerRecipe {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  ports?: Array<{ number: number; name?: string; protocol?: kplus.Protocol; hostPort?: number }>;
  env?: Record<string, EnvRecipe>;
  envFrom?: Array<{ configMap?: string; secret?: string }>;
  mounts?: Array<{ volume: number | string; path: string; readOnly?: boolean; subPath?: string }>;
  resources?: { cpu?: { request?: string; limit?: string }; memory?: { request?: number; limit?: number } };
  probes?: ReadonlyArray<'readiness' | 'liveness' | 'startup'>;
  probe?: 'tcp' | 'http' | 'command';
  preStop?: boolean;
  imagePullPolicy?: kplus.ImagePullPolicy;
  security?: {
    runAsUser?: number;
    runAsGroup?: number;
    readOnlyRootFilesystem?: boolean;
    privileged?: boolean;
    addCapabilities?: string[];
  };
}

type VolumeRecipe =
  | { type: 'emptyDir'; name: string; memory?: boolean; sizeLimit?: number }
  | { type: 'configMap'; name: string; source: string; items: boolean; optional: boolean }
  | { type: 'secret'; name: string; source: string; optional: boolean }
  | { type: 'hostPath'; name: string; path: string }
  | { type: 'claim'; name: string; claim: string }
  | { type: 'downwardApi'; name: string }
  | { type: 'plus'; name: string };

export interface PodRecipe {
  containers: ContainerRecipe[];
  initContainers: ContainerRecipe[];
  volumes: VolumeRecipe[];
  podSecurity?: string;
  serviceAccount?: string;
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  terminationGracePeriod?: number;
  nodeSelector?: Record<string, string>;
  tolerations?: TolerationSpec[];
  priorityClassName?: string;
}

/** What the chart around the construct holds, so references sometimes resolve and sometimes do not. */
export interface ChartRecipe {
  namespace?: string;
  configMap: 'none' | 'raw' | 'plus';
  secret: boolean;
  bot: boolean;
}

function chartRecipe(valid: boolean): fc.Arbitrary<ChartRecipe> {
  return fc.record(
    {
      namespace: fc.constantFrom(undefined, 'prod', 'team-a'),
      configMap: valid
        ? fc.constantFrom('raw' as const, 'plus' as const)
        : fc.constantFrom('none' as const, 'raw' as const, 'plus' as const),
      secret: valid ? fc.constant(true) : fc.boolean(),
      bot: valid ? fc.constant(true) : fc.boolean(),
    },
    { requiredKeys: ['configMap', 'secret', 'bot'] },
  );
}

/** One generated case: the chart's objects and the construct's props, from valid or wild generators. */
export interface Case<T> {
  readonly valid: boolean;
  readonly chart: ChartRecipe;
  readonly props: T;
}

/**
 * Replaces one field of a valid recipe by the same field of a wild one, descending into nested
 * records (`pod`) so that exactly one leaf choice may be bad: the cases most likely to reach code that
 * a single bad value breaks, since no other bad value stops construction first.
 */
function mixOne(valid: any, wild: any, seed: number): any {
  if (Array.isArray(wild)) {
    // a list of steps: one element from the wild list
    if (!Array.isArray(valid) || valid.length === 0 || wild.length === 0) return wild;
    const i = seed % Math.min(valid.length, wild.length);
    return valid.map((v, j) => (j === i ? wild[i] : v));
  }
  const keys = Object.keys(wild ?? {});
  if (keys.length === 0) return wild;
  const key = keys[seed % keys.length];
  const inner = Math.floor(seed / keys.length);
  const v = valid?.[key];
  const w = wild[key];
  const nested =
    v &&
    w &&
    typeof v === 'object' &&
    typeof w === 'object' &&
    !Array.isArray(v) &&
    !Array.isArray(w) &&
    Object.getPrototypeOf(w) === Object.prototype;
  return { ...valid, [key]: nested && inner % 2 === 0 ? mixOne(v, w, inner >> 1) : w };
}

/**
 * A budget that leaves at least one voluntary disruption for `pods` pods: what a valid user writes
 * (a minAvailable or quorum of every pod blocks node drains and is rejected by the PDB check).
 */
export function drainableBudget(budget: DisruptionBudget | undefined, pods: number): DisruptionBudget | undefined {
  if (!budget || budget.field !== 'minAvailable' || pods === 0) return budget;
  const v = budget.resolve(pods);
  const min = typeof v === 'string' ? Math.ceil((parseInt(v, 10) / 100) * pods) : v;
  return min < pods ? budget : DisruptionBudget.maxUnavailable(1);
}

/** Valid cases (40%), valid cases with one wild choice (40%) and wild cases (20%). */
export function cases<T>(props: (gen: Gen) => fc.Arbitrary<T>): fc.Arbitrary<Case<T>> {
  const valid = new Gen(true);
  const wild = new Gen(false);
  const mode = (v: boolean) => fc.record({ valid: fc.constant(v), chart: chartRecipe(v), props: props(v ? valid : wild) });
  const oneBad = fc
    .record({ chart: chartRecipe(true), good: props(valid), bad: props(wild), seed: fc.nat() })
    .map((c) => ({ valid: false, chart: c.chart, props: mixOne(c.good, c.bad, c.seed) as T }));
  return fc.oneof({ weight: 2, arbitrary: mode(true) }, { weight: 2, arbitrary: oneBad }, { weight: 1, arbitrary: mode(false) });
}

let ids = 0;
/** A construct id unique in any scope (imported cdk8s-plus objects need one each). */
const uid = (prefix: string) => `${prefix}-${ids++}`;

function materializeEnv(scope: Construct, e: EnvRecipe): string | kplus.EnvValue {
  switch (e.from) {
    case 'value':
      return e.value;
    case 'field':
      return kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME);
    case 'configMap':
      return kplus.EnvValue.fromConfigMap(kplus.ConfigMap.fromConfigMapName(scope, uid('env-cm'), 'cfg'), e.key);
    default:
      return kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(scope, uid('env-secret'), 'creds'), key: e.key });
  }
}

const PROBES = {
  tcp: () => kplus.Probe.fromTcpSocket(),
  http: () => kplus.Probe.fromHttpGet('/healthz'),
  command: () => kplus.Probe.fromCommand(['true']),
};

function materializeContainer(scope: Construct, c: ContainerRecipe, volumes: string[]): ContainerSpec {
  const env: Record<string, string | kplus.EnvValue> = {};
  for (const [k, v] of Object.entries(c.env ?? {})) env[k] = materializeEnv(scope, v);
  const probe = (which: 'readiness' | 'liveness' | 'startup') => (c.probes?.includes(which) ? PROBES[c.probe ?? 'tcp']() : undefined);
  const mounts = (c.mounts ?? []).flatMap((m) => {
    if (typeof m.volume === 'string') return [{ ...m, volume: m.volume }];
    return volumes.length > 0 ? [{ ...m, volume: volumes[m.volume % volumes.length] }] : [];
  });
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    workingDir: c.workingDir,
    ports: c.ports,
    env: c.env ? env : undefined,
    envFrom: c.envFrom,
    mounts: c.mounts ? mounts.filter((m, i) => mounts.findIndex((o) => o.path === m.path) === i) : undefined,
    resources: c.resources && {
      cpu: c.resources.cpu,
      memory: c.resources.memory && {
        request: c.resources.memory.request !== undefined ? Size.mebibytes(c.resources.memory.request) : undefined,
        limit: c.resources.memory.limit !== undefined ? Size.mebibytes(c.resources.memory.limit) : undefined,
      },
    },
    readiness: probe('readiness'),
    liveness: probe('liveness'),
    startup: probe('startup'),
    preStop: c.preStop ? ['sh', '-c', 'sleep 5'] : undefined,
    imagePullPolicy: c.imagePullPolicy,
    security: c.security,
  };
}

function materializeVolume(scope: Construct, v: VolumeRecipe): PodVolume {
  switch (v.type) {
    case 'emptyDir':
      return PodVolume.emptyDir(v.name, {
        medium: v.memory ? 'Memory' : undefined,
        sizeLimit: v.sizeLimit !== undefined ? Size.mebibytes(v.sizeLimit) : undefined,
      });
    case 'configMap':
      return PodVolume.configMap(v.name, v.source, { items: v.items ? { a: 'a.txt' } : undefined, optional: v.optional || undefined });
    case 'secret':
      return PodVolume.secret(v.name, v.source, { optional: v.optional || undefined });
    case 'hostPath':
      return PodVolume.hostPath(v.name, v.path);
    case 'claim':
      return PodVolume.persistentClaim(v.name, v.claim);
    case 'downwardApi':
      return PodVolume.downwardApi(v.name, { labels: 'metadata.labels' });
    default:
      return PodVolume.fromPlus(
        kplus.Volume.fromConfigMap(scope, uid('plus-volume'), kplus.ConfigMap.fromConfigMapName(scope, uid('plus-cm'), 'cfg'), {
          name: v.name,
        }),
      );
  }
}

export function podSecurityOf(level: string | undefined): PodSecurity | undefined {
  switch (level) {
    case 'restricted':
      return PodSecurity.restricted();
    case 'baseline':
      return PodSecurity.baseline('the image starts as root');
    case 'baseline-no-reason':
      return PodSecurity.baseline('');
    case 'privileged':
      return PodSecurity.privileged('node access');
    default:
      return undefined;
  }
}

/**
 * `PodSpecProps` from a recipe. Valid-mode mounts pick among the pod's volumes and `extraVolumes`
 * (claim templates, host paths) by index.
 */
export function materializePod(scope: Construct, p: PodRecipe, extraVolumes: string[] = []): PodSpecProps {
  // every ServiceAccount is given by name, as cdk8s-plus imports it ('plus' is the chart's "bot")
  const serviceAccount =
    p.serviceAccount === undefined
      ? undefined
      : kplus.ServiceAccount.fromServiceAccountName(scope, uid('plus-sa'), p.serviceAccount === 'plus' ? 'bot' : p.serviceAccount);
  const volumeNames = [...p.volumes.map((v) => v.name), ...extraVolumes];
  return {
    containers: p.containers.map((c) => materializeContainer(scope, c, volumeNames)),
    initContainers: p.initContainers.map((c) => materializeContainer(scope, c, volumeNames)),
    volumes: p.volumes.map((v) => materializeVolume(scope, v)),
    podSecurity: podSecurityOf(p.podSecurity),
    serviceAccount,
    podLabels: p.podLabels,
    podAnnotations: p.podAnnotations,
    terminationGracePeriod: p.terminationGracePeriod !== undefined ? Duration.millis(p.terminationGracePeriod * 1000) : undefined,
    nodeSelector: p.nodeSelector,
    tolerations: p.tolerations,
    priorityClassName: p.priorityClassName,
  };
}

function addChartObjects(chart: Chart, c: ChartRecipe): void {
  if (c.configMap === 'raw')
    new ApiObject(chart, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1', b: '2' } } as any);
  if (c.configMap === 'plus') new kplus.ConfigMap(chart, 'cfg', { metadata: { name: 'cfg' }, data: { a: '1', b: '2' } });
  if (c.secret)
    new ApiObject(chart, 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 'x' } } as any);
  if (c.bot) new RbacServiceAccount(chart, 'bot', { name: 'bot' });
}

/** Fails unless `value` is free of undefined, null, NaN and infinities, at any depth. */
function expectClean(value: unknown, path = ''): void {
  if (value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value))) {
    throw new Error(`output has ${String(value)} at ${path || '(root)'}`);
  }
  if (Array.isArray(value)) value.forEach((v, i) => expectClean(v, `${path}[${i}]`));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value as object)) expectClean(v, path ? `${path}.${k}` : k);
}

/** How the cases of a run ended, per mode: the valid generators must mostly synthesize. */
export interface Outcomes {
  validSynthesized: number;
  validRejected: number;
  wildSynthesized: number;
  wildRejected: number;
  /** The first problems that rejected valid cases, to tune generators or find construct bugs. */
  readonly samples: string[];
}

/**
 * Runs `numRuns` generated cases: each builds a fresh app and chart (holding the objects of its chart
 * recipe), calls `build`, and synthesizes. A PatternError (at construction or synth) must list problems
 * naming a construct path, a field and a rule; any other error fails the property. Output must be
 * clean, every object must pass the strict schema, and validation run again on it must find nothing.
 */
export function checkConstruct<T>(arb: fc.Arbitrary<Case<T>>, build: (chart: Chart, input: T) => void, numRuns: number): Outcomes {
  const outcomes: Outcomes = { validSynthesized: 0, validRejected: 0, wildSynthesized: 0, wildRejected: 0, samples: [] };
  fc.assert(
    fc.property(arb, (c) => {
      const app = new App({ outdir: 'unused' });
      const chart = new Chart(app, 'c', { namespace: c.chart.namespace });
      let out: any[];
      try {
        addChartObjects(chart, c.chart);
        build(chart, c.props);
        out = Testing.synth(chart);
      } catch (e) {
        if (!(e instanceof PatternError)) throw e;
        if (e.problems.length === 0 || e.problems.some((p) => !p.path || !p.field || !p.rule))
          throw new Error(`malformed PatternError: ${e.message}`);
        if (c.valid) {
          outcomes.validRejected++;
          if (outcomes.samples.length < 5) outcomes.samples.push(`${e.message}\n    for ${JSON.stringify(c.props)}`);
        } else {
          outcomes.wildRejected++;
        }
        return;
      }
      expectClean(out);
      for (const o of out) {
        const problems = validateObject(o);
        if (problems === undefined || problems.length > 0)
          throw new Error(`${o.kind}/${o.metadata?.name}: ${JSON.stringify(problems ?? 'no schema')}`);
      }
      const again = validateObjects(
        app,
        renderApp(app).flatMap((r) => r.objects),
      );
      if (again.length > 0) throw new PatternError(again);
      if (c.valid) outcomes.validSynthesized++;
      else outcomes.wildSynthesized++;
    }),
    { numRuns },
  );
  return outcomes;
}

/** Asserts both outcomes were reached: most valid cases synthesize, most wild ones are rejected. */
export function expectBothOutcomes(o: Outcomes): void {
  if (process.env.SHOW_OUTCOMES) console.log(JSON.stringify(o, null, 1));
  const valid = o.validSynthesized + o.validRejected;
  const wild = o.wildSynthesized + o.wildRejected;
  if (o.validSynthesized < valid * 0.6)
    throw new Error(`only ${o.validSynthesized} of ${valid} valid cases synthesized; first problems:\n${o.samples.join('\n')}`);
  expect(o.wildRejected).toBeGreaterThan(wild * 0.3);
}
