import { jest } from '@jest/globals';
import { RequestContext } from '@mikro-orm/core';
import pino from 'pino';
import { HttpLogging } from '#porch/core';
import { bearer, createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The reference reads go through the one pipeline every route takes (Express, Nest's guards,
 * pipes and filters): their answers are cached per normalized query, so these tests check that
 * what the pipeline adds is still there on a cached answer — helmet's headers, the request id and
 * log line, the rate limit, ETag/304 — and that bad parameters are 400 problem+json from the
 * route's pipes and DTOs.
 */
describe('reference reads through the pipeline', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it.each([
    '/api/v1/fsa/K1A',
    '/api/v1/fsa/m5v%202t6',
    '/api/v1/health-regions',
    '/api/v1/health-regions?limit=20',
    '/api/v1/health-regions?province=on&search=toronto',
    '/api/v1/health-regions/3551',
    '/api/v1/health-regions/3551/fsas',
    '/api/v1/provinces',
    '/api/v1/provinces/ON',
  ])(
    '%s: JSON with ETag, helmet headers, request id and rate limit; 304 when unchanged',
    async (path) => {
      const res = await t.http.get(path).set('X-Forwarded-For', '198.51.100.1').expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.headers.etag).toMatch(/^"[\w-]{32}"$/);
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      // helmet's strict policy (the JSON API's)
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['x-request-id']).toMatch(/^[\w-]{36}$/);
      expect(res.headers['x-ratelimit-limit']).toBe('1000');
      expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThan(1000);
      const again = await t.http.get(path).set('If-None-Match', res.headers.etag);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(res.headers.etag);
      expect(again.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('answers two spellings of one query with the same bytes and ETag', async () => {
    const plain = await t.http.get('/api/v1/health-regions').expect(200);
    const spelled = await t.http.get('/api/v1/health-regions?offset=0&limit=20').expect(200);
    const other = await t.http.get('/api/v1/health-regions?limit=20&offset=0').expect(200);
    expect(spelled.text).toBe(plain.text);
    expect(other.text).toBe(plain.text);
    expect(spelled.headers.etag).toBe(plain.headers.etag);
    const a = await t.http.get('/api/v1/health-regions?province=ON&ordering=-population');
    const b = await t.http.get('/api/v1/health-regions?ordering=-population&province=on');
    expect(a.status).toBe(200);
    expect(b.text).toBe(a.text);
    expect(new URL(a.body.next).searchParams.get('province')).toBe('ON');
    // Different pages, different answers.
    const second = await t.http.get('/api/v1/health-regions?offset=20').expect(200);
    expect(second.headers.etag).not.toBe(plain.headers.etag);
    expect(second.body.results[0]).toEqual(
      (await t.http.get('/api/v1/health-regions?limit=21').expect(200)).body.results[20],
    );
  });

  it('builds the page links from the request origin, proxy headers included', async () => {
    const res = await t.http
      .get('/api/v1/health-regions')
      .set('Host', 'porch.example.test')
      .set('X-Forwarded-Proto', 'https')
      .expect(200);
    expect(res.body.next).toBe(
      'https://porch.example.test/api/v1/health-regions?limit=20&offset=20',
    );
    const plain = await t.http.get('/api/v1/health-regions').set('Host', 'other.test').expect(200);
    expect(plain.body.next).toBe('http://other.test/api/v1/health-regions?limit=20&offset=20');
    expect(plain.headers.etag).not.toBe(res.headers.etag);
  });

  it('echoes a given request id', async () => {
    const res = await t.http.get('/api/v1/fsa/K1A').set('X-Request-Id', 'trace-42').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-42');
  });

  it.each([
    ['/api/v1/fsa/12345', 'code', 'code must be an FSA (A1A) or a postal code (A1A 1A1)'],
    ['/api/v1/health-regions/abc', 'hrUid', 'hrUid must be a positive integer'],
    ['/api/v1/health-regions/abc/fsas', 'hrUid', 'hrUid must be a positive integer'],
    ['/api/v1/provinces/ONT', 'code', expect.stringMatching(/^code must be a province/)],
    ['/api/v1/health-regions?limit=0', 'limit', expect.stringMatching(/limit/)],
    ['/api/v1/health-regions?province=Ontario', 'province', expect.stringMatching(/^province/)],
    ['/api/v1/health-regions?ordering=name', 'ordering', expect.stringMatching(/^ordering/)],
    ['/api/v1/health-regions?x=1', 'x', expect.stringMatching(/x/)],
    ['/api/v1/fsa/K1A?x=1', 'x', "unknown query parameter 'x'"],
  ])('%s: 400 problem+json naming %s', async (path, field, message) => {
    const res = await t.http.get(path).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, errors: [{ field, message }] });
  });

  it.each([
    ['/api/v1/fsa/K0Z', 'No health region data for FSA K0Z'],
    ['/api/v1/health-regions/9999', 'No health region 9999'],
    ['/api/v1/provinces/ZZ', 'No province ZZ'],
  ])('%s: 404 problem+json', async (path, detail) => {
    const res = await t.http.get(path).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, detail });
  });

  it('answers HEAD, and 405 with Allow to other methods', async () => {
    await t.http.head('/api/v1/fsa/K1A').expect(200);
    const post = await t.http.post('/api/v1/fsa/K1A').send({}).expect(405);
    expect(post.headers['allow']).toBe('GET, HEAD');
  });
});

