import { PasswordHasher } from '#porch/accounts';
import { createSuperuser } from '../utils/admin-factories.js';
import { parallelHttp } from '../utils/accounts-factories.js';
import { FACTORY_PASSWORD } from '../utils/factories.js';
import { startRedis, type OwnRedis } from '../utils/redis-server.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const GUESSES = 30;
const LIMIT = 5;

/**
 * Issue 14 §3: parallel wrong guesses at every door that checks a password. Each attempt takes a
 * slot of the (email, IP) budget atomically before any hash is verified, so of 30 guesses sent
 * at once only 5 reach argon2 and 25 are refused with 429 + Retry-After; in process memory and
 * in Redis (the store several instances share).
 */
describe.each(['memory', 'redis'] as const)('parallel password guesses (%s counters)', (store) => {
  let t: TestApp | undefined;
  let redis: OwnRedis | undefined;
  /** argon2 verifications since the last `reset()`: every call to PasswordHasher.verify. */
  const verified = { count: 0 };

  beforeAll(async () => {
    if (store === 'redis') {
      redis = await startRedis();
      if (!redis) return console.warn('skipped: no redis-server installed');
    }
    t = await createTestApp({ env: redis ? { REDIS_URL: redis.url } : {} });
    const hasher = t.app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    hasher.verify = (stored, password) => {
      verified.count += 1;
      return verify(stored, password);
    };
    // The panel is built on its first request: not part of what is measured.
    await t.http.get('/admin/login').expect(200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  /** Fires `send` GUESSES times at once; the statuses, the Retry-After values, the verifications. */
  async function burst(send: (i: number) => Promise<{ status: number; headers: object }>) {
    verified.count = 0;
    const results = await Promise.all(Array.from({ length: GUESSES }, (_, i) => send(i)));
    const retryAfter = results
      .filter((r) => r.status === 429)
      .map((r) => Number((r.headers as Record<string, string>)['retry-after']));
    return { statuses: results.map((r) => r.status), retryAfter, verified: verified.count };
  }

  it('admin panel: 30 parallel wrong guesses, 5 checked by argon2, 25 answered 429', async () => {
    if (!t) return;
    const app = t;
    const admin = await createSuperuser(app);
    const http = await parallelHttp(app);
    const started = Date.now();
    const {
      statuses,
      retryAfter,
      verified: checked,
    } = await burst((i) =>
      http
        .post('/admin/login')
        .type('form')
        .send({ email: admin.email, password: `wrong-${i}` }),
    );
    const elapsed = Date.now() - started;
    console.info(
      `[${store}] admin: ${checked} argon2 checks, ${statuses.filter((s) => s === 429).length} × 429, ${elapsed} ms`,
    );
    expect(checked).toBe(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(GUESSES - LIMIT);
    // The others are the login page saying the credentials were wrong, with no session.
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(retryAfter.every((s) => s > 0 && s <= 900)).toBe(true);

    // The right password now: still refused, unchecked, the page saying why.
    verified.count = 0;
    const blocked = await http
      .post('/admin/login')
      .type('form')
      .send({ email: admin.email, password: FACTORY_PASSWORD })
      .expect(429);
    expect(verified.count).toBe(0);
    expect(blocked.headers['set-cookie']).toBeUndefined();
    expect(blocked.text).toContain('tooManyRequests');
    // One budget for every door: the API refuses this (email, IP) too.
    await http
      .post('/api/v1/auth/login')
      .send({ email: admin.email, password: FACTORY_PASSWORD })
      .expect(429);
  });

  it('POST /auth/login: 30 parallel wrong guesses, 5 checked, 25 answered 429', async () => {
    if (!t) return;
    const user = await createSuperuser(t);
    const http = await parallelHttp(t);
    const {
      statuses,
      retryAfter,
      verified: checked,
    } = await burst((i) =>
      http.post('/api/v1/auth/login').send({ email: user.email, password: `wrong-${i}` }),
    );
    console.info(`[${store}] /auth/login: ${checked} argon2 checks`);
    expect(checked).toBe(LIMIT);
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(GUESSES - LIMIT);
    expect(retryAfter.every((s) => s > 0 && s <= 900)).toBe(true);
    // ... and the admin panel refuses this pair as well.
    await http
      .post('/admin/login')
      .type('form')
      .send({ email: user.email, password: FACTORY_PASSWORD })
      .expect(429);
  });

  it('POST /auth/token (password grant): 30 parallel wrong guesses, 5 checked', async () => {
    if (!t) return;
    const user = await createSuperuser(t);
    const http = await parallelHttp(t);
    const {
      statuses,
      retryAfter,
      verified: checked,
    } = await burst((i) =>
      http
        .post('/api/v1/auth/token')
        .type('form')
        .send({ grant_type: 'password', username: user.email, password: `wrong-${i}` }),
    );
    console.info(`[${store}] /auth/token: ${checked} argon2 checks`);
    expect(checked).toBe(LIMIT);
    expect(statuses.filter((s) => s === 400)).toHaveLength(LIMIT); // invalid_grant
    expect(statuses.filter((s) => s === 429)).toHaveLength(GUESSES - LIMIT);
    expect(retryAfter.every((s) => s > 0 && s <= 900)).toBe(true);
  });

  it('a success clears the budget (counted before the check, refunded after)', async () => {
    if (!t) return;
    const admin = await createSuperuser(t);
    const http = await parallelHttp(t);
    for (let i = 0; i < LIMIT - 1; i++)
      await http
        .post('/admin/login')
        .type('form')
        .send({ email: admin.email, password: `wrong-${i}` })
        .expect(200);
    await http
      .post('/admin/login')
      .type('form')
      .send({ email: admin.email, password: FACTORY_PASSWORD })
      .expect(302);
    const { statuses } = await burst((i) =>
      http
        .post('/admin/login')
        .type('form')
        .send({ email: admin.email, password: `again-${i}` }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
  });
});
