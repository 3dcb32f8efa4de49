import { ProblemDetails } from '../core/errors';
import { nameViolation, NameRule } from '../core/names';

/**
 * Which API resources an initializer or admission webhook applies to, as Kubernetes' admission
 * `rules` state it. `"*"` matches everything but cannot be mixed with other values in the same list.
 */
export interface ResourceRule {
  /** API groups (`""` is the core group, `"apps"`, `"batch"`, or `"*"`). */
  readonly apiGroups: string[];
  /** API versions (`"v1"`, or `"*"`). */
  readonly apiVersions: string[];
  /** Resources, plural and lower case (`"pods"`, `"deployments"`, or `"*"`); webhooks may name subresources (`"pods/status"`). */
  readonly resources: string[];
}

/** Returns why `name` is not fully qualified: a DNS subdomain with at least three dot-separated segments. */
export function fullyQualifiedNameViolation(name: string): string | undefined {
  const why = nameViolation(name, NameRule.DNS_SUBDOMAIN);
  if (why) return why;
  if (name.split('.').length < 3) {
    return `"${name}" is not fully qualified: it needs at least three dot-separated segments (e.g. "lxcfs.initializers.example.com")`;
  }
  return undefined;
}

/**
 * The problems of one rule, as the API server validates it. `field` is the rule's prop path
 * (`initializers[0].rules[1]`). Subresources (`pods/status`) are allowed for webhooks only.
 */
export function checkResourceRule(rule: ResourceRule, field: string, options: { readonly subresources: boolean }): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  const lists: Array<[keyof ResourceRule, string]> = [
    ['apiGroups', 'API groups'],
    ['apiVersions', 'API versions'],
    ['resources', 'resources'],
  ];
  for (const [key, what] of lists) {
    const values = rule[key];
    if (!Array.isArray(values) || values.length === 0) {
      out.push({ field: `${field}.${key}`, rule: `must list at least one of the ${what} (or "*")` });
      continue;
    }
    const bad = values.findIndex((v) => typeof v !== 'string' || (key !== 'apiGroups' && v === ''));
    if (bad >= 0) out.push({ field: `${field}.${key}[${bad}]`, rule: 'must be a non-empty string' });
    if (key !== 'resources' && values.length > 1 && values.includes('*')) {
      out.push({ field: `${field}.${key}`, rule: `"*" cannot be mixed with other ${what} (got ${JSON.stringify(values)})` });
    }
  }
  if (Array.isArray(rule.resources)) out.push(...checkResources(rule.resources, `${field}.resources`, options.subresources));
  return out;
}

/** Kubernetes' resource list rules: `*` and `*\/*` stand alone; `x/*` and `*\/y` exclude other `x/..` and `../y`. */
function checkResources(resources: string[], field: string, subresources: boolean): ProblemDetails[] {
  const out: ProblemDetails[] = [];
  const wildcardSub = new Set<string>();
  const wildcardRes = new Set<string>();
  let plain = false;
  resources.forEach((r, i) => {
    if (typeof r !== 'string') return;
    const slash = r.indexOf('/');
    if (slash < 0) {
      plain ||= r !== '*';
      return;
    }
    if (!subresources) {
      out.push({ field: `${field}[${i}]`, rule: `"${r}" names a subresource, which initializer rules cannot` });
      return;
    }
    const [res, sub] = [r.slice(0, slash), r.slice(slash + 1)];
    if (wildcardSub.has(res)) out.push({ field: `${field}[${i}]`, rule: `"${res}/*" is present, so "${r}" must not be` });
    if (wildcardRes.has(sub)) out.push({ field: `${field}[${i}]`, rule: `"*/${sub}" is present, so "${r}" must not be` });
    if (sub === '*') wildcardSub.add(res);
    if (res === '*') wildcardRes.add(sub);
  });
  if (resources.length > 1 && resources.includes('*/*')) {
    out.push({ field, rule: `"*/*" cannot be mixed with other resources (got ${JSON.stringify(resources)})` });
  }
  if (resources.includes('*') && plain) {
    out.push({ field, rule: `"*" cannot be mixed with other resources (got ${JSON.stringify(resources)})` });
  }
  return out;
}

/** True when `rule` covers resource `resource` of `group`/`version` (subresources are not matched). */
export function ruleMatches(rule: ResourceRule, group: string, version: string, resource: string): boolean {
  const has = (list: string[], v: string) => list.includes('*') || list.includes(v);
  return has(rule.apiGroups, group) && has(rule.apiVersions, version) && (has(rule.resources, resource) || rule.resources.includes('*/*'));
}

/** The `rules[]` entry for a rule (fields copied so later changes to the input do not leak in). */
export function renderResourceRule(rule: ResourceRule): Record<string, unknown> {
  return { apiGroups: [...rule.apiGroups], apiVersions: [...rule.apiVersions], resources: [...rule.resources] };
}
