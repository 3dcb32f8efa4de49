import { ValidationRule } from './rule';

/** What a rule checks, why, and where the rule comes from: the rows of docs/RULES.md. */
export interface RuleDoc {
  readonly what: string;
  readonly why: string;
  /** The Kubernetes source (function of kubernetes release-1.27) or the library policy it follows. */
  readonly source: string;
  /** Whether the rule is this library's policy (the API server would accept the object). */
  readonly policy: boolean;
}

const K8S = 'kubernetes release-1.27';

/**
 * The one source of truth of the rules table: `scripts/generate-rules.ts` writes docs/RULES.md from it,
 * and a test checks that the file is fresh and that every `ValidationRule` has a row.
 */
export const RULE_DOCS: Record<ValidationRule, RuleDoc> = {
  [ValidationRule.SCHEMA]: {
    what: 'the strict schema of the apiVersion/kind: unknown fields (with did you mean), types, required fields, int32/int64 ranges, enums, quantities; custom resources against their CRD',
    why: 'kubectl apply (strict field validation) and the API server reject these; a typo would otherwise be dropped silently',
    source: `OpenAPI of ${K8S} (types: cdk8s-plus-27's jsii; formats and enums: kubernetes-models@4.3.1); apimachinery resource.ParseQuantity`,
    policy: false,
  },
  [ValidationRule.UNKNOWN_KIND]: {
    what: 'an apiVersion/kind with no schema: in a built-in API group an error with did you mean; in another group a warning, unless a CRD of the app covers it (error with strict)',
    why: 'the API server has no such kind; a misspelled kind would fail at apply',
    source: `API groups of ${K8S}`,
    policy: false,
  },
  [ValidationRule.REMOVED_API]: {
    what: "an API version removed at or before the chart's ClusterVersion (policy/v1beta1 PodDisruptionBudget, extensions/v1beta1 Ingress...), with the replacement",
    why: 'the API server no longer serves it: apply fails with "no matches for kind"',
    source: 'Kubernetes deprecated API migration guide (kubernetes.io/docs/reference/using-api/deprecation-guide)',
    policy: false,
  },
  [ValidationRule.DUPLICATE]: {
    what: 'two objects with the same kind, namespace and name',
    why: 'the second apply overwrites the first',
    source: 'registry keys (generic registry Store)',
    policy: false,
  },
  [ValidationRule.NAME]: {
    what: 'object names per kind, container/volume/port/env var names, Service port names and numbers',
    why: 'the API server rejects invalid names',
    source: `ValidateObjectMeta name functions (ValidateDNS1123Subdomain, ValidateDNS1035Label, ValidateRBACName...), validateContainerPorts, ValidateService (${K8S})`,
    policy: false,
  },
  [ValidationRule.LABELS]: {
    what: 'label keys and values in metadata, pod templates and selectors; annotation keys; selector operators',
    why: 'the API server rejects them',
    source: `apimachinery ValidateLabels, ValidateAnnotations, ValidateLabelSelector (${K8S})`,
    policy: false,
  },
  [ValidationRule.WORKLOAD_SELECTOR]: {
    what: "a controller's selector is not empty and matches its pod template; Jobs set one only with manualSelector",
    why: 'the API server rejects a selector that does not match the template',
    source: `ValidateDeploymentSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec, ValidateJobSpec (${K8S})`,
    policy: false,
  },
  [ValidationRule.SERVICE_SELECTOR]: {
    what: "a Service's selector matches the pods of some workload in its namespace",
    why: 'otherwise the Service has no endpoints',
    source: 'library policy',
    policy: true,
  },
  [ValidationRule.STS_SERVICE]: {
    what: "a StatefulSet's serviceName is a headless Service in its namespace that selects its pods",
    why: 'otherwise the pods get no stable DNS names',
    source: 'library policy',
    policy: true,
  },
  [ValidationRule.MOUNTS]: {
    what: 'every volume mount names a volume or claim template; every claim template is mounted',
    why: 'the API server rejects a mount of no volume; an unmounted claim is a volume nobody uses',
    source: `ValidateVolumeMounts (${K8S}); unmounted claims: library policy`,
    policy: false,
  },
  [ValidationRule.POD_SPEC]: {
    what: 'at least one container, images set, unique container and volume names, no probes or hooks on init containers, a restartPolicy the controller accepts',
    why: 'the API server rejects these pod specs',
    source: `ValidatePodSpec, validateInitContainers, ValidatePodTemplateSpec of the controllers (${K8S})`,
    policy: false,
  },
  [ValidationRule.API_SERVER]: {
    what: 'ports 1-65535, user/group ids 0-2147483647, file modes 0-0777, limits not below requests, unique mount paths, subPaths without "..", claim access modes and size, Indexed Job sizes <= 100000, named subjects, CRD patterns that compile, hostnames <= 63, annotations <= 256 KiB, non-negative replicas/timings/limits, probe thresholds, HPA replica bounds, PDBs with one of minAvailable/maxUnavailable',
    why: 'the API server rejects these values although the schema allows them',
    source: `ValidatePodSpec, ValidateSecurityContext, ValidateVolumes, ValidateVolumeMounts, ValidateResourceRequirements, ValidateService, ValidatePersistentVolumeClaimSpec, ValidateJobSpec, ValidateRoleBindingSubject, ValidateCustomResourceDefinitionOpenAPISchema, ValidateAnnotationsSize, ValidateNonnegativeField, validateProbe, ValidateHorizontalPodAutoscalerSpec, ValidatePodDisruptionBudgetSpec (${K8S})`,
    policy: false,
  },
  [ValidationRule.CONFIG_REFS]: {
    what: 'ConfigMaps and Secrets a pod uses exist in its namespace (unless optional), with the keys picked',
    why: 'otherwise the pods do not start',
    source: 'library policy (kubelet behaviour)',
    policy: true,
  },
  [ValidationRule.SERVICE_ACCOUNT]: {
    what: "a pod's ServiceAccount exists in its namespace",
    why: 'otherwise the ServiceAccount admission plugin rejects the pods',
    source: 'library policy (ServiceAccount admission)',
    policy: true,
  },
  [ValidationRule.BINDING_REFS]: {
    what: "a binding's role and ServiceAccount subjects exist; subject API groups and namespaces are right",
    why: 'otherwise the binding grants nothing',
    source: 'library policy',
    policy: true,
  },
  [ValidationRule.PDB_SELECTOR]: {
    what: 'a PodDisruptionBudget selects the pods of some workload in its namespace',
    why: 'otherwise it protects nothing',
    source: 'library policy',
    policy: true,
  },
  [ValidationRule.PDB_OVERLAP]: {
    what: 'at most one PodDisruptionBudget selects the pods of a workload',
    why: 'the eviction API refuses to evict a pod covered by several budgets, so node drains hang',
    source: 'EvictionREST.Create, pkg/registry/core/pod/storage/eviction.go',
    policy: false,
  },
  [ValidationRule.POD_SECURITY]: {
    what: 'each pod template meets its Pod Security Standards level and the level its namespace enforces',
    why: 'Pod Security admission rejects the pods otherwise',
    source: 'Pod Security Standards (k8s.io/pod-security-admission policy, v1.27)',
    policy: true,
  },
  [ValidationRule.RESOURCES]: {
    what: 'every container requests resources',
    why: 'scheduling without requests is guesswork',
    source: 'library policy (PatternDefaults.containerResources)',
    policy: true,
  },
  [ValidationRule.IMAGE_TAG]: {
    what: 'no untagged or latest image',
    why: 'what runs would change without a change in the app',
    source: 'library policy (PatternDefaults.allowLatestTag)',
    policy: true,
  },
  [ValidationRule.INCLUDE_YAML]: {
    what: 'a local file read by cdk8s Include has no YAML syntax error and no duplicate key (reported at construction with file and line)',
    why: 'cdk8s would otherwise read a silently different object',
    source: 'YAML 1.1 (the yaml package, as cdk8s parses); kubectl rejects duplicate keys',
    policy: false,
  },
  [ValidationRule.TOKEN_AUTOMOUNT]: {
    what: 'a pod mounts its ServiceAccount token only when a binding of the app grants that ServiceAccount access',
    why: 'a token nobody needs is an attack surface',
    source: 'library policy',
    policy: true,
  },
  [ValidationRule.READINESS]: {
    what: 'a warning: a container behind a Service (selector matches its pod, a port targets a port it declares, by name and protocol or number; a number no container declares: every app container) has no readinessProbe; not checked: Services without selector, headless Services with publishNotReadyAddresses, Job pods',
    why: 'without a readiness probe a pod is Ready when its containers start: the Service sends traffic before the container can serve, and while it cannot',
    source: `library policy, following FindPort (pkg/api/v1/pod/util.go) and podToEndpoint's ready = publishNotReadyAddresses || IsPodReady (pkg/controller/endpointslice/utils.go), ${K8S}`,
    policy: true,
  },
};

