// Which verbs each Kubernetes 1.27 resource answers, so a typo (`lsit`) or a verb the resource has no
// handler for (`list` on pods/log) is an error instead of a rule that grants nothing.
//
// The API server derives the RBAC verb of a request from the HTTP method and the REST interfaces the
// resource's storage implements (k8s.io/apiserver pkg/endpoints/installer.go: Getter → get, Lister →
// list, Watcher → watch, Creater → create, Updater → update, Patcher → patch, GracefulDeleter →
// delete, CollectionDeleter → deletecollection; a Connecter answers get/create/update/patch/delete by
// method). Special verbs are checked by authorizers and admission, not by a REST handler:
// `bind`/`escalate` on roles and clusterroles (pkg/registry/rbac/escalation_check.go), `impersonate` on
// users, groups, serviceaccounts, uids and userextras (k8s.io/apiserver pkg/endpoints/filters/impersonation.go),
// `approve`/`sign`/`attest` on certificates.k8s.io signers (pkg/registry/certificates, plugin/pkg/admission/certificates).

import { editDistance } from '../validation/did-you-mean';

/** The verbs of an ordinary resource. */
export const STANDARD_VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

const CONNECT = ['get', 'create', 'update', 'patch', 'delete'];
const STATUS = ['get', 'update', 'patch'];
const CREATE_ONLY = ['create'];

/** Resources (`group|path`) whose verbs differ from the standard ones. */
const SPECIAL: ReadonlyMap<string, readonly string[]> = new Map([
  ['|bindings', CREATE_ONLY],
  ['|componentstatuses', ['get', 'list']],
  ['|pods/binding', CREATE_ONLY],
  ['|pods/eviction', CREATE_ONLY],
  ['|pods/log', ['get']], // pkg/registry/core/pod/rest/log.go: LogREST is a Getter only
  ['|pods/exec', ['get', 'create']], // ExecREST, AttachREST, PortForwardREST: Connecters for GET and POST
  ['|pods/attach', ['get', 'create']],
  ['|pods/portforward', ['get', 'create']],
  ['|pods/proxy', CONNECT],
  ['|pods/ephemeralcontainers', STATUS],
  ['|nodes/proxy', CONNECT],
  ['|services/proxy', CONNECT],
  ['|serviceaccounts', [...STANDARD_VERBS, 'impersonate']],
  ['|serviceaccounts/token', CREATE_ONLY], // pkg/registry/core/serviceaccount/storage/token.go
  ['|users', ['impersonate']],
  ['|groups', ['impersonate']],
  ['authentication.k8s.io|uids', ['impersonate']],
  ['authentication.k8s.io|userextras', ['impersonate']],
  ['authentication.k8s.io|tokenreviews', CREATE_ONLY],
  ['authentication.k8s.io|selfsubjectreviews', CREATE_ONLY],
  ['authorization.k8s.io|localsubjectaccessreviews', CREATE_ONLY],
  ['authorization.k8s.io|selfsubjectaccessreviews', CREATE_ONLY],
  ['authorization.k8s.io|selfsubjectrulesreviews', CREATE_ONLY],
  ['authorization.k8s.io|subjectaccessreviews', CREATE_ONLY],
  ['rbac.authorization.k8s.io|roles', [...STANDARD_VERBS, 'bind', 'escalate']],
  ['rbac.authorization.k8s.io|clusterroles', [...STANDARD_VERBS, 'bind', 'escalate']],
  ['certificates.k8s.io|signers', ['approve', 'sign', 'attest']],
  ['certificates.k8s.io|certificatesigningrequests/approval', STATUS],
]);

/** The verbs a built-in resource answers (`path` with its subresource: `deployments/scale`). */
export function verbsOf(group: string, path: string): readonly string[] {
  const special = SPECIAL.get(`${group}|${path}`) ?? (path.startsWith('userextras/') ? ['impersonate'] : undefined);
  if (special) return special;
  const slash = path.indexOf('/');
  if (slash >= 0) return STATUS; // status, scale and other update subresources: get, update, patch
  return STANDARD_VERBS;
}

/** Every verb any resource answers, for "did you mean" on custom resources. */
export const KNOWN_VERBS: readonly string[] = [...new Set([...STANDARD_VERBS, ...[...SPECIAL.values()].flat()])];

/** Resources of the core group that RBAC knows but that are not API types (impersonation targets). */
export const IMPERSONATION_RESOURCES: ReadonlyArray<readonly [string, string]> = [
  ['', 'users'],
  ['', 'groups'],
  ['authentication.k8s.io', 'uids'],
  ['authentication.k8s.io', 'userextras'],
  ['certificates.k8s.io', 'signers'],
];

/**
 * The verbs of non-resource URLs: the lower-cased HTTP method (k8s.io/apiserver
 * pkg/authorization/authorizer/interfaces.go: "the lowercased HTTP verb associated with non-API
 * requests (this includes get, put, post, patch, and delete)"; pkg/endpoints/request/requestinfo.go).
 */
export const URL_VERBS: readonly string[] = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** Why `verbs` cannot match a request to a non-resource URL, if one cannot. */
export function urlVerbViolation(verbs: readonly string[]): string | undefined {
  for (const verb of verbs) {
    if (verb === '*' || URL_VERBS.includes(verb)) continue;
    const guess = closest(verb, URL_VERBS);
    return `"${verb}" is not a verb of non-resource URLs${guess ? ` (did you mean "${guess}"?)` : ''}; they answer the lower-cased HTTP method: ${URL_VERBS.join(', ')}`;
  }
  return undefined;
}

/** The closest candidate within edit distance 2 (for "did you mean"), if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c, 3);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
