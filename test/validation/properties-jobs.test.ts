import { Cron, Duration } from 'cdk8s';
import { ConcurrencyPolicy, RestartPolicy } from 'cdk8s-plus-27';
import fc from 'fast-check';
import { BatchJob, CompletionMode, ScheduledJob } from '../../lib';
import { cases, checkConstruct, expectBothOutcomes, Gen, materializePod, RUNS } from './properties';

const duration = (seconds: number | undefined) => (seconds !== undefined ? Duration.millis(seconds * 1000) : undefined);

const jobProps = (g: Gen) =>
  fc
    .record({
      pod: g.pod(),
      name: g.optional(g.name),
      parallelism: g.optional(g.count),
      completions: g.optional(g.count),
      completionMode: g.optional(fc.constantFrom(CompletionMode.INDEXED, CompletionMode.NON_INDEXED)),
      backoffLimit: g.optional(g.pick([0, 3, 6], [-1])),
      activeDeadline: g.optional(g.pick([60, 3600], [0, 0.5])),
      ttlAfterFinished: g.optional(g.pick([0, 100], [1.5])),
      restartPolicy: g.optional(g.pick([RestartPolicy.NEVER, RestartPolicy.ON_FAILURE], [RestartPolicy.ALWAYS])),
    })
    .map((p) => (g.valid && p.completionMode === CompletionMode.INDEXED && p.completions === undefined ? { ...p, completions: 3 } : p)); // indexes need a range
type JobRecipe = typeof jobProps extends (g: Gen) => fc.Arbitrary<infer T> ? T : never;

function jobSpec(chart: Parameters<typeof materializePod>[0], p: JobRecipe) {
  return {
    ...materializePod(chart, p.pod),
    name: p.name,
    parallelism: p.parallelism,
    completions: p.completions,
    completionMode: p.completionMode,
    backoffLimit: p.backoffLimit,
    activeDeadline: duration(p.activeDeadline),
    ttlAfterFinished: duration(p.ttlAfterFinished),
    restartPolicy: p.restartPolicy,
  };
}

test(`BatchJob: ${RUNS.batchJob} generated prop sets raise PatternError or synthesize valid output`, () => {
  const outcomes = checkConstruct(
    cases(jobProps),
    (chart, p) => {
      new BatchJob(chart, 'job', jobSpec(chart, p));
    },
    RUNS.batchJob,
  );
  expectBothOutcomes(outcomes);
});

const scheduledProps = (g: Gen) =>
  fc.record({
    job: jobProps(g),
    schedule: g.pick<string | Cron>(['*/5 * * * *', '0 3 * * 1-5', Cron.daily(), '@hourly'], ['61 * * * *', 'daily', '* * * *', '']),
    timeZone: g.optional(g.pick(['Europe/Berlin', 'UTC'], ['Mars/Base', 'CET+1'])),
    concurrencyPolicy: g.optional(fc.constantFrom(ConcurrencyPolicy.ALLOW, ConcurrencyPolicy.FORBID, ConcurrencyPolicy.REPLACE)),
    startingDeadline: g.optional(g.pick([10, 200], [1.5])),
    successfulJobsHistoryLimit: g.optional(g.count),
    failedJobsHistoryLimit: g.optional(g.count),
    suspend: g.optional(fc.boolean()),
  });

test(`ScheduledJob: ${RUNS.scheduledJob} generated prop sets raise PatternError or synthesize valid output`, () => {
  const outcomes = checkConstruct(
    cases(scheduledProps),
    (chart, p) => {
      new ScheduledJob(chart, 'cron', {
        ...jobSpec(chart, p.job),
        schedule: p.schedule,
        timeZone: p.timeZone,
        concurrencyPolicy: p.concurrencyPolicy,
        startingDeadline: duration(p.startingDeadline),
        successfulJobsHistoryLimit: p.successfulJobsHistoryLimit,
        failedJobsHistoryLimit: p.failedJobsHistoryLimit,
        suspend: p.suspend,
      });
    },
    RUNS.scheduledJob,
  );
  expectBothOutcomes(outcomes);
});
