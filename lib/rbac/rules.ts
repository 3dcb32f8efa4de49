import { IConstruct } from 'constructs';
import { fail, Problem, problemAt } from '../core/errors';
import { RbacResource } from './resource';
import { acceptHint, RbacRisk } from './risks';
import { ESCALATION_VERBS, sortVerbs, UNNAMEABLE_VERBS } from './verbs';

/** A rule as rendered into a Role or ClusterRole. */
export interface PolicyRuleJson {
  readonly apiGroups?: string[];
  readonly resources?: string[];
  readonly resourceNames?: string[];
  readonly nonResourceURLs?: string[];
  readonly verbs: string[];
}

const ALL_NAMES = '';

/**
 * The rules of one role, kept as (resource, object name, verb) facts and rendered as few rules as
 * possible: the same grant twice is one rule; verbs granted on every object are dropped from named
 * ones; resources of one API group with the same verbs and names share a rule; everything is sorted
 * (verbs in their canonical order), so output depends only on what was granted, not on call order.
 */
export class PolicyRules {
  /** `group|path` → object name (`''` for all) → verbs. */
  private readonly resources = new Map<string, { group: string; path: string; byName: Map<string, Set<string>> }>();
  /** non-resource URL → verbs. */
  private readonly urls = new Map<string, Set<string>>();
  private rendered?: PolicyRuleJson[];

  /** Grants `verbs` on `resource` (on the objects it names, or all). */
  public addResource(verbs: readonly string[], resource: RbacResource): void {
    const key = `${resource.group}|${resource.path}`;
    let entry = this.resources.get(key);
    if (!entry) {
      entry = { group: resource.group, path: resource.path, byName: new Map() };
      this.resources.set(key, entry);
    }
    for (const name of resource.names.length > 0 ? resource.names : [ALL_NAMES]) {
      addAll(entry.byName, name, verbs);
    }
    this.rendered = undefined;
  }

  /** Grants `verbs` on non-resource URLs (`/healthz`, `/metrics`). */
  public addUrls(verbs: readonly string[], urls: readonly string[]): void {
    for (const url of urls) addAll(this.urls, url, verbs);
    this.rendered = undefined;
  }

  /** True when nothing was granted. */
  public get isEmpty(): boolean {
    return this.resources.size === 0 && this.urls.size === 0;
  }

  /** The merged, sorted rules. */
  public toJson(): PolicyRuleJson[] {
    this.rendered ??= this.render();
    return this.rendered;
  }

  private render(): PolicyRuleJson[] {
    // 1. per resource: verb set → names (undefined = every object)
    const merged = new Map<string, { group: string; paths: string[]; names?: string[]; verbs: string[] }>();
    for (const { group, path, byName } of this.resources.values()) {
      const all = reduceWildcard(byName.get(ALL_NAMES));
      const perVerbs = new Map<string, { verbs: string[]; names?: string[] }>();
      if (all.size > 0) {
        const verbs = sortVerbs(all);
        perVerbs.set(`*|${verbs}`, { verbs });
      }
      for (const [name, given] of byName) {
        if (name === ALL_NAMES) continue;
        const rest = all.has('*') ? new Set<string>() : reduceWildcard(new Set([...given].filter((v) => !all.has(v))));
        if (rest.size === 0) continue;
        const verbs = sortVerbs(rest);
        const key = `n|${verbs}`;
        const slot = perVerbs.get(key) ?? { verbs, names: [] };
        slot.names!.push(name);
        perVerbs.set(key, slot);
      }
      // 2. resources of one group with the same verbs and names share a rule
      for (const { verbs, names } of perVerbs.values()) {
        const sortedNames = names?.sort();
        const key = `${group}|${verbs}|${sortedNames ?? '*'}`;
        const rule = merged.get(key);
        if (rule) rule.paths.push(path);
        else merged.set(key, { group, paths: [path], names: sortedNames, verbs });
      }
    }
    const resourceRules = [...merged.values()].map((r) => ({
      apiGroups: [r.group],
      resources: r.paths.sort(),
      resourceNames: r.names,
      verbs: r.verbs,
    }));
    const byVerbs = new Map<string, { urls: string[]; verbs: string[] }>();
    for (const [url, given] of this.urls) {
      const verbs = sortVerbs(reduceWildcard(given));
      const key = verbs.join(',');
      const slot = byVerbs.get(key) ?? { urls: [], verbs };
      slot.urls.push(url);
      byVerbs.set(key, slot);
    }
    const urlRules = [...byVerbs.values()].map((r) => ({ nonResourceURLs: r.urls.sort(), verbs: r.verbs }));
    return [...sortRules(resourceRules), ...sortRules(urlRules)];
  }
}

