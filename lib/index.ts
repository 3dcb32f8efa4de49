// The public API of cdk8s-patterns, layer by layer (ARCHITECTURE.md). Everything exported here is
// documented in the README and API.md; nothing else is public. Keep it in step with api-report.txt.

// core: errors, warnings, cluster version
export { PatternError, Problem, ProblemDetails } from './core/errors';
export { Warnings, Warning } from './core/warnings';
export { ClusterVersion } from './core/cluster-version';
export { OptOut } from './core/opt-out';

// pod: the pod machinery every workload shares
export {
  ContainerSpec,
  ContainerPortSpec,
  VolumeMountSpec,
  EnvFromSpec,
  ContainerResourcesSpec,
  CpuResourcesSpec,
  SizeResourcesSpec,
  ContainerSecuritySpec,
} from './pod/container';
export { ContainerProbe } from './pod/probe';
export { PodVolume, EmptyDirOptions, KeyProjectionOptions, HostPathOptions, PersistentClaimOptions } from './pod/volume';
export { PodSecurity, PodSecurityLevel } from './pod/security';
export { TolerationSpec, TolerationOperator } from './pod/toleration';
export { PodTemplate, PodSpecProps } from './pod/pod-template';
export { NodeAffinitySpec, PreferredNodeTerm } from './pod/affinity';
export {
  PodSecurityContextSpec,
  PodDnsConfigSpec,
  DnsOptionSpec,
  HostAliasSpec,
  PodAffinityTermSpec,
  ReplicaSpread,
} from './pod/pod-settings';
export { IPodWorkload } from './pod/workload';
export { PatternDefaults, PatternDefaultsProps } from './pod/defaults';
export { ConfigRollout } from './pod/config-rollout';
export { PodResources, EffectiveResources } from './pod/effective-resources';

// validation and synth: app-wide checks, the app that writes safely
export { ValidationRule } from './validation/rule';
export { ExternalObjects } from './validation/policy';
export { ValidationOptions } from './validation/validation';
export { Validation } from './synth/validation';
export { PatternsApp, PatternsAppProps, ISynthLogger } from './synth/patterns-app';
export { OutputFolder, RecoverOptions, RecoveryReport } from './output/output-folder';

// rbac: least-privilege access that reads as sentences
export { RbacServiceAccount, RbacServiceAccountProps } from './rbac/service-account';
export { Verbs } from './rbac/verbs';
export { RbacResource, CustomResourceOptions, IResourceType } from './rbac/resource';
export { RbacRisk } from './rbac/risks';
export { Subject, SubjectKind, SubjectOrigin } from './rbac/subject';
export { RoleRef, RoleOrigin, IRbacRole } from './rbac/role-ref';
export { RbacRoleBase, RbacRoleBaseProps, RbacRole, RbacRoleProps, ResourceGrant } from './rbac/role';
export { RbacClusterRole, RbacClusterRoleProps, ClusterResourceGrant } from './rbac/cluster-role';
export {
  RbacBindingBase,
  RbacBindingProps,
  RbacRoleBinding,
  RbacRoleBindingProps,
  RbacClusterRoleBinding,
  RbacClusterRoleBindingProps,
} from './rbac/binding';
export { Access, AccessProps, Grant, VerbGrant } from './rbac/access';
export { PermissionReport, Permission, SubjectPermissions } from './rbac/report';
export { ControllerAccess, ControllerAccessProps } from './rbac/controller-access';
export { PolicyRuleSpec } from './rbac/policy-rule';

// crd: custom resource definitions and their schemas
export {
  JsonSchema,
  SchemaOptions,
  StringSchemaOptions,
  NumberSchemaOptions,
  ArraySchemaOptions,
  ObjectSchemaOptions,
} from './crd/json-schema';
export {
  CustomResourceDefinition,
  CustomResourceDefinitionProps,
  CrdScope,
  CrdNames,
  CrdVersion,
  PrinterColumn,
  PrinterColumnType,
} from './crd/custom-resource-definition';

// namespace
export { SecureNamespace, SecureNamespaceProps } from './namespace/secure-namespace';

// monitoring: prometheus-operator kinds (monitoring.coreos.com/v1)
export { Monitor, MonitorProps, MonitorEndpoint, MonitorScheme } from './monitoring/monitor';
export { MonitorSelector } from './monitoring/monitor-selector';
export { ServiceMonitor, ServiceMonitorProps } from './monitoring/service-monitor';
export { PodMonitor, PodMonitorProps } from './monitoring/pod-monitor';
export { PrometheusRule, PrometheusRuleProps, RuleGroup, AlertingRule, RecordingRule } from './monitoring/prometheus-rule';
export { Relabeling, RelabelAction } from './monitoring/relabeling';

