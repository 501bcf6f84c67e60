import { CachedJson, etagMatches, strongEtag } from './http-cache.js';

describe('CachedJson', () => {
  it('serializes once and carries a strong ETag of the body', () => {
    const cached = CachedJson.of({ fsa: 'M5V', n: 1 });
    expect(cached.body).toBe('{"fsa":"M5V","n":1}');
    expect(cached.etag).toMatch(/^"[\w-]{32}"$/);
    expect(cached.etag).toBe(strongEtag(cached.body));
    expect(CachedJson.of({ fsa: 'M5V', n: 1 }).etag).toBe(cached.etag);
    expect(CachedJson.of({ fsa: 'M5V', n: 2 }).etag).not.toBe(cached.etag);
  });
});

describe('etagMatches (If-None-Match, weak comparison)', () => {
  const etag = '"abc"';
  it.each([
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc" ', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
    ['"x", "y"', false],
    ['', false],
  ])('%j → %s', (header, expected) => expect(etagMatches(header, etag)).toBe(expected));

  it('is false without the header', () => expect(etagMatches(undefined, etag)).toBe(false));
});
