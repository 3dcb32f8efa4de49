// core
export * from './core/errors';
export * from './core/names';
export * from './core/defaults';
export * from './core/manifest';
export * from './core/app';
export { addTransform, addAppCheck, IManifestTransform, IAppCheck, RenderedObject } from './core/pipeline';
export { addChecks } from './core/checks';
export { sizeToQuantity } from './core/quantity';
export { toYaml, toYamlStream } from './core/yaml';
// pods
export * from './pod/container';
export * from './pod/volume';
export * from './pod/security';
export * from './pod/pod-template';
// workloads
export * from './workloads/service';
export * from './workloads/disruption-budget';
export * from './workloads/stateful-service';
// rbac
export * from './rbac/service-account';
