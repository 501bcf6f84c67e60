import { normalizePostalCode, POSTAL_CODE_PATTERN } from './postal-code.js';

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
