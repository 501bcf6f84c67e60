import { registerDecorator, ValidationOptions } from 'class-validator';

/** Validates `?ordering=field` / `-field` (comma-separated) against a whitelist. */
export function IsOrdering(fields: readonly string[], options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isOrdering',
      target: target.constructor,
      propertyName,
      options: {
        message: `ordering must be one of ${fields.flatMap((f) => [f, '-' + f]).join(', ')}`,
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.split(',').every((p) => fields.includes(p.replace(/^-/, ''))),
      },
    });
}

/** `-createdAt,name` → `{ createdAt: 'desc', name: 'asc' }` for MikroORM's orderBy. */
export function toOrderBy(
  ordering: string | undefined,
  fallback: Record<string, 'asc' | 'desc'>,
): Record<string, 'asc' | 'desc'> {
  if (!ordering) return fallback;
  return Object.fromEntries(
    ordering.split(',').map((p) => (p.startsWith('-') ? [p.slice(1), 'desc'] : [p, 'asc'])),
  );
}
