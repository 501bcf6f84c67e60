import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Numbers a task may hold: integers well inside 32 bits, so products stay exact in JS. */
export const MAX_TASK_NUMBER = 1_000_000;

// ISO 8601 with an explicit offset: a timestamp without one means "local time somewhere".
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export const timestampMessage = (field: string) =>
  `${field} must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T20:00:00.000Z`;

export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

/** An ISO 8601 timestamp with `Z` or an offset, e.g. `2026-11-22T20:00:00.000Z`. */
export function IsTimestamp(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName,
      options: {
        message: timestampMessage(propertyName),
        ...options,
      },
      validator: { validate: isTimestamp },
    });
}

/** A JSON object whose serialized form is at most `max` characters. */
export function MaxJsonLength(max: number, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'maxJsonLength',
      target: target.constructor,
      propertyName,
      constraints: [max],
      options: {
        message: `${propertyName} must serialize to at most ${max} characters`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          try {
            return JSON.stringify(value).length <= max;
          } catch {
            return false;
          }
        },
      },
    });
}

/** Trims surrounding whitespace from strings, as DRF's CharField does. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
