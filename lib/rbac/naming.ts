import { IConstruct } from 'constructs';
import { checkName, NameRule } from '../core/names';

/**
 * Throws unless `name` is a valid name for an RBAC object or ServiceAccount reference: RBAC objects
 * only need a valid path segment (so `system:auth-delegator` is fine), with no length limit of their own
 * (rbac/validation `ValidateRBACName` is `path.IsValidPathSegmentName`): the one rule, `NameRule.PATH_SEGMENT`,
 * that validation holds RBAC objects to as well.
 */
export function checkRbacName(scope: IConstruct, field: string, name: string): string {
  return checkName(scope, field, name, NameRule.PATH_SEGMENT);
}

/** Joins name parts with '-', dropping a part equal to the one before (`web` + `web` → `web`, not `web-web`). */
export function joinName(...parts: string[]): string {
  return parts.filter((p, i) => p.length > 0 && p !== parts[i - 1]).join('-');
}
