import type { EntityProperty } from '@mikro-orm/core';
import { ReferenceKind } from '@mikro-orm/core';
import { coerce } from './coerce.js';

const prop = (over: Partial<EntityProperty>): EntityProperty =>
  ({ name: 'p', kind: ReferenceKind.SCALAR, columnTypes: ['text'], ...over }) as EntityProperty;

const value = (p: EntityProperty, v: unknown) => {
  const result = coerce(p, v);
  if (!result.ok) throw new Error(result.message);
  return result.value;
};
const message = (p: EntityProperty, v: unknown) => {
  const result = coerce(p, v);
  return result.ok ? null : result.message;
};

describe('coerce(): form values as the entity holds them (Django messages)', () => {
  const date = prop({ columnTypes: ['date'], nullable: true });
  const stamp = prop({ columnTypes: ['timestamptz'] });
  const int = prop({ columnTypes: ['smallint'], nullable: true });
  const json = prop({ columnTypes: ['jsonb'] });
  const bool = prop({ columnTypes: ['boolean'] });
  const enumProp = prop({ enum: true, items: ['+', '-', '*', '/'] });
  const varchar = prop({ columnTypes: ['varchar(7)'], length: 7 });

  it('turns a date (AdminJS sends a Date at UTC midnight) into YYYY-MM-DD', () => {
    expect(value(date, new Date('2001-02-03'))).toBe('2001-02-03');
    expect(value(date, '2001-02-03')).toBe('2001-02-03');
    expect(value(date, '2001-02-03T00:00:00.000Z')).toBe('2001-02-03');
    expect(message(date, '2001-02-30')).toBe('Enter a valid date.');
    expect(value(date, '')).toBeNull();
  });

  it('keeps instants as Dates, and refuses nonsense', () => {
    expect(value(stamp, '2026-11-22T20:00:00.000Z')).toEqual(new Date('2026-11-22T20:00:00Z'));
    expect(message(stamp, 'soon')).toBe('Enter a valid date/time.');
    expect(message(stamp, '')).toBe('This field is required.');
  });

  it('reads numbers, empty as null (not 0), whole numbers for integer columns', () => {
    expect(value(int, '5')).toBe(5);
    expect(value(int, -3)).toBe(-3);
    expect(value(int, '')).toBeNull();
    expect(message(int, 'two')).toBe('Enter a number.');
    expect(message(int, '1.5')).toBe('Enter a whole number.');
  });

  it('parses JSON text, booleans and enum choices', () => {
    expect(value(json, '{"locale":"en-CA"}')).toEqual({ locale: 'en-CA' });
    expect(message(json, '{nope')).toBe('Enter a valid JSON.');
    expect(value(bool, 'false')).toBe(false);
    expect(value(bool, true)).toBe(true);
    expect(value(enumProp, '-')).toBe('-');
    expect(message(enumProp, '%')).toMatch(/^Select a valid choice\. % is not one/);
  });

  it('checks text length in characters, and empty nullable text is null', () => {
    expect(message(varchar, 'M5V 2T6X')).toBe(
      'Ensure this value has at most 7 characters (it has 8).',
    );
    expect(value(prop({ nullable: true }), '  ')).toBeNull();
    expect(message(prop({}), '')).toBe('This field is required.');
  });
});
