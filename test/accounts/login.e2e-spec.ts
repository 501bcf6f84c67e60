import { User } from '#porch/accounts';
import {
  GOOD_PASSWORD,
  parallelHttp,
  tokenRequest,
  uniqueEmail,
} from '../utils/accounts-factories.js';
import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { withoutRequestId } from '../utils/problems.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('POST /auth/login', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Proxy headers are trusted here only so that the tests can speak from several addresses.
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string, ip = '203.0.113.1') =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  it('logs in through passport-local: 200 token pair, no-store, lastLoginAt set', async () => {
    const user = await createUser(t);
    expect(user.lastLoginAt ?? null).toBeNull();
    const res = await login(user.email.toUpperCase(), FACTORY_PASSWORD).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      refresh_expires_in: 2592000,
    });
    await t.http
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${res.body.access_token}`)
      .expect(200);
    const row = await t.em().findOneOrFail(User, { id: user.id });
    expect(row.lastLoginAt).toBeInstanceOf(Date);
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const user = await createUser(t);
    const wrong = await login(user.email, 'not-the-password', '203.0.113.2').expect(401);
    const unknown = await login(uniqueEmail('ghost'), 'not-the-password', '203.0.113.2').expect(
      401,
    );
    expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
    expect(withoutRequestId(wrong.body)).toEqual({
      type: 'https://porch.dev/problems/unauthorized',
      title: 'Authentication required',
      status: 401,
      detail: 'Invalid email or password',
    });
    expect(wrong.headers['content-type']).toBe(unknown.headers['content-type']);
  });

  it('refuses deactivated and deleted users with that same answer', async () => {
    const off = await createUser(t, { isActive: false });
    const gone = await createUser(t, { isActive: false, deletedAt: new Date() });
    const wrong = await login(off.email, 'not-the-password', '203.0.113.3').expect(401);
    const a = await login(off.email, FACTORY_PASSWORD, '203.0.113.3').expect(401);
    const b = await login(gone.email, FACTORY_PASSWORD, '203.0.113.3').expect(401);
    expect(withoutRequestId(a.body)).toEqual(withoutRequestId(wrong.body));
    expect(withoutRequestId(b.body)).toEqual(withoutRequestId(wrong.body));
  });

  it('answers 400 when email or password is missing', async () => {
    await t.http.post('/api/v1/auth/login').send({ email: 'a@b.test' }).expect(400);
    await t.http.post('/api/v1/auth/login').send({}).expect(400);
    await t.http.post('/api/v1/auth/login').send({ email: 'a@b.test', password: 42 }).expect(400);
  });

  describe('throttle: 5 failed logins per (email, IP) per 15 minutes', () => {
    it('answers 429 with Retry-After from the 6th try, even with the right password', async () => {
      const user = await createUser(t);
      for (let i = 0; i < 5; i++) await login(user.email, `wrong-${i}`, '198.51.100.7').expect(401);
      const blocked = await login(user.email, FACTORY_PASSWORD, '198.51.100.7').expect(429);
      expect(blocked.headers['content-type']).toMatch(/application\/problem\+json/);
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      expect(blocked.body.status).toBe(429);
      // The token endpoint shares the limit.
      const grant = await tokenRequest(t, {
        grant_type: 'password',
        username: user.email,
        password: FACTORY_PASSWORD,
      })
        .set('X-Forwarded-For', '198.51.100.7')
        .expect(429);
      expect(grant.headers['retry-after']).toBeDefined();
    });

    it('does not lock the account for another address, or other emails for that address', async () => {
      const user = await createUser(t);
      const other = await createUser(t);
      for (let i = 0; i < 6; i++) await login(user.email, `wrong-${i}`, '198.51.100.8');
      await login(user.email, FACTORY_PASSWORD, '198.51.100.8').expect(429);
      await login(user.email, FACTORY_PASSWORD, '198.51.100.9').expect(200);
      await login(other.email, FACTORY_PASSWORD, '198.51.100.8').expect(200);
    });

    it('counts unknown emails too, and only failures: a success clears the count', async () => {
      const ghost = uniqueEmail('ghost');
      for (let i = 0; i < 5; i++) await login(ghost, 'whatever-pw', '198.51.100.10').expect(401);
      await login(ghost, 'whatever-pw', '198.51.100.10').expect(429);

      const user = await createUser(t, { password: GOOD_PASSWORD });
      for (let i = 0; i < 4; i++)
        await login(user.email, `wrong-${i}`, '198.51.100.11').expect(401);
      await login(user.email, GOOD_PASSWORD, '198.51.100.11').expect(200);
      for (let i = 0; i < 5; i++)
        await login(user.email, `wrong-${i}`, '198.51.100.11').expect(401);
      await login(user.email, GOOD_PASSWORD, '198.51.100.11').expect(429);
    });

    it('holds under a burst of parallel guesses', async () => {
      const user = await createUser(t);
      const http = await parallelHttp(t);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          http
            .post('/api/v1/auth/login')
            .set('X-Forwarded-For', '198.51.100.12')
            .send({ email: user.email, password: `burst-${i}` }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    });
  });
});
