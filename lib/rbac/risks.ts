/**
 * The RBAC guard rails. Each is a synth error unless the construct concerned accepts the risk
 * (`acceptRisks: [RbacRisk.WILDCARD]`), so every exception is visible in the code that makes it.
 * References to roles and subjects outside the app are allowed by declaring them external
 * (`RoleRef.externalClusterRole`, `Subject.externalServiceAccount`), not by a risk.
 */
export enum RbacRisk {
  /** `*` in verbs, resources, apiGroups or nonResourceURLs: grants everything, including what future versions add. */
  WILDCARD = 'wildcard',
  /** `resourceNames` together with `create` or `deletecollection`: such a rule can never match. */
  UNMATCHABLE_RESOURCE_NAMES = 'unmatchable-resource-names',
  /** The verbs `escalate`, `bind` and `impersonate`: they let a subject gain permissions it does not hold. */
  PRIVILEGE_ESCALATION = 'privilege-escalation',
  /** Binding the `cluster-admin` ClusterRole: full control of the cluster. */
  CLUSTER_ADMIN = 'cluster-admin',
}

/** The hint of a guard-rail problem. */
export function acceptHint(risk: RbacRisk): string {
  const name = Object.keys(RbacRisk).find((k) => (RbacRisk as any)[k] === risk);
  return `if this is deliberate, add acceptRisks: [RbacRisk.${name}] to this construct`;
}
