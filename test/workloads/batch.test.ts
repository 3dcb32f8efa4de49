import { Chart, Cron, Duration, Testing } from 'cdk8s';
import { ConcurrencyPolicy, RestartPolicy } from 'cdk8s-plus-27';
import { PatternError } from '../../lib/core/errors';
import { BatchJob, BatchJobProps, CompletionMode } from '../../lib/workloads/batch-job';
import { scheduleProblem } from '../../lib/workloads/cron-schedule';
import { ScheduledJob, ScheduledJobProps } from '../../lib/workloads/scheduled-job';
import { addHelloCronJob } from '../../apps/hello-cronjob';
import { addPiJob } from '../../apps/pi-job';
import { byKind, expectValidManifests, synthExample } from '../util';

const container = { name: 'work', image: 'busybox:1.36', command: ['true'], security: { runAsUser: 65534 } };

function buildJob(props: Partial<BatchJobProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  new BatchJob(chart, 'job', { containers: [container], ...props });
  return Testing.synth(chart);
}

function buildCron(props: Partial<ScheduledJobProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  new ScheduledJob(chart, 'cron', { schedule: '0 3 * * *', containers: [container], ...props });
  return Testing.synth(chart);
}

describe('BatchJob', () => {
  test('defaults: restartPolicy Never, no selector (the Job controller generates it), labelled pods', () => {
    const m = buildJob();
    expect(m.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual(['batch/v1/Job']);
    const job = m[0];
    expect(job.metadata.name).toBe('job');
    expect(Object.keys(job.spec)).toEqual(['template']);
    expect(job.spec.template.metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': 'job' }));
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expectValidManifests(m);
  });

  test('parallelism, completions, completionMode, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, OnFailure', () => {
    const m = buildJob({
      parallelism: 3,
      completions: 6,
      completionMode: CompletionMode.INDEXED,
      backoffLimit: 2,
      activeDeadline: Duration.minutes(10),
      ttlAfterFinished: Duration.hours(1),
      restartPolicy: RestartPolicy.ON_FAILURE,
    });
    const spec = m[0].spec;
    expect(spec).toEqual(
      expect.objectContaining({
        parallelism: 3,
        completions: 6,
        completionMode: 'Indexed',
        backoffLimit: 2,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 3600,
      }),
    );
    expect(spec.template.spec.restartPolicy).toBe('OnFailure');
    expectValidManifests(m);
  });

  test('a work queue: parallelism without completions', () => {
    const spec = buildJob({ parallelism: 4 })[0].spec;
    expect(spec.parallelism).toBe(4);
    expect(spec.completions).toBeUndefined();
  });
});

describe('ScheduledJob', () => {
  test('batch/v1 CronJob with the Job settings in its jobTemplate', () => {
    const m = buildCron({
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.minutes(2),
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 2,
      suspend: true,
      backoffLimit: 1,
      ttlAfterFinished: Duration.days(1),
    });
    const cron = m[0];
    expect(`${cron.apiVersion}/${cron.kind}`).toBe('batch/v1/CronJob');
    expect(cron.spec).toEqual(
      expect.objectContaining({
        schedule: '0 3 * * *',
        timeZone: 'Europe/Berlin',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 120,
        successfulJobsHistoryLimit: 5,
        failedJobsHistoryLimit: 2,
        suspend: true,
      }),
    );
    expect(cron.spec.jobTemplate.spec).toEqual(expect.objectContaining({ backoffLimit: 1, ttlSecondsAfterFinished: 86400 }));
    expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
    expectValidManifests(m);
  });

  test('a cdk8s Cron, descriptors; no noise for defaults', () => {
    expect(buildCron({ schedule: Cron.daily() })[0].spec.schedule).toBe('0 0 * * *');
    expect(buildCron({ schedule: Cron.schedule({ minute: '*/15', weekDay: 'MON-FRI' }) })[0].spec.schedule).toBe('*/15 * * * MON-FRI');
    const spec = buildCron({ schedule: '@hourly' })[0].spec;
    expect(spec.schedule).toBe('@hourly');
    expect(Object.keys(spec).sort()).toEqual(['jobTemplate', 'schedule']);
  });

  test('schedule syntax (five fields, lists, ranges, steps, names)', () => {
    for (const ok of ['*/1 * * * *', '0,30 8-18/2 * JAN-jun mon-FRI', '5/15 * 1,15 * ?', '59 23 31 12 6', '@yearly']) {
      expect([ok, scheduleProblem(ok)]).toEqual([ok, undefined]);
    }
  });
});

describe('BatchJob and ScheduledJob bad input', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'restartPolicy Always',
      () => buildJob({ restartPolicy: RestartPolicy.ALWAYS }),
      /test\/job.*restartPolicy: must be Never or OnFailure for a Job \(got Always\)/,
    ],
    [
      'Indexed without completions',
      () => buildJob({ completionMode: CompletionMode.INDEXED }),
      /completions: is required with CompletionMode\.INDEXED/,
    ],
    ['negative parallelism', () => buildJob({ parallelism: -1 }), /parallelism: must be a non-negative integer \(got -1\)/],
    ['fractional backoffLimit', () => buildJob({ backoffLimit: 1.5 }), /backoffLimit: must be a non-negative integer \(got 1\.5\)/],
    ['activeDeadline of 0', () => buildJob({ activeDeadline: Duration.seconds(0) }), /activeDeadline: must be at least 1s \(got 0s\)/],
    ['fractional ttl', () => buildJob({ ttlAfterFinished: Duration.millis(500) }), /ttlAfterFinished: must be a whole number of seconds/],
    ['Job name over 63', () => buildJob({ name: 'j'.repeat(64) }), /name: "j{64}" is 64 characters, more than 63.*job-name/],
    [
      'restartPolicy Always in a CronJob',
      () => buildCron({ restartPolicy: RestartPolicy.ALWAYS }),
      /test\/cron.*restartPolicy: must be Never or OnFailure/,
    ],
    ['CronJob name over 52', () => buildCron({ name: 'c'.repeat(53) }), /name: "c{53}" is 53 characters, more than 52.*11 characters/],
    [
      'four-field schedule',
      () => buildCron({ schedule: '* * * *' }),
      /test\/cron.*schedule: "\* \* \* \*" has 4 fields; a schedule has five/,
    ],
    ['six-field schedule', () => buildCron({ schedule: '0 * * * * *' }), /schedule: .* has 6 fields/],
    ['minute 60', () => buildCron({ schedule: '60 * * * *' }), /schedule: "60 \* \* \* \*": minute "60" is outside 0-59/],
    ['day of week 7', () => buildCron({ schedule: '0 0 * * 7' }), /day of week "7" is outside 0-6/],
    ['step 0', () => buildCron({ schedule: '*/0 * * * *' }), /minute "\*\/0" has an invalid step/],
    ['reversed range', () => buildCron({ schedule: '0 18-8 * * *' }), /hour "18-8" is an empty range/],
    ['unknown month name', () => buildCron({ schedule: '0 0 1 JANUARY *' }), /month "JANUARY" is not a value, range or list/],
    [
      'TZ in the schedule',
      () => buildCron({ schedule: 'TZ=Europe/Berlin 0 3 * * *' }),
      /schedule: must not set TZ= or CRON_TZ=.*use timeZone/,
    ],
    ['unknown descriptor', () => buildCron({ schedule: '@fortnightly' }), /schedule: "@fortnightly" is not a known descriptor/],
    ['unknown time zone', () => buildCron({ timeZone: 'Mars/Olympus' }), /timeZone: "Mars\/Olympus" is not an IANA time zone name/],
    ['time zone Local', () => buildCron({ timeZone: 'Local' }), /timeZone: "Local" is not an IANA time zone name/],
    ['lower-case time zone', () => buildCron({ timeZone: 'europe/berlin' }), /timeZone: "europe\/berlin" is not an IANA time zone name/],
    ['negative history limit', () => buildCron({ failedJobsHistoryLimit: -1 }), /failedJobsHistoryLimit: must be a non-negative integer/],
    [
      'bad container image in the job template',
      () => buildCron({ containers: [{ ...container, image: 'busybox' }] }),
      /test\/cron.*containers\[0\]\.image: "busybox" has no tag/,
    ],
  ];
  test.each(cases)('%s', (_name, fn, message) => {
    expect(fn).toThrow(PatternError);
    expect(fn).toThrow(message);
  });
});

describe('batch examples', () => {
  test('pi Job (seed 001), corrected', () => {
    const m = synthExample(addPiJob);
    const job = byKind(m, 'Job')[0];
    expect(job.metadata.name).toBe('pi');
    expect(job.spec).toEqual(expect.objectContaining({ parallelism: 2, completions: 4, backoffLimit: 4, activeDeadlineSeconds: 100 }));
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0].name).toBe('pi');
    expectValidManifests(m);
  });

  test('hello CronJob (seed 001), corrected to batch/v1', () => {
    const m = synthExample(addHelloCronJob);
    const cron = m[0];
    expect(`${cron.apiVersion}/${cron.kind}`).toBe('batch/v1/CronJob');
    expect(cron.metadata.name).toBe('hello');
    expect(cron.spec).toEqual(
      expect.objectContaining({ schedule: '*/1 * * * *', concurrencyPolicy: 'Allow', startingDeadlineSeconds: 200 }),
    );
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.containers[0].args).toEqual(['/bin/sh', '-c', 'date; echo hello from the kubernetes cluster']);
    expectValidManifests(m);
  });
});
