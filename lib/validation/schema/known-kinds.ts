import { IConstruct } from 'constructs';
import { ConstructState } from '../../core/state';

/**
 * The schema of a custom resource kind the library knows without its CustomResourceDefinition in the
 * app (the prometheus-operator kinds of lib/monitoring): registered on the App by the construct that
 * renders such objects, and then used for every object of that apiVersion/kind in the app.
 */
export interface KnownKindSchema {
  /** e.g. `monitoring.coreos.com/v1`. */
  readonly apiVersion: string;
  /** e.g. `ServiceMonitor`. */
  readonly kind: string;
  /** The `openAPIV3Schema` the objects are checked against. */
  readonly schema: Record<string, unknown>;
  /** Where the schema comes from, for hints (project, version, file). */
  readonly source: string;
}

const known = new ConstructState<Map<string, KnownKindSchema>>();

/** Registers schemas for every object of their apiVersion/kind in the App of `scope` (idempotent). */
export function addKnownKindSchemas(scope: IConstruct, schemas: readonly KnownKindSchema[]): void {
  const map = known.getOrCreate(scope.node.root, () => new Map());
  for (const s of schemas) map.set(`${s.apiVersion}|${s.kind}`, s);
}

/** The known schemas of `app`, by `apiVersion|kind`. */
export function knownKindSchemasOf(app: IConstruct): ReadonlyMap<string, KnownKindSchema> {
  return known.get(app.node.root) ?? new Map();
}
