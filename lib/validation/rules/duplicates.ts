import { RuleInput } from '../findings';
import { ValidationRule } from '../rule';

/** Duplicate: two objects with the same group, kind, namespace and name; the second would overwrite the first at apply. */
export function checkDuplicates({ ctx, report }: RuleInput): void {
  for (const { object, first } of ctx.duplicates) {
    const where = object.namespace ? ` in namespace "${object.namespace}"` : '';
    report(
      object,
      ValidationRule.DUPLICATE,
      'metadata.name',
      `${object.ref}${where} is also defined at ${first.obj.node.path}; the second would overwrite the first on apply`,
      'give one of them another name (or namespace)',
    );
  }
}
