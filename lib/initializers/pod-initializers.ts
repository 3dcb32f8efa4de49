import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PatternDefaults } from '../pod/defaults';
import { fail, PatternError, Problem, throwIfAny } from '../core/errors';
import { checkName, NameRule } from '../core/names';
import { Registry } from '../core/registry';
import { ConstructState } from '../core/state';
import { installPipeline } from '../synth/pipeline';
import { PodSecurityLevel } from '../pod/security';
import { locatePodTemplate, PodTemplateLocation } from '../pod/pod-bearing';
import { PodInitializer, PodTarget } from './pod-initializer';
import { PodMutation } from './pod-mutation';

/** Pod template annotation listing the synth-time initializers applied to it, in order, comma-separated. */
export const INITIALIZERS_APPLIED_ANNOTATION = 'initializers.cdk8s-patterns.io/applied';
/**
 * Opt-out annotation, on a workload or its pod template: `"true"` skips every synth-time initializer;
 * a comma-separated list skips the initializers or configurations named.
 */
export const INITIALIZERS_EXCLUDE_ANNOTATION = 'initializers.cdk8s-patterns.io/exclude';

/** Props of a `PodInitializers` configuration. */
export interface PodInitializersProps {
  /**
   * Configuration name (DNS-1123 subdomain). Configurations that apply to the same object run in
   * order of name, as Kubernetes orders InitializerConfigurations; initializers within one run in
   * the order given.
   * @default - the construct id
   */
  readonly name?: string;
  /** The initializers, in the order they run. @default - none (add them with `addInitializer`) */
  readonly initializers?: PodInitializer[];
}

/** The configurations created directly in a scope. */
const configsIn = new ConstructState<PodInitializers[]>();
/** Apps whose engine is installed. */
const engines = new ConstructState<boolean>();
/** On the root: bumped whenever a configuration is created in its tree, so that cached lists of configurations are recomputed. */
const generations = new ConstructState<number>();

/**
 * A named set of synth-time initializers. Created in an App or Chart, it applies to every pod
 * template of every API object below that scope — this library's constructs, cdk8s-plus ones, raw
 * `ApiObject`s and objects brought in by `Include` — in Pods, Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs, on every synth with no
 * further call.
 *
 * The engine is one manifest transform on the App: it runs on each object's final
 * JSON, after the object's own serializer, so it sees exactly what would be written whatever class
 * rendered it. It applies the configurations in order of name, records what it applied in the
 * `initializers.cdk8s-patterns.io/applied` annotation, honours `initializers.cdk8s-patterns.io/exclude`,
 * is idempotent, and turns any conflict into a `PatternError` naming both sources before anything is written.
 */
export class PodInitializers extends Construct {
  /** Pod template annotation listing the synth-time initializers applied to it, in order, comma-separated. */
  public static readonly APPLIED_ANNOTATION = INITIALIZERS_APPLIED_ANNOTATION;
  /**
   * Opt-out annotation, on a workload or its pod template: `"true"` skips every synth-time initializer;
   * a comma-separated list skips the initializers or configurations named.
   */
  public static readonly EXCLUDE_ANNOTATION = INITIALIZERS_EXCLUDE_ANNOTATION;

  /** The configuration name. */
  public readonly name: string;
  private readonly list: PodInitializer[] = [];

  constructor(scope: Construct, id: string, props: PodInitializersProps = {}) {
    super(scope, id);
    this.name = checkName(
      this,
      'name',
      props.name ?? id,
      NameRule.DNS_SUBDOMAIN,
      undefined,
      'configurations are ordered by this name; give a name such as "10-platform"',
    );
    for (const i of props.initializers ?? []) this.addInitializer(i);
    configsIn.getOrCreate(scope, () => []).push(this);
    generations.set(this.node.root, (generations.get(this.node.root) ?? 0) + 1);
    installEngine(App.of(this));
  }

  /** Adds an initializer, run after those already added. Its settings are checked now. */
  public addInitializer(initializer: PodInitializer): void {
    const field = `initializers[${this.list.length}]`;
    if (this.list.some((i) => i.name === initializer.name)) {
      fail(
        this,
        `${field}.name`,
        `initializer "${initializer.name}" is already in configuration "${this.name}"`,
        'an initializer that is listed twice runs twice (the pitfall of re-added initializers)',
      );
    }
    throwIfAny(initializer.check(field).map((p) => ({ path: this.node.path, ...p })));
    this.list.push(initializer);
  }

