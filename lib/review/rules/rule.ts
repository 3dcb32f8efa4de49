// The shape of a review rule: its row of the rule table and a check over one object change.
import { KubeObject } from '../identity';
import { RawChange } from '../field-diff';
import { ChangeSeverity, RuleInfo } from '../types';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'renamed';

export interface RuleContext {
  readonly type: ChangeKind;
  /** `apps/StatefulSet`, `Service`... */
  readonly groupKind: string;
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  /** Field changes (changed and renamed objects; metadata.name/namespace excluded for renames). */
  readonly changes: RawChange[];
  /** The objects of the before tree in a namespace (`Kind/name`), for what a Namespace removal deletes. */
  objectsInNamespace(namespace: string): string[];
}

/** A rule's hit: what happens and the JSON paths it is about. */
export interface Hit {
  readonly message: string;
  readonly paths?: string[];
}

export interface Rule extends RuleInfo {
  /** Group/kinds it runs on (`apps/StatefulSet`); kinds in RuleInfo are the display names. */
  readonly groupKinds: string[];
  check(ctx: RuleContext): Hit[];
}

export function rule(
  id: string,
  severity: ChangeSeverity,
  groupKinds: string[],
  description: string,
  citation: string,
  check: (ctx: RuleContext) => Hit[],
): Rule {
  return { id, severity, groupKinds, kinds: groupKinds.map((gk) => gk.slice(gk.indexOf('/') + 1)), description, citation, check };
}

export const WORKLOAD_KINDS = [
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'ReplicationController',
  'batch/Job',
  'batch/CronJob',
  'Pod',
];
