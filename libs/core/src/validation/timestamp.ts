import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';

// ISO 8601 with an explicit offset: a timestamp without one means "local time somewhere".
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export const timestampMessage = (field: string) =>
  `${field} must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T20:00:00.000Z`;

/** An ISO 8601 timestamp string with `Z` or an offset that names a real instant. */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

export interface TimestampOptions extends ValidationOptions {
  /** Hand the property on as a `Date` (parsed after it passed); otherwise it stays the string. */
  asDate?: boolean;
}

/**
 * class-validator: an ISO 8601 timestamp with `Z` or an offset, e.g. `2026-11-22T20:00:00.000Z`.
 * With `asDate` the property is parsed into a `Date` (a malformed value is left as it came, and
 * fails).
 */
export function IsTimestamp({ asDate = false, ...options }: TimestampOptions = {}) {
  const validator = (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: timestampMessage(String(propertyName)), ...options },
      validator: {
        validate: asDate
          ? (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime())
          : isTimestamp,
      },
    });
  if (!asDate) return validator;
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (isTimestamp(value) ? new Date(value) : value)),
    validator,
  );
}