  /** The initializers, in the order they run. */
  public get initializers(): PodInitializer[] {
    return [...this.list];
  }
}

function installEngine(app: IConstruct): void {
  if (engines.get(app)) return;
  engines.set(app, true);
  Registry.addTransform(app, { order: 'initializers', transform: initialize });
  installPipeline(app);
}

const cache = new WeakMap<IConstruct, { generation: number; configs: PodInitializers[] }>();

/**
 * The configurations that apply at `scope` (its own and its ancestors'), in order of name; ties keep
 * the outermost first. Cached per scope: the engine asks for every pod-bearing object of a synth.
 */
function configurationsFor(scope: IConstruct, generation: number): PodInitializers[] {
  const hit = cache.get(scope);
  if (hit && hit.generation === generation) return hit.configs;
  const own = configsIn.get(scope) ?? [];
  const inherited = scope.node.scope ? configurationsFor(scope.node.scope, generation) : [];
  // a stable sort of the inherited list (already in order) followed by this scope's own
  const configs = own.length === 0 ? inherited : [...inherited, ...own].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  cache.set(scope, { generation, configs });
  return configs;
}

/** What initializers are asked about; taken again after each initializer ran, since it may change the annotations. */
function targetOf(loc: PodTemplateLocation, kind: string): PodTarget {
  return {
    group: loc.group,
    version: loc.version,
    resource: loc.resource,
    kind,
    labels: { ...(loc.template.metadata?.labels ?? {}) },
    annotations: { ...(loc.template.metadata?.annotations ?? {}) },
  };
}

function initialize(obj: ApiObject, json: any): any {
  const loc = locatePodTemplate(json);
  if (!loc) return json;
  const configs = configurationsFor(obj, generations.get(obj.node.root) ?? 0);
  if (configs.length === 0) return json;
  const object = `${json.kind}/${json.metadata?.name}`;
  const at = (p: Omit<Problem, 'path'>): Problem => ({ path: obj.node.path, object, ...p });
  const duplicate = configs.find((c, i) => i > 0 && configs[i - 1].name === c.name);
  if (duplicate) {
    throw new PatternError([
      at({
        field: 'metadata',
        rule: `two initializer configurations named "${duplicate.name}" apply (${configs
          .filter((c) => c.name === duplicate.name)
          .map((c) => c.node.path)
          .join(', ')}), so their order is undefined`,
      }),
    ]);
  }
  const templateAnnotations: { [key: string]: string } = loc.template.metadata?.annotations ?? {};
  const excluded = excludedNames(
    templateAnnotations[INITIALIZERS_EXCLUDE_ANNOTATION] ?? json.metadata?.annotations?.[INITIALIZERS_EXCLUDE_ANNOTATION],
  );
  if (excluded === 'all') return json;
  // the mutation is made on the first match only: most objects match no initializer
  let pod: PodMutation | undefined;
  let target = targetOf(loc, json.kind);
  const applied: string[] = [];
  for (const config of configs) {
    if (excluded.has(config.name)) continue;
    for (const initializer of config.initializers) {
      if (excluded.has(initializer.name) || !initializer.matches(target)) continue;
      pod ??= mutationOf(obj, json, loc, object);
      pod._begin(initializer.name, config.name);
      initializer.initialize(pod);
      applied.push(initializer.name);
      target = targetOf(loc, json.kind);
    }
  }
  if (!pod) return json;
  throwIfAny(pod._finish().map(at));
  const before = (templateAnnotations[INITIALIZERS_APPLIED_ANNOTATION] ?? '').split(',').filter((s) => s);
  const record = [...new Set([...before, ...applied])].join(',');
  ((loc.template.metadata ??= {}).annotations ??= {})[INITIALIZERS_APPLIED_ANNOTATION] = record;
  loc.sortKeys();
  return json;
}

function mutationOf(obj: ApiObject, json: any, loc: PodTemplateLocation, object: string): PodMutation {
  return PodMutation._create(loc, {
    object,
    defaultResources: PatternDefaults.containerResourcesOf(obj),
    defaultLevel: PatternDefaults.of(obj).podSecurity?.level ?? PodSecurityLevel.RESTRICTED,
    externalVolumes: json.kind === 'StatefulSet' ? (json.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata?.name) : [],
  });
}

function excludedNames(value: string | undefined): Set<string> | 'all' {
  if (value === undefined) return new Set();
  if (value.trim() === 'true') return 'all';
  return new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s),
  );
}
