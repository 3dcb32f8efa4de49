import { isPlainRendered } from '../../core/manifest';
import { PatternDefaults } from '../../pod/defaults';
import {
  BASELINE_CAPABILITIES,
  isPodSecurityLevel,
  isStricter,
  POD_SECURITY_ANNOTATION,
  POD_SECURITY_REASON_ANNOTATION,
  PodSecurityLevel,
  RESTRICTED_VOLUMES,
} from '../../pod/security';
import type { ObjectInfo } from '../context';
import { RuleInput } from '../findings';
import { arr, at, obj } from '../json-path';
import { ContainerJson, containersOf, PodTemplateJson } from '../pod-templates';
import { ValidationRule } from '../rule';
import { enforcesPolicy, isPlusWorkload, reportPolicyFinding } from '../policy';

/** The namespace label through which Pod Security admission enforces a level. */
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

// The rest of the Pod Security Standards as of Kubernetes 1.27 (k8s.io/pod-security-admission, policy version v1.27):
// the controls only validation reads (the capability and volume lists are shared with the initializers).
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const RESTRICTED_SECCOMP = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

type Out = (field: string, message: string) => void;

/**
 * Pod security: each pod template meets the Pod Security Standards level it is built for — restricted,
 * unless its `cdk8s-patterns.io/pod-security` annotation (or `PatternDefaults.podSecurity`) opts it down
 * to baseline or privileged with a reason — and the stricter level its namespace enforces, if the
 * namespace is in the app (or declared with `Validation.external(scope, { namespacePodSecurity })`).
 * Each broken control is reported at its JSON path; init and ephemeral containers are checked too.
 *
 * Coexistence: on objects the library did not create (cdk8s-plus, L1, raw, `Include`), what breaks the
 * level the namespace enforces is an error (admission would reject the pods: k8s.io/pod-security-admission
 * checks the namespace's `enforce` level only), what breaks only the declared level is a warning, unless
 * `PatternDefaults` `enforcePolicyEverywhere` is in force (see `reportPolicyFinding`).
 */
export function checkPodSecurity({ ctx, report }: RuleInput): void {
  for (const o of ctx.workloads) {
    const own = enforcesPolicy(o.obj);
    const hintFor = (lower: PodSecurityLevel) => levelHint(o, lower);
    const declared = declaredLevel(o, (field, message) =>
      reportPolicyFinding(report, o, own, ValidationRule.POD_SECURITY, field, message, hintFor(PodSecurityLevel.BASELINE)),
    );
    const label = ctx.namespaces.get(o.namespace)?.json.metadata?.labels?.[ENFORCE_LABEL];
    const enforced = isPodSecurityLevel(label) ? label : o.policy.external.namespacePodSecurity.get(o.namespace);
    const nsHint = `namespace "${o.namespace}" enforces Pod Security "${enforced}", so admission would reject these pods; fix the field, or lower the namespace's level`;
    const levelHintOf = (level: PodSecurityLevel) =>
      hintFor(level === PodSecurityLevel.RESTRICTED ? PodSecurityLevel.BASELINE : PodSecurityLevel.PRIVILEGED);
    if (own) {
      // ours (or enforced everywhere): the stricter of the declared and the enforced level, all errors
      const byNamespace = enforced !== undefined && isStricter(enforced, declared);
      const level = byNamespace ? enforced : declared;
      const hint = byNamespace ? nsHint : levelHintOf(level);
      checkLevel(o.template!, level, (field, message) =>
        report(o, ValidationRule.POD_SECURITY, field, `Pod Security "${level}": ${message}`, hint),
      );
      continue;
    }
    // not ours: what admission would reject is an error, the rest of the declared level a warning
    const reported = new Set<string>();
    if (enforced !== undefined) {
      checkLevel(o.template!, enforced, (field, message) => {
        reported.add(field);
        report(o, ValidationRule.POD_SECURITY, field, `Pod Security "${enforced}": ${message}`, nsHint);
      });
    }
    if (enforced !== undefined && !isStricter(declared, enforced)) continue;
    const hint = levelHintOf(declared);
    checkLevel(o.template!, declared, (field, message) => {
      if (!reported.has(field))
        reportPolicyFinding(report, o, false, ValidationRule.POD_SECURITY, field, `Pod Security "${declared}": ${message}`, hint);
    });
  }
}

function checkLevel(t: PodTemplateJson, level: PodSecurityLevel, out: Out): void {
  if (level === PodSecurityLevel.PRIVILEGED) return;
  checkBaseline(t, out, level === PodSecurityLevel.RESTRICTED);
  if (level === PodSecurityLevel.RESTRICTED) checkRestricted(t, out);
}

