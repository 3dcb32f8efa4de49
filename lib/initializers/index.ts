// Initializers in three layers: init containers (ready-made steps, effective resources), admission
// configurations (InitializerConfiguration for 1.13, mutating/validating webhooks, the sidecar
// injector pattern), and synth-time initializers (PodInitializers and the stock initializers).
export * from './rules';
export * from './label-selector';
export * from './init-steps';
export { effectiveResources, EffectiveResources, PodSpecJson } from './effective-resources';
export * from './initializer-configuration';
export * from './webhook-client';
export * from './webhook';
export * from './sidecar-injector';
export { locatePodTemplate, PodTemplateLocation } from './pod-bearing';
export { PodMutation, ContainerTargets, AddInitContainerOptions } from './pod-mutation';
export * from './pod-initializer';
export * from './pod-initializers';
export * from './sidecar';
export * from './lxcfs';
export * from './pod-preset';
export * from './pod-info-env';
