import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RestartPolicy } from 'cdk8s-plus-27';
import { fail } from '../core/errors';
import { Manifest } from '../core/manifest';
import { PodTemplate } from '../pod/pod-template';
import { checkInt, secondsOf } from './fields';
import { Workload, WorkloadProps } from './workload';

/** How a Job counts completions. @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode */
export enum CompletionMode {
  /** Done after `completions` successful pods, which are interchangeable. */
  NON_INDEXED = 'NonIndexed',
  /** Each pod gets an index 0..completions-1 (`JOB_COMPLETION_INDEX`); done when every index succeeded. */
  INDEXED = 'Indexed',
}

/** The Job settings shared by `BatchJob` and `ScheduledJob` (the CronJob's job template). */
export interface JobSpecProps extends WorkloadProps {
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
  checkInt(scope, 'parallelism', props.parallelism);
  checkInt(scope, 'completions', props.completions);
  checkInt(scope, 'backoffLimit', props.backoffLimit);
  secondsOf(scope, 'activeDeadline', props.activeDeadline, 1);
  secondsOf(scope, 'ttlAfterFinished', props.ttlAfterFinished);
  if (
    props.restartPolicy !== undefined &&
    props.restartPolicy !== RestartPolicy.NEVER &&
    props.restartPolicy !== RestartPolicy.ON_FAILURE
  ) {
    fail(
      scope,
      'restartPolicy',
      `must be Never or OnFailure for a Job (got ${props.restartPolicy})`,
      'a Job pod runs to completion; Never replaces a failed pod, OnFailure restarts its container',
    );
  }
  if (props.completionMode === CompletionMode.INDEXED && props.completions === undefined) {
    fail(scope, 'completions', 'is required with CompletionMode.INDEXED (it sets the range of indexes)');
  }
}

/** A Job's pod template for `props`: restartPolicy is always written (Jobs need Never or OnFailure). */
export function jobPodTemplate(owner: Construct, props: JobSpecProps): PodTemplate {
  return PodTemplate._create(owner, props, { restartPolicy: props.restartPolicy ?? RestartPolicy.NEVER });
}

/** The `spec` of a Job (or of a CronJob's `jobTemplate`). The Job controller generates the selector. */
export function renderJobSpec(props: JobSpecProps, pod: PodTemplate, labels: { [key: string]: string }): { [key: string]: any } {
  return {
    parallelism: props.parallelism,
    completions: props.completions,
    completionMode: props.completionMode,
    backoffLimit: props.backoffLimit,
    activeDeadlineSeconds: props.activeDeadline?.toSeconds(),
    ttlSecondsAfterFinished: props.ttlAfterFinished?.toSeconds(),
    template: pod._render(labels),
  };
}

/** Props of a `BatchJob`; its name is a DNS-1123 subdomain of at most 63 characters (pods carry it in the `job-name` label). */
export interface BatchJobProps extends JobSpecProps {}

/**
 * A run-to-completion Job: `completions` successful pods, `parallelism` at a time, retried up to
 * `backoffLimit` times within `activeDeadline`. Pods carry `selectorLabels`
 * (`app.kubernetes.io/name: <name>` by default); the Job controller generates the selector.
 */
export class BatchJob extends Workload {
  /** The pod template. */
  public readonly pod: PodTemplate;
  /** The Job. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id, props, 'batch', 'Job');
    checkJobProps(this, props);
    this.pod = jobPodTemplate(this, props);
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: this.name },
      render: () => ({ spec: renderJobSpec(props, this.pod, this.selectorLabels) }),
    });
  }
}