function addAll(map: Map<string, Set<string>>, key: string, verbs: readonly string[]): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  for (const v of verbs) set.add(v);
}

function reduceWildcard(verbs: Set<string> | undefined): Set<string> {
  if (!verbs) return new Set();
  return verbs.has('*') ? new Set(['*']) : verbs;
}

function sortRules<T extends PolicyRuleJson>(rules: T[]): T[] {
  const key = (r: PolicyRuleJson) =>
    [r.apiGroups ?? [], r.resources ?? [], r.nonResourceURLs ?? [], r.resourceNames ?? [], r.verbs].map((a) => a.join(',')).join('\u0000');
  const keyed = rules.map((r) => ({ r, k: key(r) }));
  return keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.r);
}

/** Throws at `scope` unless every verb is a non-empty word (custom verbs are allowed). */
export function checkVerbs(scope: IConstruct, field: string, verbs: readonly string[]): void {
  if (verbs.length === 0) fail(scope, field, 'needs at least one verb', "e.g. to(Verbs.READ) or to('get', 'list')");
  for (const v of verbs) {
    if (typeof v !== 'string' || !/^(\*|[A-Za-z][A-Za-z0-9-]*)$/.test(v)) fail(scope, field, `"${v}" is not a verb`);
  }
}

/** Throws at `scope` unless every URL is `*` or an absolute path (a trailing `*` matches a prefix). */
export function checkUrls(scope: IConstruct, field: string, urls: readonly string[]): void {
  if (urls.length === 0) fail(scope, field, 'needs at least one URL');
  for (const u of urls) {
    if (u !== '*' && !/^\/[^*\s]*\*?$/.test(u))
      fail(scope, field, `"${u}" is not a non-resource URL`, 'an absolute path such as /healthz, optionally ending in * (/metrics/*)');
  }
}

/**
 * The guard-rail problems of rendered rules: wildcards, resourceNames that can never match, and
 * escalation verbs, each unless accepted. Fields point into the rendered object (`rules[1].verbs`).
 */
export function ruleProblems(scope: IConstruct, rules: PolicyRuleJson[], accepted: ReadonlySet<RbacRisk>): Problem[] {
  const problems: Problem[] = [];
  const at = (risk: RbacRisk, field: string, rule: string) => {
    if (!accepted.has(risk)) problems.push(problemAt(scope, { field, rule, hint: acceptHint(risk), ruleId: `rbac/${risk}` }));
  };
  rules.forEach((r, i) => {
    const f = `rules[${i}]`;
    if (r.verbs.includes('*')) at(RbacRisk.WILDCARD, `${f}.verbs`, '"*" grants every verb, including escalate, bind and impersonate');
    if (r.apiGroups?.includes('*')) at(RbacRisk.WILDCARD, `${f}.apiGroups`, '"*" grants every API group, including ones installed later');
    const wild = r.resources?.filter((x) => x.includes('*')) ?? [];
    if (wild.length > 0)
      at(
        RbacRisk.WILDCARD,
        `${f}.resources`,
        `${wild.map((x) => `"${x}"`).join(', ')} grants every resource${wild.every((x) => x.endsWith('/*')) ? ' below it' : ''}`,
      );
    if (r.nonResourceURLs?.includes('*')) at(RbacRisk.WILDCARD, `${f}.nonResourceURLs`, '"*" grants every non-resource URL');
    const unnameable = r.verbs.filter((v) => UNNAMEABLE_VERBS.includes(v));
    if (r.resourceNames && unnameable.length > 0) {
      at(
        RbacRisk.UNMATCHABLE_RESOURCE_NAMES,
        `${f}.resourceNames`,
        `resourceNames with ${unnameable.join(' and ')} can never match (a create request names no existing object, deletecollection names none)`,
      );
    }
    const escalation = r.verbs.filter((v) => ESCALATION_VERBS.includes(v));
    if (escalation.length > 0) {
      at(
        RbacRisk.PRIVILEGE_ESCALATION,
        `${f}.verbs`,
        `${escalation.join(', ')} let${escalation.length === 1 ? 's' : ''} the subject gain permissions it does not hold`,
      );
    }
  });
  return problems;
}
