import { Transform } from 'class-transformer';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** Form fields arrive as '' when left blank: treat that as "not sent". */
export const EmptyAsUndefined = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** A calendar date `YYYY-MM-DD` that exists, not before 1900 and not in the future. */
export function IsBirthdate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isBirthdate',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a past date as YYYY-MM-DD`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const date = new Date(`${value}T00:00:00Z`);
          return (
            !Number.isNaN(date.getTime()) &&
            date.toISOString().startsWith(value) &&
            value >= '1900-01-01' &&
            date.getTime() <= Date.now()
          );
        },
      },
    });
}
