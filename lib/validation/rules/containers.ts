import { isPlainRendered } from '../../core/manifest';
import { PatternDefaults } from '../../pod/defaults';
import { usesLatest } from '../../pod/container';
import { RuleInput } from '../findings';
import { obj } from '../json-path';
import { containersOf } from '../pod-templates';
import { ValidationRule } from '../rule';
import { enforcesPolicy, reportPolicyFinding } from '../policy';

/**
 * Resources and image tags, for every container of the app (cdk8s-plus, raw and included objects
 * too), by the `PatternDefaults` in force at the object: each init and app container states resource
 * requests unless `containerResources` is false; no image is untagged or `latest` unless
 * `allowLatestTag`. Warnings on objects the library did not create (`reportPolicyFinding`).
 */
export function checkContainers({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    const defaults = PatternDefaults.of(o.obj);
    const needRequests = defaults.containerResources !== false;
    const allowLatest = defaults.allowLatestTag ?? false;
    const own = enforcesPolicy(o.obj);
    const set = isPlainRendered(o.obj) ? 'set requests (cpu, memory)' : `set resources.requests (cpu, memory) on the container`;
    for (const { c, path, list, name } of containersOf(o.template!)) {
      if (list === 'ephemeralContainers') continue; // they may not set resources
      if (needRequests && Object.keys(obj(obj(c.resources)?.requests) ?? {}).length === 0) {
        reportPolicyFinding(
          report,
          o,
          own,
          ValidationRule.RESOURCES,
          `${path}.resources.requests`,
          `container "${name}" requests no resources, so the scheduler places its pods blind and they are evicted first`,
          `${set}, or turn the default off with PatternDefaults.set(scope, { containerResources: false })`,
        );
      }
      if (!allowLatest && typeof c.image === 'string' && c.image && usesLatest(c.image)) {
        reportPolicyFinding(
          report,
          o,
          own,
          ValidationRule.IMAGE_TAG,
          `${path}.image`,
          `"${c.image}" has no tag or uses "latest", so what runs changes without a change here`,
          'pin a tag or digest, or set PatternDefaults.set(scope, { allowLatestTag: true })',
        );
      }
    }
  }
}
