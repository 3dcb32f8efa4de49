// Changes the API server accepts that lose data or orphan it: volumes whose claims no pod will use again,
// custom resources and namespaced objects deleted with their definition or namespace.
import { ChangeSeverity } from '../types';
import { Hit, rule, Rule } from './rule';

const STS = 'apps/StatefulSet';

function claimTemplates(sts: any): string[] {
  return ((sts?.spec?.volumeClaimTemplates ?? []) as any[]).map((t) => t?.metadata?.name).filter((n) => typeof n === 'string');
}

function replicas(o: any): number {
  return typeof o?.spec?.replicas === 'number' ? o.spec.replicas : 1;
}

/** `data-web-0`, `data-web-1`... (the claims the StatefulSet controller creates: `<template>-<statefulset>-<ordinal>`). */
function claimNames(template: string, sts: any): string {
  const n = replicas(sts);
  const start = typeof sts?.spec?.ordinals?.start === 'number' ? sts.spec.ordinals.start : 0;
  const name = `${template}-${sts.metadata.name}`;
  if (n <= 0) return `${name}-<ordinal>`;
  return n === 1 ? `${name}-${start}` : `${name}-${start}…${start + n - 1}`;
}

function whenDeleted(sts: any): string {
  return sts?.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain';
}

/** What happens to the claims of `sts` when it is deleted (`renamedTo`: the new StatefulSet's name). */
function goneClaims(sts: any, renamedTo?: any): Hit[] {
  const tpls = claimTemplates(sts);
  if (tpls.length === 0) return [];
  const claims = tpls.map((t) => claimNames(t, sts)).join(', ');
  const fate =
    whenDeleted(sts) === 'Delete'
      ? `claims ${claims} are deleted with it (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete), and their volumes under the usual Delete reclaim policy`
      : `claims ${claims} are orphaned (they stay, bound, but no pod mounts them again)`;
  const then = renamedTo
    ? `the pods of ${renamedTo.metadata.name} start with new, empty claims ${claimTemplates(renamedTo)
        .map((t) => claimNames(t, renamedTo))
        .join(', ')}`
    : 'a StatefulSet under another name starts with empty volumes';
  const what = renamedTo ? `renamed ${sts.metadata.name} → ${renamedTo.metadata.name}` : `StatefulSet ${sts.metadata.name} is deleted`;
  return [{ message: `${what}: ${fate}; ${then}`, paths: ['spec.volumeClaimTemplates'] }];
}

export const statefulSetRemoved = rule(
  'statefulset-removed',
  ChangeSeverity.DATA_LOSS,
  [STS],
  'a StatefulSet with volumeClaimTemplates is removed',
  'StatefulSet controller: claims are named <template>-<statefulset>-<ordinal> and are kept (whenDeleted: Retain, the default) or deleted (whenDeleted: Delete) when the StatefulSet goes (KEP-1847, pkg/controller/statefulset/stateful_set_utils.go getPersistentVolumeClaimName)',
  (ctx) => (ctx.type === 'removed' ? goneClaims(ctx.before) : []),
);

export const statefulSetRenamed = rule(
  'statefulset-renamed',
  ChangeSeverity.DATA_LOSS,
  [STS],
  'a StatefulSet with volumeClaimTemplates is renamed (or moves namespace)',
  'StatefulSet controller claim names <template>-<statefulset>-<ordinal> (pkg/controller/statefulset/stateful_set_utils.go getPersistentVolumeClaimName): a new name means new, empty claims',
  (ctx) => (ctx.type === 'renamed' ? goneClaims(ctx.before, ctx.after) : []),
);

