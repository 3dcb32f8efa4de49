import { envVarNameViolation } from '../../core/env-names';
import { namePolicyOf, NameRule, nameViolation, portNameViolation } from '../../core/names';
import type { ObjectInfo } from '../context';
import { RuleInput, Report } from '../findings';
import { arr, at, obj, str } from '../json-path';
import { containersOf } from '../pod-templates';
import { ValidationRule } from '../rule';

/**
 * Names: each object's name by the naming policy of its kind (`namePolicyOf`, which the constructs use
 * too), its namespace (DNS-1123 label), and within pods the container, volume, port and environment
 * variable names; Service port names (unique, and required when there are several) and port numbers
 * (unique per protocol). Checked on the output, so raw and included objects are held to the same rules
 * as ours.
 */
const NAME_HINT = 'use lower-case letters, digits and "-", starting and ending with a letter or digit';

export function checkNames({ ctx, report }: RuleInput): void {
  for (const o of ctx.objects) {
    checkObjectName(o, report);
    if (o.template) checkPodNames(o, report);
    if (o.group === '' && o.kind === 'Service') checkServicePortNames(o, report);
  }
}

function checkObjectName(o: ObjectInfo, report: Report): void {
  const meta = obj(o.json.metadata) ?? {};
  if (meta.name === undefined) {
    if (!str(meta.generateName))
      report(o, ValidationRule.NAME, 'metadata.name', 'is required (or metadata.generateName)', 'name the object');
  } else if (typeof meta.name === 'string') {
    const policy = namePolicyOf(o.group, o.kind);
    const why = nameViolation(meta.name, policy.rule, policy.max);
    if (why) report(o, ValidationRule.NAME, 'metadata.name', why, policy.hint ?? NAME_HINT);
  }
  if (typeof meta.namespace === 'string') {
    const why = nameViolation(meta.namespace, NameRule.DNS_LABEL);
    if (why) report(o, ValidationRule.NAME, 'metadata.namespace', why, NAME_HINT);
  }
}

function checkPodNames(o: ObjectInfo, report: Report): void {
  const t = o.template!;
  for (const { c, path } of containersOf(t)) {
    if (typeof c.name === 'string') {
      const why = nameViolation(c.name, NameRule.DNS_LABEL);
      if (why) report(o, ValidationRule.NAME, at(path, 'name'), why, NAME_HINT);
    }
    arr(c.env).forEach((e, i) => {
      const why = typeof e?.name === 'string' ? envVarNameViolation(e.name) : undefined;
      if (why)
        report(o, ValidationRule.NAME, `${path}.env[${i}].name`, why, 'letters, digits, "_", "-" and "."; not starting with a digit');
    });
    arr(c.ports).forEach((p, i) => {
      if (typeof p?.name !== 'string') return;
      const why = portNameViolation(p.name);
      if (why) report(o, ValidationRule.NAME, `${path}.ports[${i}].name`, why, 'Services refer to container ports by these names');
    });
  }
  arr(t.spec.volumes).forEach((v, i) => {
    if (typeof v?.name !== 'string') return;
    const why = nameViolation(v.name, NameRule.DNS_LABEL);
    if (why) report(o, ValidationRule.NAME, `${t.specPath}.volumes[${i}].name`, why, NAME_HINT);
  });
  for (const claim of t.claimTemplates) {
    const why = nameViolation(claim.name, NameRule.DNS_LABEL);
    if (why) report(o, ValidationRule.NAME, `${claim.path}.metadata.name`, why, 'claim template names are mounted as volume names');
  }
}

function checkServicePortNames(o: ObjectInfo, report: Report): void {
  const ports = arr(o.json.spec?.ports);
  const names = new Map<string, number>();
  const numbers = new Map<string, number>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const key = `${p?.port}/${p?.protocol ?? 'TCP'}`;
    if (numbers.has(key))
      report(
        o,
        ValidationRule.NAME,
        `${path}.port`,
        `port ${key} is already used by ports[${numbers.get(key)}]`,
        'use another port number',
      );
    else numbers.set(key, i);
    if (p?.name === undefined || p?.name === '') {
      if (ports.length > 1)
        report(
          o,
          ValidationRule.NAME,
          `${path}.name`,
          'is required when a Service has more than one port',
          'name every port (e.g. "http")',
        );
      return;
    }
    if (typeof p.name !== 'string') return;
    const why =
      nameViolation(p.name, NameRule.DNS_LABEL) ??
      (names.has(p.name) ? `port name "${p.name}" is already used by ports[${names.get(p.name)}]` : undefined);
    if (why) report(o, ValidationRule.NAME, `${path}.name`, why, NAME_HINT);
    names.set(p.name, names.get(p.name) ?? i);
  });
}
