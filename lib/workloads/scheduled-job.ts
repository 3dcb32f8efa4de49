import { ApiObject, Cron, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ConcurrencyPolicy } from 'cdk8s-plus-27';
import { fail } from '../core/errors';
import { Manifest } from '../core/manifest';
import { PodTemplate } from '../pod/pod-template';
import { checkJobProps, jobPodTemplate, JobSpecProps, renderJobSpec } from './batch-job';
import { scheduleProblem } from './cron-schedule';
import { checkInt, secondsOf } from './fields';
import { Workload } from './workload';

/** Props of a `ScheduledJob`. */
export interface ScheduledJobProps extends JobSpecProps {
  /**
   * When to run: five cron fields (`"*\/5 * * * *"`: minute hour day-of-month month day-of-week),
   * a descriptor (`@hourly`, `@daily`...), or a cdk8s `Cron` (`Cron.daily()`).
   */
  readonly schedule: string | Cron;
  /** IANA time zone of the schedule (`Europe/Berlin`). @default - the kube-controller-manager's time zone */
  readonly timeZone?: string;
  /** What to do when a run is due while the previous one still runs. @default - Kubernetes' default (ConcurrencyPolicy.ALLOW) */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** A run that could not start within this time after it was due is skipped (counted as missed). @default - no deadline */
  readonly startingDeadline?: Duration;
  /** Finished successful Jobs kept. @default - Kubernetes' default (3) */
  readonly successfulJobsHistoryLimit?: number;
  /** Finished failed Jobs kept. @default - Kubernetes' default (1) */
  readonly failedJobsHistoryLimit?: number;
  /** Create no further Jobs (running ones continue). @default false */
  readonly suspend?: boolean;
}

// every segment of an IANA zone name starts with a capital (Go's LoadLocation is case-sensitive)
const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;

/**
 * A CronJob (batch/v1): runs a Job on a schedule. Job settings (parallelism, completions,
 * backoffLimit, restartPolicy...) are those of `BatchJob` and apply to every run.
 */
export class ScheduledJob extends Workload {
  /** The schedule as written into the CronJob (`schedule` given as a string, or a `Cron`'s expression). */
  public readonly scheduleExpression: string;
  /** The pod template of every run. */
  public readonly pod: PodTemplate;
  /** The CronJob. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id, props, 'batch', 'CronJob');
    this.scheduleExpression = typeof props.schedule === 'string' ? props.schedule.trim() : props.schedule?.expressionString;
    const why = scheduleProblem(this.scheduleExpression);
    if (why) fail(this, 'schedule', why);
    if (props.timeZone !== undefined && !isTimeZone(props.timeZone)) {
      fail(this, 'timeZone', `"${props.timeZone}" is not an IANA time zone name`, 'e.g. "Etc/UTC", "Europe/Berlin", "America/New_York"');
    }
    secondsOf(this, 'startingDeadline', props.startingDeadline);
    checkInt(this, 'successfulJobsHistoryLimit', props.successfulJobsHistoryLimit);
    checkInt(this, 'failedJobsHistoryLimit', props.failedJobsHistoryLimit);
    checkJobProps(this, props);
    this.pod = jobPodTemplate(this, props);
    this.apiObject = new Manifest(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: this.name },
      render: () => ({
        spec: {
          schedule: this.scheduleExpression,
          timeZone: props.timeZone,
          concurrencyPolicy: props.concurrencyPolicy,
          startingDeadlineSeconds: props.startingDeadline?.toSeconds(),
          successfulJobsHistoryLimit: props.successfulJobsHistoryLimit,
          failedJobsHistoryLimit: props.failedJobsHistoryLimit,
          suspend: props.suspend || undefined,
          jobTemplate: { spec: renderJobSpec(props, this.pod, this.selectorLabels) },
        },
      }),
    });
  }
}

/** True for a time zone name the API server (Go's tz database) accepts; `Local` is refused. */
function isTimeZone(zone: string): boolean {
  if (!ZONE_NAME.test(zone) || zone === 'Local') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
