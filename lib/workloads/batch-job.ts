import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RestartPolicy } from 'cdk8s-plus-27';
import { addChecks } from '../core/checks';
import { fail } from '../core/errors';
import { Manifest } from '../core/manifest';
import { checkObjectName, defaultName } from '../core/names';
import { PodSpecProps, PodTemplate } from '../pod/pod-template';
import { checkInt, checkPodSpecProps, secondsOf } from './fields';

/** How a Job counts completions. @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode */
export enum CompletionMode {
  /** Done after `completions` successful pods, which are interchangeable. */
  NON_INDEXED = 'NonIndexed',
  /** Each pod gets an index 0..completions-1 (`JOB_COMPLETION_INDEX`); done when every index succeeded. */
  INDEXED = 'Indexed',
}

/** The Job settings shared by `BatchJob` and `ScheduledJob` (the CronJob's job template). */
export interface JobSpecProps extends PodSpecProps {
  /** Pods running at once. @default - Kubernetes' default (1) */
  readonly parallelism?: number;
  /**
   * Successful pods needed. Unset with `parallelism` set makes a work queue: done when any pod
   * succeeds and the rest have ended.
   * @default - Kubernetes' default (1 when parallelism is unset)
   */
  readonly completions?: number;
  /** Requires `completions` when Indexed. @default - Kubernetes' default (CompletionMode.NON_INDEXED) */
  readonly completionMode?: CompletionMode;
  /** Retries before the Job is marked failed. @default - Kubernetes' default (6) */
  readonly backoffLimit?: number;
  /** Longest the Job may run, retries included, before it is terminated. @default - no limit */
  readonly activeDeadline?: Duration;
  /** Delete the finished Job (and its pods) this long after it ends. @default - kept until deleted */
  readonly ttlAfterFinished?: Duration;
  /**
   * `Never` (a failed pod is replaced by a new one, logs kept) or `OnFailure` (the container is
   * restarted in place). `Always` is not allowed for Jobs.
   * @default RestartPolicy.NEVER
   */
  readonly restartPolicy?: RestartPolicy;
}

/** Checks Job settings at construction; throws at `scope`. */
export function checkJobProps(scope: IConstruct, props: JobSpecProps): void {
  checkPodSpecProps(scope, props);
  checkInt(scope, 'parallelism', props.parallelism);
  checkInt(scope, 'completions', props.completions);
  checkInt(scope, 'backoffLimit', props.backoffLimit);
  secondsOf(scope, 'activeDeadline', props.activeDeadline, 1);
  secondsOf(scope, 'ttlAfterFinished', props.ttlAfterFinished);
  if (props.restartPolicy !== undefined && props.restartPolicy !== RestartPolicy.NEVER && props.restartPolicy !== RestartPolicy.ON_FAILURE) {
    fail(scope, 'restartPolicy', `must be Never or OnFailure for a Job (got ${props.restartPolicy})`,
      'a Job pod runs to completion; Never replaces a failed pod, OnFailure restarts its container');
  }
  if (props.completionMode === CompletionMode.INDEXED && props.completions === undefined) {
    fail(scope, 'completions', 'is required with CompletionMode.INDEXED (it sets the range of indexes)');
  }
}

/** A Job's pod template for `props`: restartPolicy is always written (Jobs need Never or OnFailure). */
export function jobPodTemplate(owner: Construct, props: JobSpecProps): PodTemplate {
  return new PodTemplate(owner, props, { restartPolicy: props.restartPolicy ?? RestartPolicy.NEVER });
}

/** The `spec` of a Job (or of a CronJob's `jobTemplate`). The Job controller generates the selector. */
export function renderJobSpec(props: JobSpecProps, pod: PodTemplate, labels: Record<string, string>): Record<string, unknown> {
  return {
    parallelism: props.parallelism,
    completions: props.completions,
    completionMode: props.completionMode,
    backoffLimit: props.backoffLimit,
    activeDeadlineSeconds: props.activeDeadline?.toSeconds(),
    ttlSecondsAfterFinished: props.ttlAfterFinished?.toSeconds(),
    template: pod.render(labels),
  };
}

/** Props of a `BatchJob`. */
export interface BatchJobProps extends JobSpecProps {
  /** Job name (DNS-1123 subdomain, ≤ 63 characters: pods carry it in the `job-name` label). @default - from the construct path */
  readonly name?: string;
}

/**
 * A run-to-completion Job: `completions` successful pods, `parallelism` at a time, retried up to
 * `backoffLimit` times within `activeDeadline`. Pods are labelled `app.kubernetes.io/name: <name>`.
 */
export class BatchJob extends Construct {
  /** The Job's name. */
  public readonly name: string;
  /** The pod template. */
  public readonly pod: PodTemplate;
  /** The Job object. */
  public readonly job: Manifest;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id);
    this.name = checkObjectName(this, 'name', props.name ?? defaultName(this), 'batch', 'Job');
    checkJobProps(this, props);
    this.pod = jobPodTemplate(this, props);
    this.job = new Manifest(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: this.name },
      render: () => ({ spec: renderJobSpec(props, this.pod, { 'app.kubernetes.io/name': this.name }) }),
    });
    addChecks(this, () => this.pod.check());
  }
}
