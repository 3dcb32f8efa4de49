// Seed 001: the "pi" Job, corrected (restartPolicy Never, parallelism 2, completions 4): four pods
// compute pi to 2000 digits, two at a time, retried at most 4 times within 100 seconds.
import { App, Chart, Duration } from 'cdk8s';
import { RestartPolicy } from 'cdk8s-plus-27';
import { BatchJob } from '../lib';

export function addPiJob(app: App): BatchJob {
  const chart = new Chart(app, 'pi-job');
  return new BatchJob(chart, 'pi', {
    parallelism: 2,
    completions: 4,
    backoffLimit: 4,
    activeDeadline: Duration.seconds(100),
    restartPolicy: RestartPolicy.NEVER,
    containers: [
      {
        name: 'pi',
        image: 'perl:5.38',
        command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'],
        // the perl image runs as root; it needs no privileges, so run it as nobody
        security: { runAsUser: 65534 },
      },
    ],
  });
}
