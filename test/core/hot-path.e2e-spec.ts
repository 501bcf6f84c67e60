import { HotRoutes } from '#porch/core';
import { bearer, createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * The hot path (HotPath in core) answers the in-memory reference reads without Express's router
 * or Nest's pipeline. An authenticated request always takes the full pipeline, so comparing the
 * two shows the hot answers are the controllers' answers.
 */
describe('hot path', () => {
  let t: TestApp;
  let auth: string;
  let hot: HotRoutes;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000', TRUST_PROXY: 'true' } });
    auth = await bearer(t, await createUser(t));
    hot = t.app.get(HotRoutes);
  });
  afterAll(() => t.close());

  /** Runs a request and says whether the hot path answered it. */
  async function served<T>(request: () => Promise<T>): Promise<{ res: T; hot: boolean }> {
    const before = hot.served;
    const res = await request();
    return { res, hot: hot.served > before };
  }

  const SAME_HEADERS = [
    'content-type',
    'content-length',
    'etag',
    'cache-control',
    'content-security-policy',
    'strict-transport-security',
    'x-content-type-options',
    'x-frame-options',
    'cross-origin-resource-policy',
    'referrer-policy',
    'x-ratelimit-limit',
  ];

  it.each([
    '/api/v1/fsa/K1A',
    '/api/v1/fsa/m5v%202t6',
    '/api/v1/health-regions',
    '/api/v1/health-regions/3551',
    '/api/v1/provinces/ON',
  ])('answers %s as the controller does', async (path) => {
    const fast = await served(() => t.http.get(path).set('X-Forwarded-For', '198.51.100.1'));
    const full = await served(() => t.http.get(path).set('Authorization', auth));
    expect(fast.hot).toBe(true);
    expect(full.hot).toBe(false);
    expect(fast.res.status).toBe(200);
    expect(full.res.status).toBe(200);
    expect(fast.res.text).toBe(full.res.text);
    for (const name of SAME_HEADERS) {
      expect([name, fast.res.headers[name]]).toEqual([name, full.res.headers[name]]);
    }
    expect(fast.res.headers['x-request-id']).toMatch(/^[\w-]{36}$/);
    expect(Number(fast.res.headers['x-ratelimit-remaining'])).toBeLessThan(1000);
  });

  it('builds the first page links from the request origin, proxy headers included', async () => {
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
  });

  it('answers 304 to a matching If-None-Match, with the ETag and no body', async () => {
    const first = await t.http.get('/api/v1/fsa/K1A').expect(200);
    const { res, hot: wasHot } = await served(() =>
      t.http.get('/api/v1/fsa/K1A').set('If-None-Match', first.headers.etag),
    );
    expect(wasHot).toBe(true);
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe(first.headers.etag);
  });

  it('echoes a given request id', async () => {
    const res = await t.http.get('/api/v1/fsa/K1A').set('X-Request-Id', 'trace-42').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-42');
  });

  it.each([
    ['a malformed code (400 from the controller)', '/api/v1/fsa/12345', 400],
    ['an unknown FSA (404)', '/api/v1/fsa/K0Z', 404],
    ['an unknown region (404)', '/api/v1/health-regions/9999', 404],
    ['a query string (filters, validation)', '/api/v1/health-regions?province=ON', 200],
    ['an unknown query parameter', '/api/v1/fsa/K1A?x=1', 400],
    ['another path case', '/api/v1/FSA/K1A', 200],
    ['a trailing slash', '/api/v1/health-regions/', 200],
    ['a nested path', '/api/v1/health-regions/3551/fsas', 200],
  ])('leaves %s to the full pipeline', async (_what, path, status) => {
    const { res, hot: wasHot } = await served(() => t.http.get(path));
    expect(wasHot).toBe(false);
    expect(res.status).toBe(status);
    if (status >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('leaves HEAD and other methods to the full pipeline', async () => {
    const head = await served(() => t.http.head('/api/v1/fsa/K1A'));
    expect(head.hot).toBe(false);
    expect(head.res.status).toBe(200);
    const post = await served(() => t.http.post('/api/v1/fsa/K1A').send({}));
    expect(post.hot).toBe(false);
    // A known path, another method: the full pipeline answers 405 with Allow.
    expect(post.res.status).toBe(405);
    expect(post.res.headers['allow']).toBe('GET, HEAD');
  });
});

describe('hot path and the rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  it('counts hot requests with the others, and answers 429 past the limit', async () => {
    const as = (path: string) => t.http.get(path).set('X-Forwarded-For', '192.0.2.7');
    await as('/api/v1/provinces').expect(200); // full pipeline
    const second = await as('/api/v1/fsa/K1A').expect(200); // hot
    expect(second.headers['x-ratelimit-remaining']).toBe('0');
    const third = await as('/api/v1/fsa/K1A').expect(429);
    expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/v1/fsa/K1A').set('X-Forwarded-For', '192.0.2.8').expect(200);
  });
});

describe('hot path with CORS on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example.test' } });
  });
  afterAll(() => t.close());

  it('is off: every answer goes through the pipeline that adds the CORS headers', async () => {
    const res = await t.http
      .get('/api/v1/fsa/K1A')
      .set('Origin', 'https://app.example.test')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.test');
    await t.http.get('/api/v1/fsa/K1A').expect(200);
    expect(t.app.get(HotRoutes).served).toBe(0);
  });
});
