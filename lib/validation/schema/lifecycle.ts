/**
 * API lifecycle: built-in API versions removed from Kubernetes, with their replacements, and the
 * built-in API groups. Written by hand from the Kubernetes deprecated API migration guide
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/, CC BY 4.0) and the 1.16/1.22/1.25
 * release notes; the type table cannot know them, since it holds only what 1.27 serves.
 */
import { compiledTable } from './table';

/** One removed apiVersion/kind. */
export interface RemovedApi {
  /** The minor version (1.x) that no longer serves it. */
  readonly removedIn: number;
  /** What to use instead (`apps/v1`), or a sentence when there is no replacement. */
  readonly replacement: string;
}

const R = (removedIn: number, replacement: string, ...keys: string[]): Array<[string, RemovedApi]> =>
  keys.map((k) => [k, { removedIn, replacement }]);

/** `apiVersion/kind` → removal. */
const REMOVED = new Map<string, RemovedApi>([
  ...R(
    14,
    'nothing (initializers were removed; use a mutating admission webhook)',
    'admissionregistration.k8s.io/v1alpha1/InitializerConfiguration',
  ),
  ...R(16, 'apps/v1', 'extensions/v1beta1/Deployment', 'extensions/v1beta1/DaemonSet', 'extensions/v1beta1/ReplicaSet'),
  ...R(16, 'networking.k8s.io/v1', 'extensions/v1beta1/NetworkPolicy'),
  ...R(16, 'policy/v1beta1', 'extensions/v1beta1/PodSecurityPolicy'),
  ...R(16, 'apps/v1', ...['Deployment', 'StatefulSet', 'ControllerRevision'].map((k) => `apps/v1beta1/${k}`)),
  ...R(16, 'apps/v1', ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'].map((k) => `apps/v1beta2/${k}`)),
  ...R(20, 'nothing (PodPreset was removed; use a mutating admission webhook)', 'settings.k8s.io/v1alpha1/PodPreset'),
  ...R(22, 'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration'),
  ...R(22, 'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration'),
  ...R(22, 'apiextensions.k8s.io/v1', 'apiextensions.k8s.io/v1beta1/CustomResourceDefinition'),
  ...R(22, 'apiregistration.k8s.io/v1', 'apiregistration.k8s.io/v1beta1/APIService'),
  ...R(22, 'certificates.k8s.io/v1', 'certificates.k8s.io/v1beta1/CertificateSigningRequest'),
  ...R(22, 'coordination.k8s.io/v1', 'coordination.k8s.io/v1beta1/Lease'),
  ...R(
    22,
    'networking.k8s.io/v1',
    'extensions/v1beta1/Ingress',
    'networking.k8s.io/v1beta1/Ingress',
    'networking.k8s.io/v1beta1/IngressClass',
  ),
  ...R(
    22,
    'rbac.authorization.k8s.io/v1',
    ...['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].map((k) => `rbac.authorization.k8s.io/v1beta1/${k}`),
  ),
  ...R(
    22,
    'rbac.authorization.k8s.io/v1',
    ...['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].map((k) => `rbac.authorization.k8s.io/v1alpha1/${k}`),
  ),
  ...R(22, 'scheduling.k8s.io/v1', 'scheduling.k8s.io/v1beta1/PriorityClass', 'scheduling.k8s.io/v1alpha1/PriorityClass'),
  ...R(22, 'storage.k8s.io/v1', ...['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'].map((k) => `storage.k8s.io/v1beta1/${k}`)),
  ...R(25, 'batch/v1', 'batch/v1beta1/CronJob'),
  ...R(25, 'discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1/EndpointSlice'),
  ...R(25, 'events.k8s.io/v1', 'events.k8s.io/v1beta1/Event'),
  ...R(25, 'autoscaling/v2', 'autoscaling/v2beta1/HorizontalPodAutoscaler'),
  ...R(25, 'policy/v1', 'policy/v1beta1/PodDisruptionBudget'),
  ...R(25, 'nothing (PodSecurityPolicy was removed; use Pod Security Admission: SecureNamespace)', 'policy/v1beta1/PodSecurityPolicy'),
  ...R(25, 'node.k8s.io/v1', 'node.k8s.io/v1beta1/RuntimeClass'),
  ...R(26, 'flowcontrol.apiserver.k8s.io/v1beta3', 'flowcontrol.apiserver.k8s.io/v1beta1/FlowSchema'),
  ...R(26, 'flowcontrol.apiserver.k8s.io/v1beta3', 'flowcontrol.apiserver.k8s.io/v1beta1/PriorityLevelConfiguration'),
  ...R(26, 'autoscaling/v2', 'autoscaling/v2beta2/HorizontalPodAutoscaler'),
  ...R(27, 'storage.k8s.io/v1', 'storage.k8s.io/v1beta1/CSIStorageCapacity'),
]);

/** Built-in kinds that are not manifests of their own (requests, reviews, lists) but are real API kinds. */
const NON_MANIFEST_KINDS = new Set(['Binding', 'Eviction', 'Scale', 'Status', 'TokenRequest', 'TokenReview', 'ComponentStatus', 'List']);

/** The removal of `apiVersion/kind` at or before Kubernetes 1.`minor`, if it was removed. */
export function removedApi(apiVersion: string, kind: string, minor: number): RemovedApi | undefined {
  const r = REMOVED.get(`${apiVersion}/${kind}`);
  return r && r.removedIn <= minor ? r : undefined;
}

let builtInGroups: Set<string> | undefined;

/** Whether `group` is an API group of Kubernetes itself ('' is the core group). */
export function isBuiltInGroup(group: string): boolean {
  if (!builtInGroups) {
    builtInGroups = new Set(['', 'extensions', 'authentication.k8s.io', 'authorization.k8s.io', 'settings.k8s.io']);
    for (const k of [...compiledTable().kinds.keys(), ...[...REMOVED.keys()].map((x) => x.slice(0, x.lastIndexOf('/')))]) {
      const slash = k.indexOf('/');
      builtInGroups.add(slash < 0 ? '' : k.slice(0, slash));
    }
  }
  return builtInGroups.has(group);
}

/** Kinds Kubernetes 1.27 serves that the type table has no schema for (cdk8s-plus-27 imports only events.k8s.io's Event). */
const SERVED_WITHOUT_SCHEMA = new Set(['v1/Event']);

/**
 * Whether a built-in kind exists that is never written as a manifest (a request or response type), or
 * that 1.27 serves without a schema in the table: not a typo, so an unknown-kind warning at most.
 */
export function isNonManifestKind(kind: string, apiVersion = ''): boolean {
  return (
    NON_MANIFEST_KINDS.has(kind) || kind.endsWith('List') || kind.endsWith('Review') || SERVED_WITHOUT_SCHEMA.has(`${apiVersion}/${kind}`)
  );
}
