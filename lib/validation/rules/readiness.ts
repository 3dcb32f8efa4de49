import type { ObjectInfo } from '../context';
import { RuleInput } from '../findings';
import { arr, obj } from '../json-path';
import { ValidationRule } from '../rule';

/** A container without a readinessProbe behind Services. */
interface Unready {
  readonly workload: ObjectInfo;
  readonly path: string;
  readonly name: string;
  readonly services: string[];
}

/**
 * Readiness (a warning): a container behind a Service has no readinessProbe. Without one the pod is
 * Ready as soon as its containers start, so the Service sends it traffic while it cannot serve yet
 * (and keeps sending while it is overloaded or broken).
 *
 * A container is behind a Service when the Service's selector matches its pod's labels (same
 * namespace) and a Service port targets a port it declares: a named `targetPort` the container's
 * ports name (with the same protocol), or a number it declares. A number no container of the pod
 * declares may be served by any of them (Kubernetes sends traffic to it whether declared or not), so
 * then every app container counts; so it does for a Service without ports. This mirrors how the
 * endpoints controllers resolve a target (`FindPort`, pkg/api/v1/pod/util.go) and mark an address
 * ready (`publishNotReadyAddresses || IsPodReady`, pkg/controller/endpointslice/utils.go podToEndpoint),
 * kubernetes release-1.27.
 *
 * Not checked: Services without a selector or of type ExternalName; headless Services with
 * `publishNotReadyAddresses` (peer discovery, where readiness does not gate the addresses); Job and
 * CronJob pods, which run to completion. One warning per container, naming its Services; suppress it
 * with `Validation.suppress(workloadOrService, ValidationRule.READINESS, reason)`.
 */
export function checkReadiness({ ctx, warn }: RuleInput): void {
  const found = new Map<string, Unready>();
  for (const svc of ctx.objects) {
    if (svc.kind !== 'Service' || svc.group !== '' || svc.policy.suppressed.has(ValidationRule.READINESS)) continue;
    const spec = obj(svc.json.spec);
    const selector = obj(spec?.selector) as { [key: string]: string } | undefined;
    if (!spec || spec.type === 'ExternalName' || !selector || Object.keys(selector).length === 0) continue;
    if (spec.clusterIP === 'None' && spec.publishNotReadyAddresses === true) continue;
    for (const w of ctx.findWorkloads(svc.namespace, selector)) {
      const t = w.template!;
      if (t.job || w.policy.suppressed.has(ValidationRule.READINESS)) continue;
      // the common case, every container probed: nothing to match
      if (arr(t.spec.containers).every((c) => obj(c)?.readinessProbe !== undefined)) continue;
      const containers = arr(t.spec.containers).map((c, i) => ({ c: obj(c) ?? {}, path: `${t.specPath}.containers[${i}]` }));
      for (const i of servingContainers(
        containers.map((x) => x.c),
        arr(spec.ports),
      )) {
        const { c, path } = containers[i];
        if (c.readinessProbe !== undefined) continue;
        const key = `${w.index}|${i}`;
        const entry = found.get(key) ?? { workload: w, path, name: typeof c.name === 'string' ? c.name : '', services: [] };
        if (!entry.services.includes(svc.name)) entry.services.push(svc.name);
        found.set(key, entry);
      }
    }
  }
  for (const u of found.values()) {
    const services = u.services.map((s) => `"${s}"`).join(', ');
    warn(
      u.workload,
      `[${ValidationRule.READINESS}] ${u.workload.ref} ${u.path}: container "${u.name}" serves Service ${services} but has no readinessProbe, ` +
        'so it gets traffic as soon as it starts, before it can serve ' +
        "(add readiness: ContainerProbe.httpGet('/healthz'), ContainerProbe.tcpSocket() or ContainerProbe.command([...]) — " +
        'a cdk8s-plus Probe on cdk8s-plus containers; or Validation.suppress(scope, ValidationRule.READINESS, reason))',
    );
  }
}

/** Indexes of the containers a Service's ports target (every container when a port targets a number none declares). */
function servingContainers(containers: Array<Record<string, any>>, ports: any[]): number[] {
  const all = containers.map((_, i) => i);
  if (ports.length === 0) return all;
  const out = new Set<number>();
  for (const p of ports) {
    const target = p?.targetPort ?? p?.port;
    const protocol = p?.protocol ?? 'TCP';
    const declares = (c: Record<string, any>) =>
      arr(c.ports).some((cp) =>
        typeof target === 'string' ? cp?.name === target && (cp?.protocol ?? 'TCP') === protocol : cp?.containerPort === target,
      );
    const matching = all.filter((i) => declares(containers[i]));
    for (const i of matching.length > 0 || typeof target === 'string' ? matching : all) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
