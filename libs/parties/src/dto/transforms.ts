import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate } from 'class-validator';

/** An ISO 8601 date-time with a zone (`Z` or an offset): a bare local time would be ambiguous. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an ISO 8601 timestamp into a Date, or fails validation. */
export function IsTimestamp() {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && ISO_TIMESTAMP.test(value) ? new Date(value) : value,
    ),
    IsDate({
      message: ({ property }) =>
        `${property} must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-22T20:00:00Z`,
    }),
  );
}

/** Trims strings before validation (so `'  '` is empty and lengths count what is stored). */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
