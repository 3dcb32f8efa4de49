import { IConstruct } from 'constructs';
import { Chart } from 'cdk8s';
import { fail } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** The Kubernetes naming rules an object name can be held to. */
export enum NameRule {
  /** DNS-1123 subdomain: lower case alphanumerics, '-' and '.', at most 253 characters (most objects). */
  DNS_SUBDOMAIN = 'DNS-1123 subdomain',
  /** DNS-1123 label: lower case alphanumerics and '-', at most 63 characters (containers, volumes, namespaces). */
  DNS_LABEL = 'DNS-1123 label',
  /** DNS-1035 label: like a DNS-1123 label but starting with a letter (Services, ports). */
  DNS_1035_LABEL = 'DNS-1035 label',
  /** A URL path segment: anything but "." and "..", without "/" or "%" (RBAC objects: `system:auth-delegator`). */
  PATH_SEGMENT = 'path segment',
}

interface RuleSpec {
  readonly valid: (name: string) => boolean;
  readonly max: number;
  /** What a valid name looks like, for messages. */
  readonly form: string;
}

const RULES: Record<NameRule, RuleSpec> = {
  [NameRule.DNS_SUBDOMAIN]: {
    valid: (n) => DNS1123_SUBDOMAIN.test(n),
    max: 253,
    form: "lower case letters, digits and '-', '.'; start and end with an alphanumeric",
  },
  [NameRule.DNS_LABEL]: {
    valid: (n) => DNS1123_LABEL.test(n),
    max: 63,
    form: "lower case letters, digits and '-'; start and end with an alphanumeric",
  },
  [NameRule.DNS_1035_LABEL]: {
    valid: (n) => DNS1035_LABEL.test(n),
    max: 63,
    form: "lower case letters, digits and '-'; start with a letter",
  },
  // the API server sets no length limit on RBAC names
  [NameRule.PATH_SEGMENT]: {
    valid: (n) => n !== '.' && n !== '..' && !/[/%]/.test(n),
    max: Infinity,
    form: 'it must not be "." or ".." nor contain "/" or "%"',
  },
};

/** Returns why `name` breaks `rule`, or undefined when it is valid. `max` tightens the length limit. */
export function nameViolation(name: string, rule: NameRule, max?: number): string | undefined {
  const { valid, max: ruleMax, form } = RULES[rule];
  const limit = Math.min(max ?? ruleMax, ruleMax);
  if (typeof name !== 'string' || name.length === 0) {
    return `must be a non-empty ${rule}`;
  }
  if (name.length > limit) {
    return `"${name}" is ${name.length} characters, more than ${limit}`;
  }
  if (!valid(name)) {
    return `"${name}" is not a valid ${rule} (${form})`;
  }
  return undefined;
}

/** Throws at `scope` when `name` (the value of `field`) breaks `rule`. */
export function checkName(scope: IConstruct, field: string, name: string, rule: NameRule, max?: number, hint?: string): string {
  const why = nameViolation(name, rule, max);
  if (why) {
    fail(scope, field, why, hint);
  }
  return name;
}

/** How objects of one kind must be named. */
export interface NamePolicy {
  /** The naming rule. */
  readonly rule: NameRule;
  /** A length limit tighter than the rule's. @default - the rule's */
  readonly max?: number;
  /** Why the kind is held to more than the rule alone, for messages. @default - none */
  readonly hint?: string;
}

/**
 * Naming policies that differ from the DNS-1123 subdomain most kinds take, by `group/kind`. Read by
 * the constructs when they name an object and by validation when it checks any object, so both hold
 * names to the same limits.
 */
const NAME_POLICIES: Record<string, NamePolicy> = {
  '/Service': { rule: NameRule.DNS_1035_LABEL, hint: 'Service names become DNS labels and must start with a letter' },
  '/Namespace': { rule: NameRule.DNS_LABEL },
  'apps/StatefulSet': {
    rule: NameRule.DNS_LABEL,
    max: 52,
    hint: 'StatefulSet pods carry the label controller-revision-hash=<name>-<hash>, which must fit in 63 characters',
  },
  'batch/CronJob': {
    rule: NameRule.DNS_SUBDOMAIN,
    max: 52,
    hint: 'the CronJob controller appends 11 characters to name each Job, and the Job name must fit in 63',
  },
  'batch/Job': {
    rule: NameRule.DNS_SUBDOMAIN,
    max: 63,
    hint: 'pods of a Job carry the label job-name=<name>, and label values are at most 63 characters',
  },
  'rbac.authorization.k8s.io/Role': { rule: NameRule.PATH_SEGMENT },
  'rbac.authorization.k8s.io/ClusterRole': { rule: NameRule.PATH_SEGMENT },
  'rbac.authorization.k8s.io/RoleBinding': { rule: NameRule.PATH_SEGMENT },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { rule: NameRule.PATH_SEGMENT },
};
const DEFAULT_NAME_POLICY: NamePolicy = { rule: NameRule.DNS_SUBDOMAIN };

/** The naming policy of objects of `kind` in API group `group` (`''` for the core group). */
export function namePolicyOf(group: string, kind: string): NamePolicy {
  return NAME_POLICIES[`${group}/${kind}`] ?? DEFAULT_NAME_POLICY;
}

/**
 * Throws at `scope` when `name` (the value of `field`) breaks the naming policy of `kind` objects of
 * API group `group`; returns the name. `hint` replaces the policy's own.
 */
export function checkObjectName(scope: IConstruct, field: string, name: string, group: string, kind: string, hint?: string): string {
  const policy = namePolicyOf(group, kind);
  return checkName(scope, field, name, policy.rule, policy.max, hint ?? policy.hint);
}

