import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { PatternDefaults, PatternError, Problem, Validation } from '../../lib';

/**
 * A plain cdk8s app (none of our constructs) with validation turned on, and one chart. Policy findings
 * on raw objects are errors here (`enforcePolicyEverywhere`), so the rules can be tested on raw JSON;
 * the default (warnings) is tested in test/validation/coexistence.test.ts.
 */
export function rawApp(namespace?: string): { app: App; chart: Chart } {
  const app = Testing.app();
  Validation.enable(app);
  PatternDefaults.set(app, { enforcePolicyEverywhere: true });
  return { app, chart: new Chart(app, 'test', { namespace }) };
}

/** Adds a raw ApiObject (id: `<kind>-<name>`). */
export function add(scope: Construct, json: any): ApiObject {
  return new ApiObject(scope, `${json.kind}-${json.metadata?.name ?? 'x'}`, json);
}

/** The problems synth reports for `app` (empty when it synthesizes). Other errors are rethrown. */
export function problemsOf(app: App): Problem[] {
  try {
    app.synthYaml();
    return [];
  } catch (e) {
    if (e instanceof PatternError) return e.problems;
    throw e;
  }
}

/** `ruleId object field` of each problem, for compact assertions. */
export function summary(problems: Problem[]): string[] {
  return problems.map((p) => `${p.ruleId} ${p.object} ${p.field}`);
}

export const labels = { 'app.kubernetes.io/name': 'web' };

/** A container that meets Pod Security "restricted" and every other rule. */
export function container(name = 'web', extra: Record<string, any> = {}): Record<string, any> {
  return {
    name,
    image: 'nginx:1.25',
    resources: { requests: { cpu: '100m', memory: '64Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    ...extra,
  };
}

/** A pod spec that passes every rule. */
export function podSpec(extra: Record<string, any> = {}): Record<string, any> {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container()],
    ...extra,
  };
}

/** A Deployment that passes every rule. */
export function deployment(name = 'web', spec: Record<string, any> = {}, podLabels: Record<string, string> = labels): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { selector: { matchLabels: podLabels }, template: { metadata: { labels: podLabels }, spec: podSpec(spec) } },
  };
}

/** A ClusterIP Service selecting `selector`. */
export function service(name = 'web', selector: Record<string, string> | undefined = labels, spec: Record<string, any> = {}): any {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports: [{ port: 80 }], ...spec } };
}
