import { Chart } from 'cdk8s';
import { ClusterVersion } from '../../core/cluster-version';
import { validateObject } from '../schema/built-in';
import { didYouMean } from '../did-you-mean';
import { isBuiltInGroup, isNonManifestKind, removedApi } from '../schema/lifecycle';
import { validateOpenApiV3 } from '../schema/openapi';
import { compiledTable, K8sVersion } from '../schema/table';
import { groupOf, ObjectInfo } from '../context';
import { arr } from '../json-path';
import { RuleInput } from '../findings';
import { ValidationRule } from '../rule';

/**
 * The schema an object is checked against: the version validation was enabled with, else the
 * `ClusterVersion` its chart declares (`ClusterVersion.declare` accepts only versions with a schema).
 */
function versionResolver(version: K8sVersion | undefined): (o: ObjectInfo) => K8sVersion {
  if (version) return () => version;
  const byChart = new Map<Chart, K8sVersion>();
  return (o) => {
    const chart = Chart.of(o.obj);
    let v = byChart.get(chart);
    if (!v) byChart.set(chart, (v = ClusterVersion.of(o.obj) as K8sVersion));
    return v;
  };
}

/**
 * An object of a built-in API group that the table does not know: a removed API version (an error
 * naming the replacement; Kubernetes deprecation guide), a misspelled kind or apiVersion (an error with
 * "did you mean"). Returns false when the group is not built in (or the kind is a request type), so
 * the caller treats it as an unknown kind.
 */
function checkBuiltInGroup(o: ObjectInfo, minor: number, report: RuleInput['report']): boolean {
  const removed = removedApi(o.apiVersion, o.kind, minor);
  if (removed) {
    const replacement = removed.replacement.includes(' ') ? removed.replacement : `${removed.replacement} ${o.kind}`;
    report(
      o,
      ValidationRule.REMOVED_API,
      'apiVersion',
      `${o.apiVersion} ${o.kind} was removed in Kubernetes 1.${removed.removedIn}, and this chart targets 1.${minor}`,
      `use ${replacement}${removed.replacement.includes(' ') ? '' : ' (its fields may differ: see the Kubernetes deprecation guide)'}`,
    );
    return true;
  }
  if (!isBuiltInGroup(o.group) || isNonManifestKind(o.kind, o.apiVersion) || minor !== 27) return false;
  const kinds = compiledTable().kinds;
  const sameVersion = kinds.get(o.apiVersion);
  const versionsOfKind: string[] = [];
  for (const [v, byKind] of kinds) if (byKind.has(o.kind)) versionsOfKind.push(v);
  // the same group first (its newest version last in table order), else any group serving the kind
  versionsOfKind.sort((a, b) => Number(groupOf(a) === o.group) - Number(groupOf(b) === o.group));
  if (versionsOfKind.length > 0) {
    report(
      o,
      ValidationRule.UNKNOWN_KIND,
      'apiVersion',
      `Kubernetes 1.${minor} serves no ${o.kind} in ${o.apiVersion}`,
      `did you mean apiVersion: ${versionsOfKind[versionsOfKind.length - 1]}?`,
    );
    return true;
  }
  const candidates = sameVersion ? [...sameVersion.keys()] : [];
  const near =
    didYouMean(o.kind, candidates) ??
    didYouMean(
      o.kind,
      [...kinds.values()].flatMap((m) => [...m.keys()]),
    );
  report(
    o,
    ValidationRule.UNKNOWN_KIND,
    'kind',
    `Kubernetes 1.${minor} has no kind "${o.kind}" in the built-in API ${o.apiVersion}`,
    near ? `did you mean kind: ${near}?` : `kinds of ${o.apiVersion}: ${candidates.sort().join(', ') || 'none'}`,
  );
  return true;
}

/** How to fix a schema problem, from its message. */
function schemaHint(message: string): string {
  const near = /\(did you mean "([^"]+)"\?\)$/.exec(message);
  if (message.startsWith('unknown field'))
    return near ? `rename it to "${near[1]}"` : 'remove it, or check the field name and the apiVersion/kind';
  if (message === 'required field missing') return 'set it';
  if (message.includes('32-bit integer')) return 'use a value from -2147483648 to 2147483647';
  if (message.includes(' is not one of ')) return near ? `use "${near[1]}"` : 'use one of the values listed';
  if (message.startsWith('must match pattern')) return 'write a value that matches the pattern';
  if (message.startsWith('must be one of')) return 'use one of the values listed';
  if (message.includes('Kubernetes quantity')) return 'a number with an optional suffix: m, k, M, G, Ki, Mi, Gi... (no spaces)';
  return 'write a value of that type (in YAML, quote a number meant as a string)';
}

