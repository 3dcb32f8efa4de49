import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { labelValueViolation } from '../core/names';
import { OptOut } from '../core/opt-out';
import { LABEL_MANAGED_BY, LABEL_PART_OF, MANAGED_BY, setOutsideLabels } from '../core/recommended-labels';
import { ConstructState } from '../core/state';
import type { PodSecurity } from './security';
import { ContainerResourcesSpec, DEFAULT_RESOURCES } from './container';
import { checkWritablePaths, DEFAULT_WRITABLE_PATHS } from './writable-paths';

/** The file-system group of pods that mount claims and set neither `fsGroup` nor a `runAsGroup` above 0. */
export const DEFAULT_FS_GROUP = 1000;

/** Library-wide defaults; set them once on an App or Chart with `PatternDefaults.set`. */
export interface PatternDefaultsProps {
  /**
   * Requests (and limits) given to every container that states none of its own.
   * `false` turns the default off.
   * @default - requests of cpu 100m and memory 128Mi, no limits
   */
  readonly containerResources?: ContainerResourcesSpec | false;
  /**
   * Pod Security level of pod templates that do not choose one.
   * @default PodSecurity.restricted()
   */
  readonly podSecurity?: PodSecurity;
  /**
   * Accept images without a tag or with the `latest` tag.
   * @default false
   */
  readonly allowLatestTag?: boolean;
  /**
   * Policy findings (Pod Security level, requests, image tags, token automount) on objects the
   * library did not create — cdk8s-plus, L1 `k8s` classes, `ApiObject`, `Include` — are errors, as
   * on the library's own. Otherwise they are warnings, unless the namespace they land in enforces
   * the Pod Security level (a `SecureNamespace`, a Namespace with the enforce label, or one declared
   * with `Validation.external(scope, { namespacePodSecurity })`).
   * @default false
   */
  readonly enforcePolicyEverywhere?: boolean;
  /**
   * The recommended `app.kubernetes.io/*` labels (`name`, `instance`, `version`, `component`,
   * `part-of`, `managed-by`) on every object the library creates. `OptOut.because(...)` turns them off
   * (the reason is written on each workload's main object).
   * @default - on
   */
  readonly recommendedLabels?: OptOut;
  /**
   * The `app.kubernetes.io/part-of` label: the application the objects belong to.
   * @default - the chart's id, when it is a valid label value
   */
  readonly partOf?: string;
  /**
   * The PodDisruptionBudget every workload of two or more replicas gets by default
   * (`maxUnavailable: 1`). `OptOut.because(...)` turns the default off (the reason is written on each
   * workload's main object); a workload's own `budget` still applies. Read when a workload is
   * constructed, so set it on the App or Chart first.
   * @default - on
   */
  readonly disruptionBudgets?: OptOut;
  /**
   * Turns off the config rollout hashes (`checksum.cdk8s-patterns.io/...` pod template annotations
   * that roll a workload when a ConfigMap or Secret of the app it uses changes) below the scope, for
   * this reason; written as `opt-out.cdk8s-patterns.io/config-rollout` on each Deployment,
   * StatefulSet and DaemonSet of the library, and on each other one that uses a ConfigMap or Secret of
   * the app.
   * @default - on: changing a ConfigMap or Secret rolls the Deployments, StatefulSets and DaemonSets using it
   */
  readonly configRollouts?: OptOut;
  /**
   * Turns the read-only root filesystem off for every container that does not ask for it
   * (`security.readOnlyRootFilesystem: true`); the reason is written on each workload as the
   * annotation `opt-out.cdk8s-patterns.io/read-only-root-filesystem`.
   * @default - every container of the library's pod templates gets `readOnlyRootFilesystem: true`
   */
  readonly readOnlyRootFilesystem?: OptOut;
  /**
   * Absolute paths every container may write: each becomes an `emptyDir` mounted there (besides the
   * container's own `writablePaths`). `[]` gives containers no default writable path.
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];
  /**
   * The pod `fsGroup` given to pods that mount PersistentVolumeClaims (claim templates, claim volumes,
   * ephemeral volumes) and set no `securityContext.fsGroup`, so a non-root process can write a fresh
   * volume; a pod with a `runAsGroup` above 0 gets that group instead. `fsGroupChangePolicy` is
   * `OnRootMismatch` (on clusters of 1.20 and later).
   * `OptOut.because('why')` turns it off (the reason is written on each such workload as the
   * annotation `opt-out.cdk8s-patterns.io/fs-group`).
   * @default 1000
   */
  readonly fsGroup?: number | OptOut;
  /**
   * Labels put on every ServiceMonitor, PodMonitor and PrometheusRule, so the Prometheus' selectors
   * (`serviceMonitorSelector`, `podMonitorSelector`, `ruleSelector`) pick them up; kube-prometheus-stack
   * selects `release: <helm release name>`. A monitor's own `labels` win.
   * @default - none (a Prometheus whose selectors are `{}` picks up every monitor)
   */
  readonly monitorLabels?: { [key: string]: string };
  /**
   * The namespace Prometheus runs in: the network policies of workloads with `metrics` open the metrics
   * port to it.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Turns off the NetworkPolicy that StatefulService, WebService and NodeAgent create, for every
   * workload below the scope that does not set its own `networkPolicy` (set it before creating them);
   * the reason is written on each such workload's main object as `opt-out.cdk8s-patterns.io/network-policy`.
   * @default - every such workload gets a NetworkPolicy
   */
  readonly networkPolicies?: OptOut;
}