/**
 * `check` with its answers kept: label keys and values repeat across thousands of objects (every object of
 * a workload carries the same recommended labels), so app-wide validation asks the same question often.
 * Bounded: the cache starts over when full.
 */
function remembered(check: (text: string) => string | undefined, max = 10_000): (text: string) => string | undefined {
  const answers = new Map<string, string | undefined>();
  return (text) => {
    if (typeof text !== 'string') return check(text);
    if (answers.has(text)) return answers.get(text);
    if (answers.size >= max) answers.clear();
    const answer = check(text);
    answers.set(text, answer);
    return answer;
  };
}

/** Returns why a label key is invalid (`[prefix/]name`, prefix a DNS subdomain, name ≤ 63). */
export const labelKeyViolation = remembered(labelKeyProblem);

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && nameViolation(prefix, NameRule.DNS_SUBDOMAIN)) {
    return `label key "${key}" has an invalid prefix (must be a DNS-1123 subdomain)`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `label key "${key}" is invalid (name part: at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)`;
  }
  return undefined;
}

/** Returns why a label value is invalid (≤ 63, alphanumerics, '-', '_', '.'). */
export const labelValueViolation = remembered(labelValueProblem);

function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    return `label value "${value}" is invalid (at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)`;
  }
  return undefined;
}

/** A label (or selector) entry that Kubernetes would reject. */
export interface LabelViolation {
  /** The key of the entry. */
  readonly key: string;
  /** Why it is invalid. */
  readonly rule: string;
}

/** Every entry of a label map whose key or value is invalid, in key order of the map. */
export function labelViolations(labels: { [key: string]: string }): LabelViolation[] {
  const out: LabelViolation[] = [];
  for (const key of Object.keys(labels)) {
    const rule = labelKeyViolation(key) ?? labelValueViolation(labels[key]);
    if (rule) out.push({ key, rule });
  }
  return out;
}

/** Throws at `scope` for the first invalid entry of `labels`, as `<field>.<key>`; returns the map. */
export function checkLabels(scope: IConstruct, field: string, labels: { [key: string]: string }): { [key: string]: string } {
  const [bad] = labelViolations(labels);
  if (bad) fail(scope, `${field}.${bad.key}`, bad.rule);
  return labels;
}

/**
 * Returns why `value` is not a port number the API server accepts (1–65535, or 0–65535 where 0 means
 * unset), or undefined. One wording for construct props and app-wide checks, so that a fault both see
 * is reported once.
 */
export function portNumberViolation(value: unknown, allowZero = false): string | undefined {
  const min = allowZero ? 0 : 1;
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${value} is not a valid port number (an integer from ${min} to 65535)`;
  return value < min || value > 65535 ? `${value} is not a valid port number (${min} to 65535)` : undefined;
}

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Returns why a container port name is invalid (IANA service name: at most 15 lower case letters, digits and '-', at least one letter). */
export function portNameViolation(name: string): string | undefined {
  if (typeof name !== 'string' || name.length > 15 || !IANA_SVC_NAME.test(name) || name.includes('--')) {
    return `"${name}" is not a valid port name (at most 15 lower case letters, digits and '-', with at least one letter)`;
  }
  return undefined;
}

/** Options of `toDnsSlug`. */
export interface DnsSlugOptions {
  /** Keep '.' (a DNS-1123 subdomain); `false` for a DNS-1123 label. @default true */
  readonly dots?: boolean;
  /** Cut to this many characters. @default - no cut (the name checks report a name that is too long) */
  readonly maxLength?: number;
}

const NOT_SUBDOMAIN_CHARS = /[^a-z0-9.-]+/g;
const NOT_LABEL_CHARS = /[^a-z0-9-]+/g;
const UNTRIMMED_ENDS = /^[^a-z0-9]+|[^a-z0-9]+$/g;

/**
 * A DNS-safe form of free text, readable and stable (no hash): lower-cased, each run of characters a
 * DNS name cannot hold turned into '-', and trimmed to start and end with an alphanumeric
 * (`jane@example.com` → `jane-example.com`, `Orders/DB` → `orders-db`).
 */
export function toDnsSlug(text: string, options: DnsSlugOptions = {}): string {
  const slug = text
    .toLowerCase()
    .replace((options.dots ?? true) ? NOT_SUBDOMAIN_CHARS : NOT_LABEL_CHARS, '-')
    .replace(UNTRIMMED_ENDS, '');
  const max = options.maxLength;
  return max !== undefined && slug.length > max ? slug.slice(0, max).replace(UNTRIMMED_ENDS, '') : slug;
}

/**
 * The readable, stable default name of a construct: the ids on its path below its chart, joined by
 * '-' and made a DNS slug (`toDnsSlug`). A construct placed directly in a chart with id `mysql` is
 * named `mysql`; the `db` of a user's `Orders` construct is `orders-db`. No hash is added, so names
 * never churn; duplicates are reported at synth.
 */
export function defaultName(scope: IConstruct): string {
  return defaultNameOf(scope.node.scope!, scope.node.id);
}

/** `defaultName` of a construct `id` about to be created in `scope` (for API objects, whose name goes to their constructor). */
export function defaultNameOf(scope: IConstruct, id: string): string {
  const chart = Chart.of(scope);
  const ids: string[] = [id];
  for (let c: IConstruct | undefined = scope; c && c !== chart; c = c.node.scope) {
    ids.unshift(c.node.id);
  }
  return toDnsSlug(ids.join('-'));
}