describe('reference reads and the request log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOG_LEVEL: 'info', LOG_FORMAT: 'json' } });
  });
  afterAll(() => t.close());

  it('logs one line per request: method, URL, status, request id', async () => {
    const { logger } = t.app.get(HttpLogging);
    const stream = (logger as unknown as Record<symbol, { write(line: string): boolean }>)[
      pino.symbols.streamSym
    ];
    const lines: string[] = [];
    const write = jest.spyOn(stream, 'write').mockImplementation((line: string) => {
      lines.push(line);
      return true;
    });
    try {
      await t.http.get('/api/v1/health-regions?limit=20').set('X-Request-Id', 'log-1').expect(200);
      await t.http.get('/api/v1/fsa/12345').set('X-Request-Id', 'log-2').expect(400);
    } finally {
      write.mockRestore();
    }
    const entries = lines.map((l) => JSON.parse(l)).filter((e) => e.req);
    expect(entries.map((e) => [e.req.id, e.req.method, e.req.url, e.res.statusCode])).toEqual([
      ['log-1', 'GET', '/api/v1/health-regions?limit=20', 200],
      ['log-2', 'GET', '/api/v1/fsa/12345', 400],
    ]);
  });

  it('are answered without a MikroORM request context (no EntityManager fork), signed in or not; other routes have one', async () => {
    const auth = await bearer(t, await createUser(t));
    const create = jest.spyOn(RequestContext, 'create');
    try {
      for (const path of [
        '/api/v1/fsa/K1A',
        '/api/v1/fsa/K0Z',
        '/api/v1/health-regions?limit=5',
        '/api/v1/health-regions/3551',
        '/api/v1/health-regions/3551/fsas',
        '/api/v1/provinces',
        '/api/v1/provinces/ON',
      ]) {
        const anonymous = await t.http.get(path);
        const signedIn = await t.http.get(path).set('Authorization', auth);
        expect([path, anonymous.status, signedIn.status]).toEqual([
          path,
          path.endsWith('K0Z') ? 404 : 200,
          path.endsWith('K0Z') ? 404 : 200,
        ]);
      }
      expect(create).not.toHaveBeenCalled();
      await t.http.get('/api/v1/users/me').set('Authorization', auth).expect(200);
      await t.http.get('/api/v1/invites').set('Authorization', auth).expect(200);
      expect(create).toHaveBeenCalledTimes(2);
    } finally {
      create.mockRestore();
    }
  });
});

describe('reference reads and the rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it('counts cached answers like any other, and answers 429 past the limit', async () => {
    const as = (path: string) => t.http.get(path).set('X-Forwarded-For', '192.0.2.7');
    await as('/api/v1/provinces').expect(200);
    const second = await as('/api/v1/fsa/K1A').expect(200);
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const third = await as('/api/v1/fsa/K1A').expect(429);
    expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/v1/fsa/K1A').set('X-Forwarded-For', '192.0.2.8').expect(200);
  });
});

describe('reference reads with CORS on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example.test' } });
  });
  afterAll(() => t.close());

  it('carry the CORS headers with the cached body and ETag', async () => {
    const res = await t.http
      .get('/api/v1/health-regions?limit=20')
      .set('Origin', 'https://app.example.test')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.test');
    expect(res.headers['access-control-expose-headers']).toContain('ETag');
    expect(res.headers.etag).toMatch(/^"/);
  });
});
