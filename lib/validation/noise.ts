import { ApiObject } from 'cdk8s';
import type { IManifestTransform } from '../core/registry';
import { groupOf } from './context';
import { arr, obj } from './json-path';
import { podTemplateOf } from './pod-templates';

const JSII_RTTI = Symbol.for('jsii.rtti');

/** Whether `o` is the API object a cdk8s-plus L2 construct (of any plus version) rendered. */
function isPlusRendered(o: ApiObject): boolean {
  const owner: any = o.node.scope;
  const fqn: unknown = owner?.constructor?.[JSII_RTTI]?.fqn;
  return typeof fqn === 'string' && fqn.startsWith('cdk8s-plus-') && owner.apiObject === o;
}

type Meaningless = 'empty' | false | 0;

function isMeaningless(value: unknown, noise: Meaningless): boolean {
  if (noise !== 'empty') return value === noise;
  if (Array.isArray(value)) return value.length === 0;
  return obj(value) !== undefined && Object.keys(value as object).length === 0;
}

/** Deletes `node[key]` when it holds the meaningless value. */
function strip(node: unknown, key: string, noise: Meaningless): void {
  const o = obj(node);
  if (o && key in o && isMeaningless(o[key], noise)) delete o[key];
}

/**
 * Fields cdk8s-plus-27 writes with a value that means the same as leaving them out, by `group/kind`
 * (found by synthesizing every plus construct with its defaults). Values that carry meaning even when
 * empty or false are kept: `podSelector: {}` (all pods), `emptyDir: {}`, `automountServiceAccountToken:
 * false`, `privileged: false`, and defaults plus writes out on purpose (`dnsPolicy`, `restartPolicy`...).
 */
const BY_KIND: Record<string, (json: Record<string, any>) => void> = {
  '/Service': (j) => {
    strip(j.spec, 'externalIPs', 'empty');
    strip(j.spec, 'selector', 'empty');
  },
  '/ConfigMap': (j) => {
    strip(j, 'immutable', false);
    strip(j, 'data', 'empty');
    strip(j, 'binaryData', 'empty');
  },
  '/Secret': (j) => {
    strip(j, 'immutable', false);
    strip(j, 'data', 'empty');
    strip(j, 'stringData', 'empty');
  },
  '/Namespace': (j) => strip(j, 'spec', 'empty'),
  'rbac.authorization.k8s.io/Role': stripRules,
  'rbac.authorization.k8s.io/ClusterRole': stripRules,
  'rbac.authorization.k8s.io/RoleBinding': (j) => strip(j, 'subjects', 'empty'),
  'rbac.authorization.k8s.io/ClusterRoleBinding': (j) => strip(j, 'subjects', 'empty'),
  'apps/Deployment': (j) => strip(j.spec, 'minReadySeconds', 0),
  'apps/StatefulSet': (j) => strip(j.spec, 'minReadySeconds', 0),
  'apps/DaemonSet': (j) => strip(j.spec, 'minReadySeconds', 0),
  'apps/ReplicaSet': (j) => strip(j.spec, 'minReadySeconds', 0),
  'batch/CronJob': (j) => strip(j.spec, 'suspend', false),
  'networking.k8s.io/NetworkPolicy': (j) => {
    // an empty peer or port list in a rule means "all", as does leaving it out
    for (const rule of arr(j.spec?.ingress)) {
      strip(rule, 'from', 'empty');
      strip(rule, 'ports', 'empty');
    }
    for (const rule of arr(j.spec?.egress)) {
      strip(rule, 'to', 'empty');
      strip(rule, 'ports', 'empty');
    }
  },
};

function stripRules(j: Record<string, any>): void {
  for (const rule of arr(j.rules)) strip(rule, 'resourceNames', 'empty');
  strip(j, 'rules', 'empty');
}

/**
 * Removes the noise cdk8s-plus-27 adds to its objects (`externalIPs: []`, `resourceNames: []`,
 * `immutable: false`, `minReadySeconds: 0`, `hostNetwork: false`...), so plus objects read like ours and
 * snapshots and GitOps diffs do not churn on meaningless fields. Objects not rendered by a plus L2
 * construct (ours, raw `ApiObject`s, included YAML) are left exactly as they are.
 */
export const NOISE_FILTER: IManifestTransform = {
  order: '~noise', // after every other transform
  transform(o: ApiObject, json: any) {
    const j = obj(json);
    if (!j || !isPlusRendered(o)) return json;
    const group = groupOf(typeof j.apiVersion === 'string' ? j.apiVersion : '');
    BY_KIND[`${group}/${j.kind}`]?.(j);
    const template = podTemplateOf(j);
    if (template) {
      strip(template.spec, 'hostNetwork', false);
      strip(template.spec, 'setHostnameAsFQDN', false);
    }
    return json;
  },
};
