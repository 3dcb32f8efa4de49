import { App, Chart, Testing } from 'cdk8s';
import { validateObject } from '../lib/validation/schema/built-in';
import { validateOpenApiV3 } from '../lib/validation/schema/openapi';

/** The schemas the library carries for custom kinds (prometheus-operator's), by `apiVersion/kind`. */
const bundled: Record<string, unknown> = require('../lib/monitoring/prometheus-operator-schemas.json').kinds;

/** Synthesizes an example (an `addXxx(app)` function) and returns every object of every chart it made. */
export function synthExample(add: (app: App) => unknown): any[] {
  const app = Testing.app();
  add(app);
  return app.node.children.filter((c): c is Chart => c instanceof Chart).flatMap((chart) => Testing.synth(chart));
}

/** The objects of one kind, in output order. */
export function byKind(manifests: any[], kind: string): any[] {
  return manifests.filter((m) => m.kind === kind);
}

/** Asserts that every object passes the strict Kubernetes schema (1.27 unless told), or the schema the library carries for its kind. */
export function expectValidManifests(manifests: any[], version: '1.27' | '1.13' = '1.27'): void {
  const problems = manifests.flatMap((m) => {
    const schema = bundled[`${m.apiVersion}/${m.kind}`];
    const found = schema ? validateOpenApiV3(m, schema) : validateObject(m, version);
    if (found === undefined) return [`${m.apiVersion}/${m.kind} ${m.metadata?.name}: no schema for this kind`];
    return found.map((p) => `${m.kind}/${m.metadata?.name}: ${p.path}: ${p.message}`);
  });
  expect(problems).toEqual([]);
}

const ADDED_LABELS = ['name', 'instance', 'managed-by', 'part-of', 'version', 'component'].map((k) => `app.kubernetes.io/${k}`);

/**
 * `metadata` without the recommended `app.kubernetes.io/*` labels (tests of other behaviour compare
 * whole metadata; test/workloads/app-labels.test.ts tests the labels).
 */
export function ownMetadata(metadata: any): any {
  if (!metadata?.labels) return metadata;
  const labels = Object.fromEntries(Object.entries(metadata.labels).filter(([k]) => !ADDED_LABELS.includes(k)));
  const { labels: _labels, ...rest } = metadata;
  return Object.keys(labels).length > 0 ? { ...rest, labels } : rest;
}
