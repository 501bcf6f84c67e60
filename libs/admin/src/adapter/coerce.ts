import type { EntityProperty } from '@mikro-orm/core';
import { columnKind } from './property.js';
import { isUuid } from './where.js';

/** A form value as the entity property wants it, or why it cannot be. */
export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (message: string): Coerced => ({ ok: false, message });

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `YYYY-MM-DD` from what a form or AdminJS's param converter made of a date field. */
function calendarDate(value: unknown): string | null {
  // AdminJS's converter turns '2001-02-03' into a Date at UTC midnight: its UTC day is the day.
  const text = value instanceof Date ? value.toISOString() : String(value).trim();
  const m = DATE.exec(text);
  if (!m) return null;
  return validDate(Number(m[1]), Number(m[2]), Number(m[3])) ? text.slice(0, 10) : null;
}

function instant(value: unknown): Date | null {
  const date = value instanceof Date ? value : new Date(String(value).trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

function toBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['true', '1', 'on', 'yes'].includes(text)) return true;
  if (['false', '0', 'off', 'no'].includes(text)) return false;
  return null;
}

/** Empty in a form: nothing typed (or AdminJS's explicit null). */
const isEmpty = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '');

const REQUIRED = 'This field is required.';

/**
 * Converts one form value into what the entity property holds at run time, the way Django's
 * form fields clean their input: `date` columns hold 'YYYY-MM-DD' strings (AdminJS hands the
 * adapter a Date, which MikroORM refuses for a string property: the lost-edit bug), timestamps
 * Dates, numbers numbers, JSON parsed objects, relations their primary key; empty input is
 * null where the column allows it and "required" where it does not. Messages are Django's.
 */
export function coerce(prop: EntityProperty, value: unknown): Coerced {
  const kind = columnKind(prop);
  const nullable = prop.nullable === true;
  if (isEmpty(value) && kind !== 'text') return nullable ? ok(null) : fail(REQUIRED);
  if (value === null) return nullable ? ok(null) : fail(REQUIRED);
  switch (kind) {
    case 'date': {
      const date = calendarDate(value);
      return date ? ok(date) : fail('Enter a valid date.');
    }
    case 'datetime': {
      const date = instant(value);
      return date ? ok(date) : fail('Enter a valid date/time.');
    }
    case 'boolean': {
      const bool = toBoolean(value);
      return bool === null ? fail('Enter a valid boolean.') : ok(bool);
    }
    case 'integer':
    case 'number': {
      const number = typeof value === 'number' ? value : Number(String(value).trim());
      if (!Number.isFinite(number)) return fail('Enter a number.');
      if (kind === 'integer' && !Number.isInteger(number)) return fail('Enter a whole number.');
      return ok(number);
    }
    case 'enum': {
      const items = (prop.items ?? []).map(String);
      const text = String(value);
      return items.includes(text)
        ? ok(text)
        : fail(`Select a valid choice. ${text} is not one of the available choices.`);
    }
    case 'json': {
      if (typeof value !== 'string') return ok(value);
      try {
        return ok(JSON.parse(value));
      } catch {
        return fail('Enter a valid JSON.');
      }
    }
    case 'reference': {
      const id = typeof value === 'object' ? (value as { id?: unknown }).id : value;
      const target = prop.targetMeta?.getPrimaryProps()[0];
      const text = String(id).trim();
      if (target && columnKind(target) === 'integer') {
        return /^\d+$/.test(text) ? ok(Number(text)) : fail('Select a valid choice.');
      }
      if (target?.columnTypes?.[0] === 'uuid' || target?.type === 'uuid') {
        return isUuid(text) ? ok(text.toLowerCase()) : fail('Select a valid choice.');
      }
      return ok(text);
    }
    case 'bytes':
      return fail('This field cannot be edited here.');
    default: {
      const text = String(value);
      if (text.trim() === '') return nullable ? ok(null) : fail(REQUIRED);
      const max = prop.length;
      if (max && [...text].length > max) {
        return fail(
          `Ensure this value has at most ${max} characters (it has ${[...text].length}).`,
        );
      }
      return ok(text);
    }
  }
}