/** A hint that works for the object at hand: a prop of ours; both annotations on a cdk8s-plus or raw pod template. */
function levelHint(o: ObjectInfo, lower: PodSecurityLevel): string {
  const fn = lower === PodSecurityLevel.BASELINE ? 'baseline' : 'privileged';
  if (isPlainRendered(o.obj)) {
    return `fix the field, or opt this workload down with a reason: podSecurity: PodSecurity.${fn}('why') (annotation ${POD_SECURITY_ANNOTATION})`;
  }
  const how = isPlusWorkload(o.obj)
    ? `podMetadata.addAnnotation('${POD_SECURITY_ANNOTATION}', '${lower}') and podMetadata.addAnnotation('${POD_SECURITY_REASON_ANNOTATION}', 'why') on the cdk8s-plus workload`
    : `both annotations ${POD_SECURITY_ANNOTATION}: ${lower} and ${POD_SECURITY_REASON_ANNOTATION}: <why> on the pod template (${o.template!.metaPath || 'metadata'}.annotations)`;
  return `fix the field, bring it up to restricted with new PodInitializers(app, 'hardening', { initializers: [new PodHardeningInitializer()] }), or declare its level with ${how}`;
}

/** The level a template is built for: its annotation, else the defaults in force, else restricted. */
function declaredLevel(o: ObjectInfo, out: Out): PodSecurityLevel {
  const t = o.template!;
  const value = t.annotations[POD_SECURITY_ANNOTATION];
  if (value === undefined) return PatternDefaults.of(o.obj).podSecurity?.level ?? PodSecurityLevel.RESTRICTED;
  const path = at(at(t.metaPath, 'annotations'), POD_SECURITY_ANNOTATION);
  if (!isPodSecurityLevel(value)) {
    out(path, `"${value}" is not a Pod Security level (restricted, baseline, privileged); checked as restricted`);
    return PodSecurityLevel.RESTRICTED;
  }
  const reason = t.annotations[POD_SECURITY_REASON_ANNOTATION];
  if (value !== PodSecurityLevel.RESTRICTED && (typeof reason !== 'string' || reason.trim() === '')) {
    out(
      at(at(t.metaPath, 'annotations'), POD_SECURITY_REASON_ANNOTATION),
      `a Pod Security level below restricted ("${value}") needs a reason`,
    );
  }
  return value;
}

/** The baseline controls. At restricted, the seccomp and capability controls are left to the stricter checks. */
function checkBaseline(t: PodTemplateJson, out: Out, restricted: boolean): void {
  const sp = t.specPath;
  const psc = obj(t.spec.securityContext) ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (t.spec[f] === true) out(`${sp}.${f}`, `${f} shares a host namespace and is not allowed`);
  }
  if (psc.windowsOptions?.hostProcess === true)
    out(`${sp}.securityContext.windowsOptions.hostProcess`, 'Windows host processes are not allowed');
  checkSeLinux(psc.seLinuxOptions, `${sp}.securityContext.seLinuxOptions`, out);
  if (!restricted && psc.seccompProfile?.type === 'Unconfined')
    out(`${sp}.securityContext.seccompProfile.type`, 'seccomp profile Unconfined is not allowed');
  arr(psc.sysctls).forEach((s, i) => {
    if (!SAFE_SYSCTLS.has(s?.name))
      out(`${sp}.securityContext.sysctls[${i}].name`, `sysctl "${s?.name}" is not allowed (only ${[...SAFE_SYSCTLS].join(', ')})`);
  });
  arr(t.spec.volumes).forEach((v, i) => {
    if (v?.hostPath !== undefined) out(`${sp}.volumes[${i}].hostPath`, `hostPath volume "${v.name}" is not allowed`);
  });
  for (const key of Object.keys(t.annotations)) {
    const value = t.annotations[key];
    if (key.startsWith(APPARMOR_PREFIX) && value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      out(at(at(t.metaPath, 'annotations'), key), `AppArmor profile "${value}" is not allowed (runtime/default or localhost/*)`);
    }
  }
  for (const c of containersOf(t)) {
    const sc = obj(c.c.securityContext) ?? {};
    const scp = `${c.path}.securityContext`;
    if (sc.privileged === true) out(`${scp}.privileged`, `container "${c.name}" is privileged`);
    if (!restricted) {
      arr(sc.capabilities?.add).forEach((cap, j) => {
        if (!BASELINE_CAPABILITIES.has(cap))
          out(`${scp}.capabilities.add[${j}]`, `container "${c.name}" adds capability ${cap}, beyond the baseline set`);
      });
      if (sc.seccompProfile?.type === 'Unconfined')
        out(`${scp}.seccompProfile.type`, `container "${c.name}": seccomp profile Unconfined is not allowed`);
    }
    arr(c.c.ports).forEach((p, j) => {
      if (p?.hostPort) out(`${c.path}.ports[${j}].hostPort`, `container "${c.name}" uses host port ${p.hostPort}`);
    });
    if (sc.windowsOptions?.hostProcess === true)
      out(`${scp}.windowsOptions.hostProcess`, `container "${c.name}" is a Windows host process`);
    checkSeLinux(sc.seLinuxOptions, `${scp}.seLinuxOptions`, out);
    if (sc.procMount !== undefined && sc.procMount !== 'Default')
      out(`${scp}.procMount`, `container "${c.name}" uses procMount ${sc.procMount} (only Default)`);
  }
}

