import { findNulCharacters } from '../errors/nul-characters.js';
import { MAX_JSON_DEPTH, verifyJsonDepth } from './input-checks.js';

describe('findNulCharacters', () => {
  it('names every string and key holding a NUL, with dotted paths', () => {
    expect(
      findNulCharacters({ a: 'ok', b: 'x\u0000', c: [{ d: '\u0000' }], 'e\u0000': 1, f: 3 }),
    ).toEqual([
      { field: 'b', message: 'Null characters are not allowed.' },
      { field: 'c.0.d', message: 'Null characters are not allowed.' },
      { field: 'e\\u0000', message: 'Null characters are not allowed.' },
    ]);
    expect(findNulCharacters('a\u0000')).toEqual([
      { field: 'body', message: 'Null characters are not allowed.' },
    ]);
    expect(findNulCharacters({ name: 'fine', list: [1, null, true] })).toEqual([]);
  });

  it('walks 100,000 levels without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findNulCharacters(deep)).toHaveLength(1);
  });
});

describe('verifyJsonDepth', () => {
  const check = (text: string) => () => verifyJsonDepth(null, null, Buffer.from(text));

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses one more, with a 400`, () => {
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(check(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(check(nested(MAX_JSON_DEPTH + 1))).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(check(JSON.stringify({ a: '['.repeat(100) + '\\"[[[' }))).not.toThrow();
    expect(check(JSON.stringify({ a: '"' + '{'.repeat(100) }))).not.toThrow();
  });
});
