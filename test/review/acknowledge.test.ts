// Acknowledging findings: in code (an annotation on the after object) or with --ack.
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { ReleaseReview } from '../../lib';
import { folder, patch, pvc, review, statefulSet } from './helpers';

const bigger = (o: any) =>
  patch(o, {
    spec: {
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } },
      ],
    },
  });
const ack = (o: any, value: string) => patch(o, { metadata: { annotations: { 'cdk8s-patterns.io/acknowledge': value } } });

test('the annotation on the after object acknowledges its rule and the exit code is 0', () => {
  const r = review(
    [statefulSet()],
    [ack(bigger(statefulSet()), 'statefulset-spec-immutable=resized by hand, StatefulSet recreated with --cascade=orphan')],
  );
  const f = r.changes[0].findings.find((x) => x.rule === 'statefulset-spec-immutable')!;
  expect(f.acknowledged).toBe(true);
  expect(f.acknowledgement).toBe('resized by hand, StatefulSet recreated with --cascade=orphan');
  expect(r.summary.blocking).toBe(0);
  expect(r.exitCode).toBe(0);
});

test('a severity word acknowledges every finding of that severity; another rule does not', () => {
  expect(review([statefulSet()], [ack(bigger(statefulSet()), 'breaking=planned')]).exitCode).toBe(0);
  expect(review([statefulSet()], [ack(bigger(statefulSet()), 'data-loss=planned')]).exitCode).toBe(1);
});

test('the annotation on the BEFORE object acknowledges nothing', () => {
  expect(review([ack(statefulSet(), 'breaking=old')], [bigger(statefulSet())]).exitCode).toBe(1);
});

test('a removal is acknowledged by a targeted entry on any object of the after tree, or by --ack', () => {
  const other = statefulSet('cache', { spec: { volumeClaimTemplates: null } });
  expect(review([pvc('uploads'), other], [other]).exitCode).toBe(1);
  expect(review([pvc('uploads'), other], [ack(other, 'pvc-removed:PersistentVolumeClaim/uploads=moved to object storage')]).exitCode).toBe(
    0,
  );
  expect(review([pvc('uploads'), other], [other], ['pvc-removed:persistentvolumeclaim/shop/uploads']).exitCode).toBe(0);
  expect(review([pvc('uploads'), other], [other], ['data-loss']).exitCode).toBe(0);
  expect(review([pvc('uploads'), other], [other], ['pvc-removed:PersistentVolumeClaim/other']).exitCode).toBe(1);
});

test('an unknown rule in --ack is an input error', () => {
  expect(() => ReleaseReview.diffFolders(folder([]), folder([]), { acknowledgements: ['no-such-rule'] })).toThrow(/not a rule id/);
});

describe('ReleaseReview.acknowledge writes the annotation', () => {
  test('on every API object below the scope, one entry per line, without duplicates', () => {
    const app = new App();
    const chart = new Chart(app, 'shop');
    const sts = new ApiObject(chart, 'db', statefulSet());
    ReleaseReview.acknowledge(sts, 'statefulset-spec-immutable', 'claims resized by hand');
    ReleaseReview.acknowledge(sts, 'statefulset-spec-immutable', 'claims resized by hand');
    ReleaseReview.acknowledgeRemoval(chart, 'pvc-removed', 'PersistentVolumeClaim/uploads', 'moved to S3');
    const [obj] = Testing.synth(chart);
    expect(obj.metadata.annotations['cdk8s-patterns.io/acknowledge']).toBe(
      'statefulset-spec-immutable=claims resized by hand\npvc-removed:PersistentVolumeClaim/uploads=moved to S3',
    );
  });

  test('and the review honours what it wrote', () => {
    const app = new App();
    const chart = new Chart(app, 'shop');
    const sts = new ApiObject(chart, 'db', bigger(statefulSet()));
    ReleaseReview.acknowledge(sts, 'breaking', 'recreated with --cascade=orphan');
    const after = Testing.synth(chart);
    expect(review([statefulSet()], after).exitCode).toBe(0);
  });

  test('refuses an unknown rule, a missing reason and a bad target', () => {
    const chart = new Chart(new App(), 'shop');
    const sts = new ApiObject(chart, 'db', statefulSet());
    expect(() => ReleaseReview.acknowledge(sts, 'nope', 'x')).toThrow(/not a rule id/);
    expect(() => ReleaseReview.acknowledge(sts, 'data-loss', ' ')).toThrow(/needs a reason/);
    expect(() => ReleaseReview.acknowledgeRemoval(chart, 'pvc-removed', 'uploads', 'x')).toThrow(/<kind>\/<name>/);
  });
});
