// Rename detection: a removed and an added object of the same kind with the same role is one rename.
import { ChangeType } from '../../lib';
import { deployment, patch, pvc, review, role, rulesOf, service, statefulSet } from './helpers';

test('a renamed StatefulSet (labels and serviceName follow the name) is a rename that loses its volumes', () => {
  const r = review([statefulSet('db')], [statefulSet('database')]);
  expect(r.changes.map((c) => [c.changeType, c.previousName, c.name])).toEqual([[ChangeType.RENAMED, 'db', 'database']]);
  expect(rulesOf(r)).toEqual(['renamed', 'statefulset-renamed']);
  expect(r.changes[0].findings[0].message).toContain('data-db-0…2');
  expect(r.exitCode).toBe(1);
});

test('a workload renamed with a new image is still a rename when selector and claims are the same role', () => {
  const before = deployment('web');
  const after = patch(deployment('frontend'), {
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'web:9' }] } },
    },
  });
  const r = review([before], [after]);
  expect(r.changes.map((c) => c.changeType)).toEqual([ChangeType.RENAMED]);
  expect(r.changes[0].fieldChanges.map((f) => f.path)).toContain('spec.template.spec.containers[name=main].image');
});

test('the same pod template under a new name and new labels is a rename', () => {
  const after = patch(deployment('web-v2'), {
    spec: { template: { spec: { containers: [{ name: 'main', image: 'web:1.0', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
  });
  const r = review([deployment('web')], [after]);
  expect(r.changes.map((c) => c.changeType)).toEqual([ChangeType.RENAMED]);
});

test('different roles are a removal and an addition, not a rename', () => {
  const r = review(
    [deployment('web')],
    [patch(deployment('api'), { spec: { template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } } } })],
  );
  expect(r.changes.map((c) => c.changeType).sort()).toEqual([ChangeType.ADDED, ChangeType.REMOVED]);
});

test('different kinds never pair', () => {
  const r = review([deployment('web')], [patch(deployment('web2'), { kind: 'ReplicaSet' })]);
  expect(r.changes.map((c) => c.changeType).sort()).toEqual([ChangeType.ADDED, ChangeType.REMOVED]);
});

test('a renamed claim and a renamed Service: the claim loses its data, the Service its DNS name', () => {
  const r = review([pvc('uploads'), service('web')], [pvc('files'), service('frontend', { spec: { selector: { app: 'web' } } })]);
  const byKind = Object.fromEntries(r.changes.map((c) => [c.kind, c]));
  expect(byKind.PersistentVolumeClaim.changeType).toBe(ChangeType.RENAMED);
  expect(byKind.PersistentVolumeClaim.findings.map((f) => f.rule)).toEqual(['pvc-removed', 'renamed']);
  expect(byKind.Service.changeType).toBe(ChangeType.RENAMED);
  expect(byKind.Service.findings[0].message).toContain('old DNS name');
});

test('with several candidates, each removed object pairs with its closest match', () => {
  const a = statefulSet('a', { spec: { replicas: 1 } });
  const b = statefulSet('b', { spec: { replicas: 5 } });
  const r = review([a, b], [statefulSet('a2', { spec: { replicas: 5 } }), statefulSet('b2', { spec: { replicas: 5 } })]);
  // both have the same pod template (names replaced): b (5 replicas) is closer to both, a takes the other
  const pairs = r.changes
    .filter((c) => c.changeType === ChangeType.RENAMED)
    .map((c) => `${c.previousName}->${c.name}`)
    .sort();
  expect(pairs).toHaveLength(2);
  expect(new Set(pairs.map((p) => p.split('->')[1]))).toEqual(new Set(['a2', 'b2']));
});

test('a role with the same rules under a new name is a rename and widens nothing', () => {
  const r = review([role('reader')], [role('pod-reader')]);
  expect(r.changes.map((c) => [c.changeType, c.severity])).toEqual([[ChangeType.RENAMED, 'info']]);
});

test('a move to another namespace is a rename (the old object is deleted)', () => {
  const r = review([statefulSet('db')], [patch(statefulSet('db'), { metadata: { namespace: 'shop2' } })]);
  expect(r.changes.map((c) => [c.changeType, c.previousNamespace, c.namespace])).toEqual([[ChangeType.RENAMED, 'shop', 'shop2']]);
  expect(rulesOf(r)).toContain('statefulset-renamed');
});

test('an object moved to another file is the same object', () => {
  const r = review({ 'a.k8s.yaml': [deployment('web')] }, { 'b.k8s.yaml': [deployment('web', { spec: { replicas: 3 } })] });
  expect(r.changes.map((c) => [c.changeType, c.previousFile, c.file])).toEqual([[ChangeType.CHANGED, 'a.k8s.yaml', 'b.k8s.yaml']]);
});