// workloads: one construct per real-world shape
export { Workload, WorkloadProps } from './workloads/workload';
export { AppLabels } from './workloads/app-labels';
export { ServicePortSpec } from './workloads/service';
export { DisruptionBudget } from './workloads/disruption-budget';
export { CompanionOptions } from './workloads/companion';
export { AutoscalingOptions } from './workloads/autoscaler';
export {
  DeploymentUpdateStrategy,
  DeploymentRollingUpdateOptions,
  DaemonUpdateStrategy,
  DaemonRollingUpdateOptions,
} from './workloads/rolling-update';
export { TopologySpreadOptions } from './workloads/topology-spread';
export { NodeAgentTolerations, DaemonTolerations } from './workloads/tolerations';
export {
  StatefulService,
  StatefulServiceProps,
  ClaimTemplateSpec,
  StatefulUpdateStrategy,
  StatefulRollingUpdateOptions,
  ClaimRetentionPolicy,
  ClaimRetention,
  ReadServiceOptions,
  MountClaimOptions,
} from './workloads/stateful-service';
export { WebService, WebServiceProps, WebServiceServiceOptions } from './workloads/web-service';
export { NetworkPolicyOptions } from './workloads/network-policy';
export { NodeAgent, NodeAgentProps, HostPathMountSpec } from './workloads/node-agent';
export { MetricsOptions, MetricsVia } from './workloads/metrics';
export { BatchJob, BatchJobProps, JobSpecProps, CompletionMode } from './workloads/batch-job';
export { ScheduledJob, ScheduledJobProps } from './workloads/scheduled-job';
export { BarePod, BarePodProps } from './workloads/bare-pod';
export { BareService, BareServiceProps } from './workloads/bare-service';
export { BareDisruptionBudget, BareDisruptionBudgetProps } from './workloads/bare-disruption-budget';

// initializers: init containers, admission configurations, synth-time initializers
export { LabelSelectorOperator, LabelRequirement, LabelSelectorSpec } from './initializers/label-selector';
export { ResourceRule } from './initializers/rules';
export {
  InitStep,
  InitStepBaseOptions,
  InitStepOptions,
  WaitOptions,
  CopyFilesOptions,
  GeneratedFile,
  ConfigFromOrdinalOptions,
  RunOnceOptions,
} from './initializers/init-steps';

export { InitializerConfiguration, InitializerConfigurationProps, InitializerSpec } from './initializers/initializer-configuration';
export { WebhookClientConfig, WebhookServiceOptions, CaBundle } from './initializers/webhook-client';
export {
  WebhookOperation,
  WebhookScope,
  FailurePolicy,
  MatchPolicy,
  SideEffects,
  ReinvocationPolicy,
  WebhookRule,
  WebhookSpec,
  MutatingWebhookSpec,
  WebhookConfigurationProps,
  MutatingWebhookProps,
  ValidatingWebhookProps,
  MutatingWebhook,
  ValidatingWebhook,
  WebhookConfiguration,
} from './initializers/webhook';
export { SidecarInjector, SidecarInjectorProps } from './initializers/sidecar-injector';
export { PodMutation, ContainerTargets, AddInitContainerOptions } from './initializers/pod-mutation';
export { PodInitializer, PodInitializerMatch, PodInitializerOptions, PodInitializerProps, PodTarget } from './initializers/pod-initializer';
export { PodInitializers, PodInitializersProps } from './initializers/pod-initializers';
export { SidecarTemplate, SidecarTemplateProps, SidecarInitializer, SidecarInitializerProps } from './initializers/sidecar';
export { LxcfsInitializer, LxcfsInitializerProps } from './initializers/lxcfs';
export { PodPresetInitializer, PodPresetInitializerProps } from './initializers/pod-preset';
export { PodInfoEnvInitializer, PodInfoEnvInitializerProps } from './initializers/pod-info-env';
export { PodHardeningInitializer, PodHardeningInitializerProps } from './initializers/pod-hardening';

// review: what a change between two synthesized trees will do, and what they look like
export {
  ChangeSeverity,
  ChangeType,
  DiffOptions,
  FieldChange,
  Finding,
  ObjectChange,
  ReviewReport,
  ReviewSummary,
  RuleInfo,
} from './review/types';
export { ReleaseReview } from './review/release-review';
export { TopologyEdge, TopologyGraph, TopologyNode } from './review/topology-graph';
