/**
 * The rules app-wide validation applies at synth. Each has a stable id, used in problem reports
 * (`[service-selector]`) and to turn the rule off for one object with `Validation.suppress`.
 */
export enum ValidationRule {
  /** Every object matches the strict Kubernetes schema of its apiVersion/kind (or its CRD's schema): no unknown fields, right types, required fields. */
  SCHEMA = 'schema',
  /**
   * An apiVersion/kind with no built-in schema and no CustomResourceDefinition in the app: an error (with
   * "did you mean") in a built-in API group, else a warning unless strict.
   */
  UNKNOWN_KIND = 'unknown-kind',
  /** An API version removed from Kubernetes at or before the chart's `ClusterVersion` (e.g. policy/v1beta1 PodDisruptionBudget on 1.27); the replacement is named. */
  REMOVED_API = 'removed-api',
  /** Two objects with the same kind, namespace and name. */
  DUPLICATE = 'duplicate',
  /** Object names per kind (DNS-1123 subdomain or label, DNS-1035 label for Services, StatefulSet ≤ 52, CronJob ≤ 52); container, volume, port and env var names; unique Service ports. */
  NAME = 'name',
  /** Label keys and values in metadata, pod templates and selectors; annotation keys; selector operators. */
  LABELS = 'labels',
  /** A workload's selector is not empty and matches its pod template's labels. */
  WORKLOAD_SELECTOR = 'workload-selector',
  /** A Service's selector matches the pods of some workload in its namespace. */
  SERVICE_SELECTOR = 'service-selector',
  /** A StatefulSet's serviceName names a headless Service in its namespace that selects its pods. */
  STS_SERVICE = 'sts-service',
  /** Every volume mount names a volume of the pod or a claim template; every claim template is mounted. */
  MOUNTS = 'mounts',
  /** Pod specs the API server rejects: no containers, duplicate container or volume names, probes or hooks on init containers, a Job's restartPolicy. */
  POD_SPEC = 'pod-spec',
  /** ConfigMaps and Secrets a pod uses (volumes, envFrom, env, imagePullSecrets), and the keys it picks, exist in its namespace. */
  CONFIG_REFS = 'config-refs',
  /** A pod's ServiceAccount exists in its namespace. */
  SERVICE_ACCOUNT = 'service-account',
  /** A binding's role and ServiceAccount subjects exist. */
  BINDING_REFS = 'binding-refs',
  /** A PodDisruptionBudget's selector matches the pods of some workload in its namespace. */
  PDB_SELECTOR = 'pdb-selector',
  /** At most one PodDisruptionBudget selects a workload's pods (the eviction API refuses pods with several, so drains hang). */
  PDB_OVERLAP = 'pdb-overlap',
  /** Pod templates meet their Pod Security Standards level (restricted unless opted down with a reason), and the level their namespace enforces. */
  POD_SECURITY = 'pod-security',
  /** Every container states resource requests (unless `PatternDefaults.containerResources` is false). */
  RESOURCES = 'resources',
  /** No image without a tag or with `latest` (unless `PatternDefaults.allowLatestTag`). */
  IMAGE_TAG = 'image-tag',
  /**
   * What the Kubernetes 1.27 API server's own validation rejects beyond the schema (ValidatePodSpec,
   * ValidateService, ValidateJobSpec, ValidatePersistentVolumeClaimSpec, ValidateRoleBindingSubject,
   * ValidateCustomResourceDefinitionOpenAPISchema, ValidateAnnotationsSize...): port, user/group id and
   * file mode ranges, limits below requests, duplicate mount paths, escaping subPaths, empty access
   * modes, Indexed Job sizes, unnamed subjects, invalid CRD patterns, oversized annotations.
   */
  API_SERVER = 'api-server',
  /** A file read by cdk8s `Include` has a YAML syntax error or a duplicate key (reported at construction, with file and line). */
  INCLUDE_YAML = 'include-yaml',
  /** A pod mounts its ServiceAccount token only when a binding in the app grants that ServiceAccount API access. */
  TOKEN_AUTOMOUNT = 'token-automount',
  /**
   * A warning: a container behind a Service (the Service selects its pod and targets a port it declares)
   * has no readinessProbe, so it gets traffic before it can serve.
   */
  READINESS = 'readiness',
}

const IDS = new Set<string>(Object.values(ValidationRule));

/** Whether `id` is the id of a validation rule. */
export function isValidationRule(id: string): id is ValidationRule {
  return IDS.has(id);
}

/** Every rule id, in the order the rules run. */
export const VALIDATION_RULES: readonly ValidationRule[] = Object.values(ValidationRule);