function checkSeLinux(value: unknown, path: string, out: Out): void {
  const o = obj(value);
  if (!o) return;
  if (o.type !== undefined && !SELINUX_TYPES.has(o.type))
    out(`${path}.type`, `SELinux type "${o.type}" is not allowed (container_t, container_init_t, container_kvm_t)`);
  for (const f of ['user', 'role']) if (o[f] !== undefined && o[f] !== '') out(`${path}.${f}`, `setting the SELinux ${f} is not allowed`);
}

/** The restricted controls on top of baseline. Windows pods are exempt from the Linux-only ones. */
function checkRestricted(t: PodTemplateJson, out: Out): void {
  const sp = t.specPath;
  const psc = obj(t.spec.securityContext) ?? {};
  const linux = t.spec.os?.name !== 'windows';
  const containers = containersOf(t);
  arr(t.spec.volumes).forEach((v, i) => {
    const source = Object.keys(obj(v) ?? {}).find((k) => k !== 'name');
    if (source && source !== 'hostPath' && !RESTRICTED_VOLUMES.has(source)) {
      out(`${sp}.volumes[${i}].${source}`, `${source} volume "${v.name}" is not allowed (only ${[...RESTRICTED_VOLUMES].join(', ')})`);
    }
  });
  if (psc.runAsUser === 0) out(`${sp}.securityContext.runAsUser`, 'runAsUser 0 (root) is not allowed');
  if (psc.runAsNonRoot === false) out(`${sp}.securityContext.runAsNonRoot`, 'must not be false');
  const podSeccomp = psc.seccompProfile?.type;
  if (linux && podSeccomp !== undefined && !RESTRICTED_SECCOMP.has(podSeccomp)) {
    out(`${sp}.securityContext.seccompProfile.type`, `seccomp profile ${podSeccomp} is not allowed (RuntimeDefault or Localhost)`);
  }
  const unset = { nonRoot: [] as ContainerJson[], seccomp: [] as ContainerJson[] };
  for (const c of containers) {
    const sc = obj(c.c.securityContext) ?? {};
    const scp = `${c.path}.securityContext`;
    if (sc.runAsUser === 0) out(`${scp}.runAsUser`, `container "${c.name}" runs as user 0 (root)`);
    if (sc.runAsNonRoot === false) out(`${scp}.runAsNonRoot`, `container "${c.name}" sets runAsNonRoot: false`);
    else if (sc.runAsNonRoot !== true && psc.runAsNonRoot !== true) unset.nonRoot.push(c);
    if (!linux) continue;
    if (sc.allowPrivilegeEscalation !== false)
      out(`${scp}.allowPrivilegeEscalation`, `container "${c.name}" must set allowPrivilegeEscalation: false`);
    const type = sc.seccompProfile?.type;
    if (type !== undefined && !RESTRICTED_SECCOMP.has(type))
      out(`${scp}.seccompProfile.type`, `container "${c.name}": seccomp profile ${type} is not allowed (RuntimeDefault or Localhost)`);
    else if (type === undefined && !RESTRICTED_SECCOMP.has(podSeccomp)) unset.seccomp.push(c);
    if (!arr(sc.capabilities?.drop).includes('ALL')) out(`${scp}.capabilities.drop`, `container "${c.name}" must drop ALL capabilities`);
    arr(sc.capabilities?.add).forEach((cap, j) => {
      if (cap !== 'NET_BIND_SERVICE')
        out(`${scp}.capabilities.add[${j}]`, `container "${c.name}" adds capability ${cap} (only NET_BIND_SERVICE)`);
    });
  }
  const names = (list: ContainerJson[]) => list.map((c) => `"${c.name}"`).join(', ');
  if (unset.nonRoot.length > 0) {
    out(`${sp}.securityContext.runAsNonRoot`, `must be true, on the pod or on every container (not set for ${names(unset.nonRoot)})`);
  }
  if (unset.seccomp.length > 0 && podSeccomp === undefined) {
    out(
      `${sp}.securityContext.seccompProfile.type`,
      `must be RuntimeDefault or Localhost, on the pod or on every container (not set for ${names(unset.seccomp)})`,
    );
  }
}
