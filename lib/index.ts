// core
export * from './core/errors';
export * from './core/names';
export * from './core/defaults';
export * from './core/cluster-version';
export * from './core/manifest';
export * from './core/app';
export { addTransform, addAppCheck, IManifestTransform, IAppCheck, RenderedObject } from './core/pipeline';
export { addChecks } from './core/checks';
export { sizeToQuantity } from './core/quantity';
export { toYaml, toYamlStream } from './core/yaml';
export { OutputFolder, RecoveryReport, RecoverOptions } from './output/output-folder';
// pods
export * from './pod/container';
export * from './pod/volume';
export * from './pod/security';
export * from './pod/pod-template';
// workloads
export * from './workloads/service';
export * from './workloads/disruption-budget';
export * from './workloads/stateful-service';
export * from './workloads/rolling-update';
export * from './workloads/topology-spread';
export { AutoscalingOptions } from './workloads/autoscaler';
export { NodeAgentTolerations, daemonTolerations, CONTROL_PLANE_TOLERATIONS } from './workloads/tolerations';
export { NodeAffinitySpec, PreferredNodeTerm } from './workloads/affinity';
export * from './workloads/web-service';
export * from './workloads/node-agent';
export * from './workloads/batch-job';
export * from './workloads/scheduled-job';
// rbac
export * from './rbac';
// validation
export * from './validation';
// initializers
export * from './initializers';