/**
 * Rule ids of problems that are not `ValidationRule`s: found at construction or while writing, they
 * cannot be suppressed (fix the input).
 */
export const OTHER_RULE_DOCS: Record<string, { readonly what: string; readonly where: string }> = {
  props: {
    what: "a construct's props (or a static factory's arguments) that it or the API server rejects",
    where: "construction, or the construct's checks at synth",
  },
  input: { what: 'a construct check that could not run on the values given (untyped JavaScript input)', where: 'synth' },
  'rbac/<risk>': {
    what: 'a grant crossing an RBAC guard rail (cluster-admin, secrets, escalation...) without `acceptRisks`',
    where: 'synth',
  },
  writable: { what: 'an object that cannot be rendered or written as YAML', where: 'synth' },
  output: { what: 'the output folder cannot be written', where: 'write' },
  'output-path': { what: 'output folders that overlap or escape their root', where: 'write' },
  'output-lock': { what: 'another synth holds the output folder', where: 'write' },
  'cdk8s-cli-output': { what: 'cdk8s.yaml points `output` at the folder PatternsApp writes', where: 'write' },
};

/** The rules table, as written to docs/RULES.md. */
export function renderRulesTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = (Object.values(ValidationRule) as ValidationRule[]).map((id) => {
    const d = RULE_DOCS[id];
    return `| \`${id}\` | ${d.policy ? 'policy' : 'API server'} | ${cell(d.what)} | ${cell(d.why)} | ${cell(d.source)} |`;
  });
  return [
    '# Validation rules',
    '',
    '<!-- Generated by `npm run gen:rules` from lib/validation/rule-docs.ts; do not edit by hand. -->',
    '',
    'Every check of synth-time validation, by rule id (`ValidationRule`). "API server" rules reject what the',
    'Kubernetes 1.27 API server rejects; "policy" rules are this library\'s own (the API server would accept the',
    'object). Turn a rule off for the objects below a scope with `Validation.suppress(scope, rule, reason)`.',
    '',
    '| id | kind | what | why | source |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    '## Other rule ids',
    '',
    'Problems found at construction or while writing carry these ids. They cannot be suppressed: fix the input.',
    '',
    '| id | what | found at |',
    '|---|---|---|',
    ...Object.entries(OTHER_RULE_DOCS).map(([id, d]) => `| \`${id}\` | ${cell(d.what)} | ${d.where} |`),
    '',
  ].join('\n');
}
