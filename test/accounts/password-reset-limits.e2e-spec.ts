import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordResetCode, RESET_LIMITS } from '#porch/accounts';
import { CounterStore } from '#porch/core';
import {
  parallelHttp,
  resetCode,
  sentEmails,
  uniqueEmail,
  waitForEmails,
} from '../utils/accounts-factories.js';
import { createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const NEW_PASSWORD = 'saffron-Ladder-82-quiet';

/**
 * Issue 14 §3: the reset code is 6 digits, so what bounds a guesser is how many tries they get.
 * Per address a day and per client IP an hour, counted atomically before the code is checked.
 */
describe('password reset: per-IP and per-address caps', () => {
  let t: TestApp;
  let ipSeq = 0;
  /** A client address of its own for each call (one trusted proxy hop in front). */
  const freshIp = () => `198.18.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

  beforeAll(async () => {
    t = await createTestApp({
      env: {
        DATA_DIR: mkdtempSync(join(tmpdir(), 'porch-reset-limits-')),
        MAIL_TRANSPORT: 'file',
        TRUST_PROXY: '1',
      },
    });
  });
  afterAll(() => t.close());

  const request = (email: string, ip = freshIp()) =>
    t.http.post('/api/v1/auth/password-reset').set('X-Forwarded-For', ip).send({ email });
  const confirm = (email: string, code: string, ip = freshIp()) =>
    t.http
      .post('/api/v1/auth/password-reset/confirm')
      .set('X-Forwarded-For', ip)
      .send({ email, code, newPassword: NEW_PASSWORD });
  const wrongCode = (code: string, n = 1) =>
    String((Number(code) + n) % 1_000_000).padStart(6, '0');

  it(`refuses more than ${RESET_LIMITS.requestsPerIpHour} requests an hour from one IP (429)`, async () => {
    const ip = freshIp();
    for (let i = 0; i < RESET_LIMITS.requestsPerIpHour; i++)
      await request(uniqueEmail('ip-cap'), ip).expect(202);
    const refused = await request(uniqueEmail('ip-cap'), ip).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    // Another address is unaffected.
    await request(uniqueEmail('ip-cap')).expect(202);
  });

  it(`mails an address at most ${RESET_LIMITS.requestsPerAddressDay} codes a day, silently`, async () => {
    const user = await createUser(t);
    const window = `password-reset:${createHash('sha256').update(user.email).digest('hex')}`;
    for (let i = 0; i < RESET_LIMITS.requestsPerAddressWindow + 2; i++)
      await request(user.email).expect(202);
    await waitForEmails(t, user.email, RESET_LIMITS.requestsPerAddressWindow);
    // The 15-minute window passes (its counter goes), the day's does not: 5 more, then none.
    await t.app.get(CounterStore).reset(window);
    for (let i = 0; i < RESET_LIMITS.requestsPerAddressWindow + 2; i++)
      await request(user.email).expect(202);
    await waitForEmails(t, user.email, RESET_LIMITS.requestsPerAddressDay);
    await t.app.get(CounterStore).reset(window);
    for (let i = 0; i < 3; i++) await request(user.email).expect(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(await sentEmails(t, user.email)).toHaveLength(RESET_LIMITS.requestsPerAddressDay);
  });

  it(`allows ${RESET_LIMITS.guessesPerAddressDay} guesses per address a day, whatever the IPs`, async () => {
    const user = await createUser(t);
    let code = '';
    let guesses = 0;
    // Four wrong tries per code (the fifth would spend it), each from a new address.
    for (let round = 1; guesses < RESET_LIMITS.guessesPerAddressDay; round++) {
      await request(user.email).expect(202);
      code = resetCode((await waitForEmails(t, user.email, round))[round - 1]);
      for (let i = 1; i <= 4 && guesses < RESET_LIMITS.guessesPerAddressDay; i++, guesses++)
        await confirm(user.email, wrongCode(code, i)).expect(422);
    }
    // The right code, from yet another IP: refused unchecked, and the code is still unused.
    const refused = await confirm(user.email, code).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3600);
    const newest = await t
      .em()
      .findOneOrFail(PasswordResetCode, { user: user.id }, { orderBy: { createdAt: 'desc' } });
    expect(newest.usedAt ?? null).toBeNull();
    // Unknown addresses count the same way (a 429 tells nothing about the account).
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < RESET_LIMITS.guessesPerAddressDay; i++)
      await confirm(ghost, '000000').expect(422);
    await confirm(ghost, '000000').expect(429);
  });

  it(`allows ${RESET_LIMITS.guessesPerIpHour} guesses an hour from one IP, whatever the address`, async () => {
    const ip = freshIp();
    for (let i = 0; i < RESET_LIMITS.guessesPerIpHour; i++)
      await confirm(uniqueEmail('spray'), '123456', ip).expect(422);
    await confirm(uniqueEmail('spray'), '123456', ip).expect(429);
    await confirm(uniqueEmail('spray'), '123456').expect(422);
  });

  it('holds under 40 parallel guesses on one address: 20 checked, 20 refused', async () => {
    const user = await createUser(t);
    await request(user.email).expect(202);
    const code = resetCode((await waitForEmails(t, user.email))[0]);
    const http = await parallelHttp(t);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        http
          .post('/api/v1/auth/password-reset/confirm')
          .set('X-Forwarded-For', freshIp())
          .send({ email: user.email, code: wrongCode(code, i + 1), newPassword: NEW_PASSWORD }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 422)).toHaveLength(RESET_LIMITS.guessesPerAddressDay);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - RESET_LIMITS.guessesPerAddressDay);
    // The row lock counted the tries on the code itself: dead after 5.
    const row = await t.em().findOneOrFail(PasswordResetCode, { user: user.id });
    expect(row.attempts).toBe(5);
  });

  it('a spoofed X-Forwarded-For does not reset the per-IP cap (one trusted hop)', async () => {
    const ip = freshIp();
    for (let i = 0; i < RESET_LIMITS.guessesPerIpHour; i++)
      await confirm(uniqueEmail('spoof'), '123456', ip).expect(422);
    // The client prepends addresses of its choosing; the proxy appends the real one, which is
    // the only one a hop count of 1 believes.
    await confirm(uniqueEmail('spoof'), '123456', `10.9.8.7, ${ip}`).expect(429);
    await confirm(uniqueEmail('spoof'), '123456', `${freshIp()}, ${ip}`).expect(429);
  });
});
