import { CachedJson, etagMatches, HttpCacheReply, strongEtag } from './http-cache.js';

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

describe('HttpCacheReply', () => {
  function exchange(ifNoneMatch?: string) {
    const headers: Record<string, string> = {};
    const res = {
      statusCode: 200,
      setHeader: (name: string, value: string) => (headers[name.toLowerCase()] = value),
      status(code: number) {
        this.statusCode = code;
        return this;
      },
    };
    const req = { headers: ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {} };
    const reply = new HttpCacheReply(req as never, res as never);
    return { reply, res, headers };
  }

  it('sends the precomputed body with its ETag and cache headers', () => {
    const cached = CachedJson.of({ a: 1 });
    const { reply, res, headers } = exchange();
    expect(reply.reply(cached)).toBe('{"a":1}');
    expect(res.statusCode).toBe(200);
    expect(headers).toEqual({
      'cache-control': 'public, max-age=3600',
      etag: cached.etag,
      'content-type': 'application/json; charset=utf-8',
    });
  });

  it('hashes a plain value, and answers 304 without a body when the tag matches', () => {
    const etag = CachedJson.of({ page: 2 }).etag;
    const { reply, res, headers } = exchange(`W/${etag}`);
    expect(reply.reply({ page: 2 })).toBe('');
    expect(res.statusCode).toBe(304);
    expect(headers.etag).toBe(etag);
    expect(headers['cache-control']).toBe('public, max-age=3600');
  });
});
