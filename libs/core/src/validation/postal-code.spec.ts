import { normalizeFsa, normalizePostalCode, POSTAL_CODE_PATTERN } from './postal-code.js';

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
  it.each([
    ['K1A 0B1', 'K1A 0B1'],
    ['k1a0b1', 'K1A 0B1'],
    [' m5v 3l9 ', 'M5V 3L9'],
    ['h2x', 'H2X'],
    ['T2P', 'T2P'],
  ])('%p → %p', (input, expected) => {
    expect(normalizePostalCode(input)).toBe(expected);
    expect(POSTAL_CODE_PATTERN.test(input.trim())).toBe(true);
  });

  it.each(['D1A 0B1', 'K1A  0B1', 'K1A-0B1', '12345', 'K1', 'K1A 0B', 'W1A', 'Z9Z 9Z9', ''])(
    'rejects %p',
    (input) => {
      expect(normalizePostalCode(input)).toBeNull();
      expect(POSTAL_CODE_PATTERN.test(input.trim())).toBe(false);
    },
  );
});
