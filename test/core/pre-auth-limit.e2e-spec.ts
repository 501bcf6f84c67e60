import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { Authenticator } from '#porch/core';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { bearer, createUser } from '../utils/factories.js';

/**
 * RATE_LIMIT_PER_IP_PER_MINUTE: requests that present a bearer token are counted per client IP
 * before the token is looked up, so a flood of made-up tokens is answered 429 without a
 * database query each. The per-user limit (RATE_LIMIT_PER_MINUTE) still holds for signed-in
 * callers, and requests without a token are not counted here.
 */
describe('rate limit before authentication', () => {
  let t: TestApp;
  let lookups: ReturnType<typeof jest.spyOn>;
  beforeAll(async () => {
    t = await createTestApp({
      env: { RATE_LIMIT_PER_IP_PER_MINUTE: '6', RATE_LIMIT_PER_MINUTE: '3' },
    });
    // Counts the real token checks (each one a database query); it answers as before.
    lookups = jest.spyOn(t.app.get(Authenticator, { strict: false }), 'authenticate');
  });
  afterAll(() => t.close());

  it('answers a flood of bad tokens with 429 and Retry-After, without looking them up', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 30; i++) {
      const res = await t.http
        .get('/api/v1/users/me')
        .set('Authorization', `Bearer ${randomBytes(32).toString('base64url')}`);
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter = res.headers['retry-after'];
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
    expect(statuses.slice(0, 6)).toEqual(Array(6).fill(401));
    expect(statuses.slice(6)).toEqual(Array(24).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(lookups).toHaveBeenCalledTimes(6);
  });

  it('refuses even a good token from that address while it is over the limit', async () => {
    const auth = await bearer(t, await createUser(t));
    const calls = lookups.mock.calls.length;
    await t.http.get('/api/v1/users/me').set('Authorization', auth).expect(429);
    expect(lookups.mock.calls.length).toBe(calls);
  });

  it('does not count requests without a token (they are limited per IP after the check)', async () => {
    // The address is over the pre-authentication limit, yet anonymous reads still answer.
    await t.http.get('/api/v1/provinces').expect(200);
  });
});

describe('per-user limit after authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { RATE_LIMIT_PER_IP_PER_MINUTE: '100', RATE_LIMIT_PER_MINUTE: '3' },
    });
  });
  afterAll(() => t.close());

  it('still counts each signed-in user on their own', async () => {
    const [a, b] = [await createUser(t), await createUser(t)];
    const [authA, authB] = [await bearer(t, a), await bearer(t, b)];
    for (let i = 0; i < 3; i++)
      await t.http.get('/api/v1/users/me').set('Authorization', authA).expect(200);
    const over = await t.http.get('/api/v1/users/me').set('Authorization', authA).expect(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/v1/users/me').set('Authorization', authB).expect(200);
  });
});