export const claimTemplateRenamed = rule(
  'claim-template-renamed',
  ChangeSeverity.DATA_LOSS,
  [STS],
  'a claim template of a StatefulSet is renamed or removed',
  'StatefulSet controller claim names <template>-<statefulset>-<ordinal> (getPersistentVolumeClaimName): once the StatefulSet is recreated (the only way past statefulset-spec-immutable), pods mount claims of the new template name, empty, and the old claims are orphaned',
  (ctx) => {
    if (ctx.type !== 'changed' && ctx.type !== 'renamed') return [];
    const after = new Set(claimTemplates(ctx.after));
    const gone = claimTemplates(ctx.before).filter((t) => !after.has(t));
    if (gone.length === 0) return [];
    return [
      {
        message: `claim template ${gone.map((g) => `\`${g}\``).join(', ')} is gone: the claims ${gone.map((g) => claimNames(g, ctx.before)).join(', ')} are orphaned and pods start with empty volumes from the new template`,
        paths: gone.map((g) => `spec.volumeClaimTemplates[name=${g}]`),
      },
    ];
  },
);

export const claimsDeletedOnScaleDown = rule(
  'claims-deleted-on-scale-down',
  ChangeSeverity.DATA_LOSS,
  [STS],
  'a StatefulSet with persistentVolumeClaimRetentionPolicy.whenScaled: Delete scales down',
  'StatefulSet controller with StatefulSetAutoDeletePVC (beta, on in 1.27): whenScaled: Delete deletes the claims of the removed ordinals (pkg/controller/statefulset/stateful_set_utils.go isClaimOwnerUpToDate / updateClaimOwnerRefForSetAndPod)',
  (ctx) => {
    if (ctx.type !== 'changed') return [];
    if (ctx.after!.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete' || claimTemplates(ctx.after).length === 0) return [];
    const b = replicas(ctx.before);
    const a = replicas(ctx.after);
    if (a >= b) return [];
    return [
      { message: `replicas ${b} → ${a} with whenScaled: Delete deletes the claims of ordinals ${a}…${b - 1}`, paths: ['spec.replicas'] },
    ];
  },
);

export const pvcRemoved = rule(
  'pvc-removed',
  ChangeSeverity.DATA_LOSS,
  ['PersistentVolumeClaim'],
  'a PersistentVolumeClaim is removed or renamed',
  'Deleting a claim releases its PersistentVolume, which its reclaim policy then deletes (Delete, the default of dynamically provisioned volumes) or keeps Released, unbindable by a new claim (Retain) — pkg/controller/volume/persistentvolume reclaimVolume',
  (ctx) => {
    if (ctx.type !== 'removed' && ctx.type !== 'renamed') return [];
    const what =
      ctx.type === 'renamed'
        ? `the rename deletes claim ${ctx.before!.metadata.name} and creates an empty ${ctx.after!.metadata.name}`
        : 'the claim is deleted';
    return [{ message: `${what}: its volume is deleted under the Delete reclaim policy, or left Released under Retain` }];
  },
);

export const namespaceRemoved = rule(
  'namespace-removed',
  ChangeSeverity.DATA_LOSS,
  ['Namespace'],
  'a Namespace is removed or renamed',
  'Namespace lifecycle: deleting a Namespace deletes every object in it, claims and their volumes included (pkg/controller/namespace/deletion namespacedResourcesDeleter)',
  (ctx) => {
    if (ctx.type !== 'removed' && ctx.type !== 'renamed') return [];
    const ns = ctx.before!.metadata.name;
    const here = ctx.objectsInNamespace(ns);
    const shown = here.slice(0, 8).join(', ');
    const of = here.length ? ` (${here.length} in this tree: ${shown}${here.length > 8 ? ', …' : ''})` : '';
    return [{ message: `deleting Namespace ${ns} deletes every object in it${of}, including objects created outside this tree` }];
  },
);

export const crdRemoved = rule(
  'crd-removed',
  ChangeSeverity.DATA_LOSS,
  ['apiextensions.k8s.io/CustomResourceDefinition'],
  'a CustomResourceDefinition is removed or renamed',
  'apiextensions-apiserver: deleting a CRD deletes every custom resource of it (pkg/controller/finalizer crd_finalizer.go, finalizer customresourcecleanup.apiextensions.k8s.io)',
  (ctx) => {
    if (ctx.type !== 'removed' && ctx.type !== 'renamed') return [];
    return [
      {
        message: `deleting CRD ${ctx.before!.metadata.name} deletes every ${ctx.before!.spec?.names?.kind ?? 'custom resource'} object of it in every namespace`,
      },
    ];
  },
);

export const DATA_LOSS_RULES: Rule[] = [
  statefulSetRemoved,
  statefulSetRenamed,
  claimTemplateRenamed,
  claimsDeletedOnScaleDown,
  pvcRemoved,
  namespaceRemoved,
  crdRemoved,
];
