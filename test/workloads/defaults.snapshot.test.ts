// The cdk8s convention: each construct with the fewest props it accepts, synthesized and pinned in a
// snapshot, so a change to any default shows up in review as a snapshot diff. The behaviour behind
// each default is asserted field by field in the construct's own test file.
import { Chart, Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { BatchJob, NodeAgent, PodSecurity, ScheduledJob, StatefulService, WebService } from '../../lib';
import { expectValidManifests } from '../util';

const container = { name: 'main', image: 'registry.example.com/app:1.0', ports: [{ name: 'http', number: 8080 }] };

const constructs: Record<string, (scope: Construct) => unknown> = {
  WebService: (scope) => new WebService(scope, 'web', { containers: [container] }),
  StatefulService: (scope) =>
    new StatefulService(scope, 'db', {
      containers: [container],
      claims: [{ name: 'data', size: Size.gibibytes(1), mountPath: '/data' }],
    }),
  NodeAgent: (scope) => new NodeAgent(scope, 'agent', { podSecurity: PodSecurity.privileged('reads node logs'), containers: [container] }),
  BatchJob: (scope) => new BatchJob(scope, 'job', { containers: [container] }),
  ScheduledJob: (scope) => new ScheduledJob(scope, 'cron', { schedule: '0 3 * * *', containers: [container] }),
};

describe.each(Object.keys(constructs))('%s with minimal props', (name) => {
  test('synthesizes its defaults (snapshot) and passes the 1.27 schema', () => {
    const chart = new Chart(Testing.app(), 'test');
    constructs[name](chart);
    const manifests = Testing.synth(chart);
    expectValidManifests(manifests);
    expect(manifests).toMatchSnapshot();
  });
});
