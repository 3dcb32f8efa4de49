import { IConstruct } from 'constructs';
import { fail } from '../core/errors';

/**
 * Throws unless `name` is a valid name for an RBAC object or ServiceAccount reference: RBAC objects
 * only need a valid path segment (so `system:auth-delegator` is fine), at most 253 characters.
 */
export function checkRbacName(scope: IConstruct, field: string, name: string): string {
  if (typeof name !== 'string' || name.length === 0) fail(scope, field, 'must be a non-empty name');
  if (name.length > 253) fail(scope, field, `"${name}" is ${name.length} characters, more than 253`);
  if (name === '.' || name === '..' || /[/%]/.test(name)) fail(scope, field, `"${name}" may not be "." or ".." or contain "/" or "%"`);
  return name;
}

/** Joins name parts with '-', dropping a part equal to the one before (`web` + `web` → `web`, not `web-web`). */
export function joinName(...parts: string[]): string {
  return parts.filter((p, i) => p.length > 0 && p !== parts[i - 1]).join('-');
}
