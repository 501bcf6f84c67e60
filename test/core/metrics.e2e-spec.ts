import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, MetricsService, REPO_ROOT } from '#porch/core';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** One sample's value from Prometheus text, or undefined when the series is absent. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const series = (text: string, name: string) =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('Prometheus metrics on a port of their own (METRICS_PORT)', () => {
  let t: TestApp;
  let metricsUrl: string;
  const scrape = async () => {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    t = await createTestApp({
      env: { METRICS_PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '5' },
    });
  });
  afterAll(() => t?.close());

  it('is not served on the API port', async () => {
    await t.http.get('/metrics').expect(404);
  });

  it('counts requests by route pattern, method and status, the hot path included', async () => {
    for (const code of ['K1A', 'M5V', 'H2X']) await t.http.get(`/api/v1/fsa/${code}`).expect(200);
    await t.http.get('/api/v1/fsa/!!').expect(400);
    await t.http.get('/api/v1/health-regions?province=ON').expect(200);
    const before = await scrape();
    const fsa = { method: 'GET', route: '/api/v1/fsa/:code' };
    expect(sample(before, 'http_requests_total', { ...fsa, status: '200' })).toBe(3);
    expect(sample(before, 'http_requests_total', { ...fsa, status: '400' })).toBe(1);
    expect(sample(before, 'http_request_duration_seconds_count', fsa)).toBe(4);
    expect(sample(before, 'http_request_duration_seconds_bucket', { ...fsa, le: '+Inf' })).toBe(4);
    expect(sample(before, 'http_request_duration_seconds_sum', fsa)).toBeGreaterThan(0);
    expect(
      sample(before, 'http_requests_total', {
        method: 'GET',
        route: '/api/v1/health-regions',
        status: '200',
      }),
    ).toBe(1);
  });

  it('keeps label cardinality bounded: raw URLs never become labels', async () => {
    const unmatched = { method: 'GET', route: 'unmatched', status: '404' };
    const before = sample(await scrape(), 'http_requests_total', unmatched) ?? 0;
    for (let i = 0; i < 30; i++) await t.http.get(`/api/v1/no-such-thing-${i}`).expect(404);
    for (let i = 0; i < 30; i++) await t.http.get(`/api/v1/fsa/Z${i % 10}Z`);
    const text = await scrape();
    expect(series(text, 'http_requests_total').filter((l) => l.includes('no-such'))).toEqual([]);
    expect(sample(text, 'http_requests_total', unmatched)).toBe(before + 30);
    const routes = new Set(
      series(text, 'http_requests_total').map((l) => /route="([^"]*)"/.exec(l)![1]),
    );
    expect([...routes].every((r) => r === 'unmatched' || r.startsWith('/'))).toBe(true);
    expect([...routes].filter((r) => r.startsWith('/api/v1/fsa'))).toEqual(['/api/v1/fsa/:code']);
  });

  it('is neither logged nor rate-limited (RATE_LIMIT_PER_MINUTE=5 here)', async () => {
    for (let i = 0; i < 12; i++) await scrape();
  });

  it('reports the database pool: connections lent out while a transaction holds one', async () => {
    const idle = await scrape();
    expect(sample(idle, 'db_pool_max', { pool: 'primary' })).toBe(10);
    expect(sample(idle, 'db_pool_connections', { pool: 'primary', state: 'used' })).toBe(0);
    const during = await t.orm.em.fork().transactional(async (em) => {
      await em.execute('select 1');
      return scrape();
    });
    expect(sample(during, 'db_pool_connections', { pool: 'primary', state: 'used' })).toBe(1);
    expect(sample(during, 'db_pool_pending_acquires', { pool: 'primary' })).toBe(0);
  });

  it('reports the event loop and the process', async () => {
    const text = await scrape();
    for (const name of [
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ])
      expect(sample(text, name)).toBeGreaterThanOrEqual(0);
  });

  it('answers only GET /metrics on its port', async () => {
    const base = metricsUrl.replace('/metrics', '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/fsa/K1A`)).status).toBe(404);
    const post = await fetch(metricsUrl, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('is not part of the public API document', () => {
    const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'openapi.json'), 'utf8')) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths).filter((p) => p.includes('metrics'))).toEqual([]);
  });

  it('closes its listener with the app', async () => {
    const other = await createTestApp({
      env: { METRICS_PORT: String(await freePort()), HOST: '127.0.0.1' },
    });
    const port = other.app.get(MetricsService).listening!;
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    await other.close();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});

describe('Prometheus metrics on the API port behind a bearer token (METRICS_TOKEN)', () => {
  const token = 'metrics-token-for-the-test-0123';
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: token, RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t?.close());

  it('refuses a scrape without the token, or with another one', async () => {
    const none = await t.http.get('/metrics').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    await t.http.get('/metrics').set('authorization', `Bearer ${token}x`).expect(401);
    await t.http.get('/metrics').set('authorization', token).expect(401);
  });

  it('serves it with the token, past the rate limit (3 a minute here)', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await t.http.get('/metrics').set('authorization', `Bearer ${token}`).expect(200);
      expect(res.text).toContain('# TYPE http_requests_total counter');
    }
    // Scrapes are not requests of the API: they are not counted either.
    const res = await t.http.get('/metrics').set('authorization', `Bearer ${token}`);
    expect(res.text).not.toMatch(/route="\/metrics"/);
  });
});

describe('metrics off (neither METRICS_PORT nor METRICS_TOKEN)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('collects nothing and serves nothing', async () => {
    expect(t.app.get(MetricsService).metrics).toBeUndefined();
    await t.http.get('/metrics').expect(404);
  });
});
