import { validateSync } from 'class-validator';
import { IsCanadianPostalCode, normalizeFsa, normalizePostalCode } from './postal-code.js';

describe('normalizeFsa', () => {
  it.each([
    ['M5V', 'M5V'],
    ['m5v', 'M5V'],
    ['M5V 2T6', 'M5V'],
    ['m5v2t6', 'M5V'],
    ['  m5v   2t6 ', 'M5V'],
    ['m\t5v', 'M5V'],
    ['n0b', 'N0B'],
    ['X0A 0H0', 'X0A'],
  ])('%j → %s', (input, fsa) => expect(normalizeFsa(input)).toBe(fsa));

  it.each([
    '',
    'M5',
    'M5V2',
    'M5V2T',
    'M5V 2T6X',
    'M5V-2T6',
    '5MV',
    'D5V', // D, F, I, O, Q, U, W and Z never start a postal code
    'W1A',
    'Z1A',
    'M55',
    'M5V 2TT',
    'M5V AT6',
    'ÉM5V',
  ])('%j is malformed', (input) => expect(normalizeFsa(input)).toBeNull());
});

describe('normalizePostalCode', () => {
  it('gives the canonical A1A 1A1 form', () => {
    expect(normalizePostalCode('m5v2t6')).toBe('M5V 2T6');
    expect(normalizePostalCode(' M5V  2T6 ')).toBe('M5V 2T6');
  });

  it('refuses an FSA alone and malformed codes', () => {
    expect(normalizePostalCode('M5V')).toBeNull();
    expect(normalizePostalCode('M5V 2T')).toBeNull();
    expect(normalizePostalCode('D5V 2T6')).toBeNull();
  });
});

describe('@IsCanadianPostalCode', () => {
  class Address {
    @IsCanadianPostalCode()
    postalCode!: unknown;
  }
  class Area {
    @IsCanadianPostalCode({ allowFsa: true })
    code!: unknown;
  }
  const errors = (target: object) => validateSync(target).map((e) => e.property);

  it('accepts whole postal codes in any case and spacing', () => {
    expect(errors(Object.assign(new Address(), { postalCode: 'm5v 2t6' }))).toEqual([]);
    expect(errors(Object.assign(new Address(), { postalCode: 'M5V2T6' }))).toEqual([]);
  });

  it('rejects FSAs unless allowed, malformed codes and non-strings', () => {
    expect(errors(Object.assign(new Address(), { postalCode: 'M5V' }))).toEqual(['postalCode']);
    expect(errors(Object.assign(new Address(), { postalCode: 'nope' }))).toEqual(['postalCode']);
    expect(errors(Object.assign(new Address(), { postalCode: 123 }))).toEqual(['postalCode']);
    expect(errors(Object.assign(new Area(), { code: 'm5v' }))).toEqual([]);
    expect(errors(Object.assign(new Area(), { code: 'M5V 2T6' }))).toEqual([]);
    expect(errors(Object.assign(new Area(), { code: 'M5' }))).toEqual(['code']);
  });

  it('names the field in its message', () => {
    const [error] = validateSync(Object.assign(new Address(), { postalCode: 'x' }));
    expect(Object.values(error!.constraints!)).toEqual([
      'postalCode must be a Canadian postal code (A1A 1A1)',
    ]);
  });
});
