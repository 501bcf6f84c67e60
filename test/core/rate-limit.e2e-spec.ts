import { createTestApp, type TestApp } from '../utils/test-app.js';
import { bearer, createUser } from '../utils/factories.js';

/** The general per-minute limit (RATE_LIMIT_PER_MINUTE): per client IP, or per user once signed in. */
describe('rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  const fsa = (ip: string) => t.http.get('/api/v1/fsa/K1A').set('X-Forwarded-For', ip);

  it('answers the request past the limit with 429, Retry-After and a problem body', async () => {
    for (let i = 0; i < 3; i++) await fsa('203.0.113.1').expect(200);
    const res = await fsa('203.0.113.1').expect(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429 });
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('keeps one count per client across all routes', async () => {
    await t.http.get('/api/v1/health-regions').set('X-Forwarded-For', '203.0.113.9').expect(200);
    await t.http.get('/api/v1/provinces').set('X-Forwarded-For', '203.0.113.9').expect(200);
    await fsa('203.0.113.9').expect(200);
    await t.http.get('/api/v1/health-regions').set('X-Forwarded-For', '203.0.113.9').expect(429);
  });

  it('counts each client IP on its own', async () => {
    await fsa('203.0.113.2').expect(200);
  });

  it('counts a signed-in user by account, whatever the IP', async () => {
    const user = await createUser(t);
    const auth = await bearer(t, user);
    const me = (ip: string) =>
      t.http.get('/api/v1/users/me').set('X-Forwarded-For', ip).set('Authorization', auth);
    await me('203.0.113.4').expect(200);
    await me('203.0.113.5').expect(200);
    await me('203.0.113.6').expect(200);
    await me('203.0.113.7').expect(429);
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 5; i++)
      await t.http.get('/health/live').set('X-Forwarded-For', '203.0.113.1').expect(200);
  });
});
