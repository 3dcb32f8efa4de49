// Seed 001: the "hello" CronJob, corrected (batch/v1, name hello): every minute a busybox pod prints
// the date and a greeting; a run that cannot start within 200 seconds is skipped.
import { App, Chart, Duration } from 'cdk8s';
import { ConcurrencyPolicy, RestartPolicy } from 'cdk8s-plus-27';
import { ScheduledJob } from '../lib';

export function addHelloCronJob(app: App): ScheduledJob {
  const chart = new Chart(app, 'hello-cronjob');
  return new ScheduledJob(chart, 'hello', {
    schedule: '*/1 * * * *',
    concurrencyPolicy: ConcurrencyPolicy.ALLOW,
    startingDeadline: Duration.seconds(200),
    restartPolicy: RestartPolicy.ON_FAILURE,
    containers: [
      {
        name: 'hello',
        image: 'busybox:1.36',
        args: ['/bin/sh', '-c', 'date; echo hello from the kubernetes cluster'],
        security: { runAsUser: 65534 },
      },
    ],
  });
}
