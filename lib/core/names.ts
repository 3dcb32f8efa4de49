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
}

const RULES: Record<NameRule, { re: RegExp; max: number }> = {
  [NameRule.DNS_SUBDOMAIN]: { re: DNS1123_SUBDOMAIN, max: 253 },
  [NameRule.DNS_LABEL]: { re: DNS1123_LABEL, max: 63 },
  [NameRule.DNS_1035_LABEL]: { re: DNS1035_LABEL, max: 63 },
};

/** Returns why `name` breaks `rule`, or undefined when it is valid. `max` tightens the length limit. */
export function nameViolation(name: string, rule: NameRule, max?: number): string | undefined {
  const { re, max: ruleMax } = RULES[rule];
  const limit = Math.min(max ?? ruleMax, ruleMax);
  if (typeof name !== 'string' || name.length === 0) {
    return `must be a non-empty ${rule}`;
  }
  if (name.length > limit) {
    return `"${name}" is ${name.length} characters, more than ${limit}`;
  }
  if (!re.test(name)) {
    return `"${name}" is not a valid ${rule} (lower case letters, digits and '-'${rule === NameRule.DNS_SUBDOMAIN ? ", '.'" : ''}; start${rule === NameRule.DNS_1035_LABEL ? ' with a letter' : ' and end with an alphanumeric'})`;
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

/** Returns why a label key is invalid (`[prefix/]name`, prefix a DNS subdomain, name ≤ 63). */
export function labelKeyViolation(key: string): string | undefined {
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
export function labelValueViolation(value: string): string | undefined {
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
    return `label value "${value}" is invalid (at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric)`;
  }
  return undefined;
}

const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Returns why a container port name is invalid (IANA service name: at most 15 lower case letters, digits and '-', at least one letter). */
export function portNameViolation(name: string): string | undefined {
  if (typeof name !== 'string' || name.length > 15 || !IANA_SVC_NAME.test(name) || name.includes('--')) {
    return `"${name}" is not a valid port name (at most 15 lower case letters, digits and '-', with at least one letter)`;
  }
  return undefined;
}

/**
 * The readable, stable default name of a construct: the ids on its path below its chart, lower-cased,
 * with characters a DNS name cannot hold turned into '-', joined by '-'. A construct placed directly in a
 * chart with id `mysql` is named `mysql`; the `db` of a user's `Orders` construct is `orders-db`.
 * No hash is added, so names never churn; duplicates are reported at synth.
 */
export function defaultName(scope: IConstruct): string {
  const chart = Chart.of(scope);
  const ids: string[] = [];
  for (let c: IConstruct | undefined = scope; c && c !== chart; c = c.node.scope) {
    ids.unshift(c.node.id);
  }
  return ids
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}