const own = new ConstructState<PatternDefaultsProps>();
/** The defaults in force per scope, as of `generation` (bumped by every `set`). */
const merged = new ConstructState<{ readonly generation: number; readonly props: PatternDefaultsProps }>();
let generation = 0;

/** The props that only turn a default off, so they take nothing but an `OptOut`. */
const OPT_OUT_ONLY = ['recommendedLabels', 'disruptionBudgets', 'configRollouts', 'readOnlyRootFilesystem', 'networkPolicies'] as const;

/**
 * Defaults that every construct below a scope reads at synth, so they are visible and changeable in
 * one place (a Chart's settings override its App's).
 */
export class PatternDefaults {
  /** Sets defaults for every construct below `scope` (an App, a Chart or any construct). */
  public static set(scope: IConstruct, props: PatternDefaultsProps): void {
    const partOfWhy = props.partOf !== undefined ? labelValueViolation(props.partOf) : undefined;
    if (partOfWhy) fail(scope, 'partOf', partOfWhy);
    for (const [field, value] of Object.entries(props)) if (OptOut.isOptOut(value)) value._check(scope, field);
    for (const p of checkWritablePaths(props.writablePaths, 'writablePaths')) fail(scope, p.field, p.rule, p.hint);
    const fsGroup = props.fsGroup;
    if (fsGroup !== undefined && !OptOut.isOptOut(fsGroup) && !(Number.isInteger(fsGroup) && fsGroup > 0 && fsGroup <= 2147483647)) {
      fail(scope, 'fsGroup', `${fsGroup} is not a group id from 1 to 2147483647`, "0 is the root group; or opt out: OptOut.because('why')");
    }
    for (const field of OPT_OUT_ONLY) {
      // from JavaScript a `false` would turn a default off without a reason
      if (props[field] !== undefined && !OptOut.isOptOut(props[field])) fail(scope, field, "must be an OptOut: OptOut.because('why')");
    }
    own.set(scope, { ...(own.get(scope) ?? {}), ...props });
    generation++;
  }

  /** The defaults in force at `scope`, innermost setting first. */
  public static of(scope: IConstruct): PatternDefaultsProps {
    // asked many times per object at synth; a scope's ancestors never change, so the merge holds until the next set()
    const known = merged.get(scope);
    if (known?.generation === generation) return known.props;
    let props: PatternDefaultsProps = {};
    for (const set of own.along(scope)) props = { ...props, ...set };
    merged.set(scope, { generation, props });
    return props;
  }

  /** The namespace Prometheus runs in at `scope`: `monitoringNamespace`, else `monitoring`. */
  public static monitoringNamespaceOf(scope: IConstruct): string {
    return PatternDefaults.of(scope).monitoringNamespace ?? 'monitoring';
  }

  /**
   * The library-wide recommended labels at `scope`: `managed-by` and `part-of` (`partOf`, else the
   * chart's id); undefined when `recommendedLabels` is opted out.
   */
  public static recommendedLabelsOf(scope: IConstruct): { [key: string]: string } | undefined {
    const defaults = PatternDefaults.of(scope);
    if (defaults.recommendedLabels) return undefined;
    const labels: { [key: string]: string } = { [LABEL_MANAGED_BY]: MANAGED_BY };
    const partOf = defaults.partOf ?? chartIdOf(scope);
    if (partOf !== undefined && !labelValueViolation(partOf)) labels[LABEL_PART_OF] = partOf;
    return labels;
  }

  /**
   * The requests (and limits) a container that states none gets at `scope`: `containerResources`,
   * else `DEFAULT_RESOURCES`; undefined when the default is turned off.
   */
  public static containerResourcesOf(scope: IConstruct): ContainerResourcesSpec | undefined {
    const resources = PatternDefaults.of(scope).containerResources;
    return resources === false ? undefined : (resources ?? DEFAULT_RESOURCES);
  }

  /** The paths every container may write at `scope`: `writablePaths`, else `['/tmp']`. */
  public static writablePathsOf(scope: IConstruct): string[] {
    return [...(PatternDefaults.of(scope).writablePaths ?? DEFAULT_WRITABLE_PATHS)];
  }
}

/** The id of the chart `scope` is in (the construct below the App), if any. */
function chartIdOf(scope: IConstruct): string | undefined {
  let chart: IConstruct | undefined;
  for (let s: IConstruct | undefined = scope; s?.node.scope; s = s.node.scope) chart = s;
  return chart?.node.id;
}

setOutsideLabels(PatternDefaults.recommendedLabelsOf);