/**
 * Schema: built-in kinds against the Kubernetes schema of the cluster version, custom resources against
 * the `openAPIV3Schema` of their CRD in the app, else against a schema the library carries for the kind
 * (the prometheus-operator kinds, once a construct of lib/monitoring is in the app); unknown fields are errors. Kinds with neither are
 * reported once per apiVersion/kind: a warning, or an error in strict mode.
 */
export function checkSchema({ ctx, report, version, strict, warn }: RuleInput): void {
  const unknown = new Map<string, { first: ObjectInfo; count: number }>();
  const versionOf = versionResolver(version);
  for (const o of ctx.objects) {
    const found = validateObject(o.json, versionOf(o));
    if (found) {
      for (const p of found) report(o, ValidationRule.SCHEMA, p.path, p.message, schemaHint(p.message));
      continue;
    }
    const custom = ctx.customKinds.get(`${o.apiVersion}|${o.kind}`);
    if (custom) {
      if (!custom.served) {
        report(
          o,
          ValidationRule.SCHEMA,
          'apiVersion',
          `version "${o.apiVersion}" is not served by ${custom.crd.ref}`,
          'use a served version, or set served: true on it',
        );
      } else if (custom.schema) {
        for (const p of validateOpenApiV3(o.json, custom.schema))
          report(o, ValidationRule.SCHEMA, p.path, p.message, `see the openAPIV3Schema of ${custom.crd.ref}`);
      }
      continue;
    }
    const crd = ctx.crdByKind.get(`${o.group}|${o.kind}`);
    if (crd) {
      report(
        o,
        ValidationRule.SCHEMA,
        'apiVersion',
        `${crd.ref} defines no version "${o.apiVersion.slice(o.group.length + 1)}" of ${o.kind}`,
        `use a version the CRD defines: ${arr(crd.json.spec?.versions)
          .map((v) => `${o.group}/${v?.name}`)
          .join(', ')}`,
      );
      continue;
    }
    // a kind whose schema the library carries (lib/monitoring registers prometheus-operator's)
    const known = ctx.knownKinds.get(`${o.apiVersion}|${o.kind}`);
    if (known) {
      for (const p of validateOpenApiV3(o.json, known.schema))
        report(o, ValidationRule.SCHEMA, p.path, p.message, `${schemaHint(p.message)} (schema: ${known.source})`);
      continue;
    }
    if (o.kind && o.apiVersion && checkBuiltInGroup(o, Number(versionOf(o).split('.')[1]), report)) continue;
    // a CRD installed outside the app, declared with Validation.external(scope, { kinds })
    const declared = o.policy.external.kinds;
    if (declared.size > 0 && (declared.has(o.group) || declared.has(`${o.group}/${o.kind}`))) continue;
    const key = `${o.apiVersion}/${o.kind}`;
    const seen = unknown.get(key);
    if (seen) seen.count++;
    else unknown.set(key, { first: o, count: 1 });
  }
  for (const [key, { first, count }] of unknown) {
    const what =
      `no Kubernetes ${versionOf(first)} schema and no CustomResourceDefinition in the app for ${key}` +
      ` (${count} object${count === 1 ? '' : 's'}, first at ${first.obj.node.path}), so ${count === 1 ? 'it is' : 'they are'} not validated`;
    const hint = `add the CustomResourceDefinition to the app, declare it installed outside the app (Validation.external(scope, { kinds: ['${first.group}'] })), or fix the apiVersion/kind`;
    if (strict) {
      report(first, ValidationRule.UNKNOWN_KIND, 'kind', what, hint);
    } else if (!first.policy.suppressed.has(ValidationRule.UNKNOWN_KIND)) {
      warn(first, `${what}; ${hint} (Validation.enable(app, { strict: true }) makes this an error)`);
    }
  }
}
