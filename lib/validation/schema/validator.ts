// Compatibility re-exports for importers outside lib/validation/schema; import from the files below instead.
export { validateObject } from './built-in';
export { validateOpenApiV3 } from './openapi';
export { isKnownKind, knownKinds } from './table';
export type { K8sVersion } from './table';
export type { SchemaProblem } from './walk';
