import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_LIMITS, EmailVerificationCode, User } from '#porch/accounts';
import {
  GOOD_PASSWORD,
  parallelHttp,
  sentEmails,
  signUp,
  signupBody,
  tokenRequest,
  uniqueEmail,
  verificationCode,
  waitForEmails,
} from '../utils/accounts-factories.js';
import { createUser, FACTORY_PASSWORD, issueTokens } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

let ipSeq = 0;
/** A client address of its own for each call (one trusted proxy hop in front). */
const freshIp = () => `198.19.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
const wrongCode = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, '0');

const appEnv = (extra: Record<string, string> = {}) => ({
  DATA_DIR: mkdtempSync(join(tmpdir(), 'porch-verify-')),
  MAIL_TRANSPORT: 'file',
  TRUST_PROXY: '1',
  ...extra,
});

const verify = (t: TestApp, email: string, code: string, ip = freshIp()) =>
  t.http.post('/api/v1/auth/verify-email').set('X-Forwarded-For', ip).send({ email, code });
const resend = (t: TestApp, email: string, ip = freshIp()) =>
  t.http.post('/api/v1/auth/verify-email/resend').set('X-Forwarded-For', ip).send({ email });
const me = (t: TestApp, access: string) =>
  t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${access}`).expect(200);
const codeFor = async (t: TestApp, to: string, count = 1) =>
  verificationCode((await waitForEmails(t, to, count))[count - 1]);

describe('email verification (REQUIRE_VERIFIED_EMAIL off)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: appEnv() });
  });
  afterAll(() => t.close());

  it('sign-up mails a code; verifying it makes emailVerified true; a code works once', async () => {
    const user = await signUp(t);
    expect((await me(t, user.access)).body).toMatchObject({
      email: user.email,
      emailVerified: false,
      pendingEmail: null,
    });
    const [eml] = await waitForEmails(t, user.email);
    expect(eml).toMatch(/^Subject: Confirm your Porch email address$/m);
    const code = verificationCode(eml);
    // Stored hashed, never in clear.
    const row = await t.em().findOneOrFail(EmailVerificationCode, { user: user.id });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.email).toBe(user.email);

    const res = await verify(t, user.email.toUpperCase(), code).expect(204);
    expect(res.text).toBe('');
    expect((await me(t, user.access)).body.emailVerified).toBe(true);
    await verify(t, user.email, code).expect(422);
  });

  it('an unknown address, a wrong code and a malformed body answer alike (422) or 400', async () => {
    const res = await verify(t, uniqueEmail('ghost'), '123456').expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'code', message: 'invalid or expired code' }]);
    const bad = await verify(t, 'not-an-email', '12').expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'code',
      'email',
    ]);
  });

  it('counts wrong codes: after 5 the code is dead, even the right one', async () => {
    const user = await signUp(t);
    const code = await codeFor(t, user.email);
    for (let i = 1; i <= 5; i++) await verify(t, user.email, wrongCode(code, i)).expect(422);
    const row = await t.em().findOneOrFail(EmailVerificationCode, { user: user.id });
    expect(row.attempts).toBe(5);
    await verify(t, user.email, code).expect(422);
    expect((await me(t, user.access)).body.emailVerified).toBe(false);
    // A new code works.
    await resend(t, user.email).expect(202);
    await verify(t, user.email, await codeFor(t, user.email, 2)).expect(204);
  });

  it(`caps guesses at ${CODE_LIMITS.guessesPerAddressDay} per address a day, whatever the IPs (429)`, async () => {
    const user = await signUp(t);
    let code = await codeFor(t, user.email);
    let guesses = 0;
    for (let round = 1; guesses < CODE_LIMITS.guessesPerAddressDay; ) {
      for (let i = 1; i <= 4 && guesses < CODE_LIMITS.guessesPerAddressDay; i++, guesses++)
        await verify(t, user.email, wrongCode(code, i)).expect(422);
      if (guesses < CODE_LIMITS.guessesPerAddressDay) {
        await resend(t, user.email).expect(202);
        code = await codeFor(t, user.email, ++round);
      }
    }
    const refused = await verify(t, user.email, code).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3600);
    // An unknown address is capped the same way (a 429 tells nothing about accounts).
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < CODE_LIMITS.guessesPerAddressDay; i++)
      await verify(t, ghost, '000000').expect(422);
    await verify(t, ghost, '000000').expect(429);
  });

  it('refuses an expired code', async () => {
    const user = await signUp(t);
    const code = await codeFor(t, user.email);
    await t
      .em()
      .nativeUpdate(
        EmailVerificationCode,
        { user: user.id },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    await verify(t, user.email, code).expect(422);
    expect((await me(t, user.access)).body.emailVerified).toBe(false);
  });

  it('resend: 202 for any address, a new code replaces the old, per-address and per-IP caps', async () => {
    const user = await signUp(t);
    const first = await codeFor(t, user.email);
    await resend(t, user.email).expect(202);
    const second = await codeFor(t, user.email, 2);
    await verify(t, user.email, first === second ? wrongCode(first) : first).expect(422);
    // Sign-up's mail and this one count: the 15-minute window lets 5 through, silently.
    for (let i = 0; i < CODE_LIMITS.requestsPerAddressWindow + 2; i++)
      await resend(t, user.email).expect(202);
    await waitForEmails(t, user.email, CODE_LIMITS.requestsPerAddressWindow);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sentEmails(t, user.email)).toHaveLength(CODE_LIMITS.requestsPerAddressWindow);
    // Unknown and already verified addresses: 202, nothing sent.
    const ghost = uniqueEmail('ghost');
    await resend(t, ghost).expect(202);
    const verified = await createUser(t, { emailVerifiedAt: new Date() });
    await resend(t, verified.email).expect(202);
    // The per-IP cap answers 429.
    const ip = freshIp();
    for (let i = 0; i < CODE_LIMITS.requestsPerIpHour; i++)
      await resend(t, uniqueEmail('spray'), ip).expect(202);
    const refused = await resend(t, uniqueEmail('spray'), ip).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await sentEmails(t, ghost)).toEqual([]);
    expect(await sentEmails(t, verified.email)).toEqual([]);
  });

  it('an email change is pending until the new address is verified, then takes effect', async () => {
    const user = await signUp(t);
    await verify(t, user.email, await codeFor(t, user.email)).expect(204);
    const next = uniqueEmail('moved');
    const patched = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', `Bearer ${user.access}`)
      .send({ email: next.toUpperCase() })
      .expect(200);
    expect(patched.body).toMatchObject({
      email: user.email,
      pendingEmail: next,
      emailVerified: true,
    });
    // Still the old address for login; the new one is not an account yet.
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: next, password: user.password })
      .expect(401);
    const code = await codeFor(t, next);
    // The old address's code does not verify the new one.
    await verify(t, user.email, code).expect(422);
    await verify(t, next, code).expect(204);
    expect((await me(t, user.access)).body).toMatchObject({
      email: next,
      pendingEmail: null,
      emailVerified: true,
    });
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: next, password: user.password })
      .expect(200);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(401);
  });

  it('sending the current email back drops a pending change (its code stops working)', async () => {
    const user = await signUp(t);
    const next = uniqueEmail('undo');
    const auth = `Bearer ${user.access}`;
    await t.http.patch('/api/v1/users/me').set('Authorization', auth).send({ email: next });
    const code = await codeFor(t, next);
    const undone = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .send({ email: user.email })
      .expect(200);
    expect(undone.body.pendingEmail).toBeNull();
    await verify(t, next, code).expect(422);
    expect((await me(t, user.access)).body.email).toBe(user.email);
  });

  it('a change to an email in use is 409 at once; taken meanwhile, 409 at verification', async () => {
    const user = await signUp(t);
    const other = await createUser(t);
    const auth = `Bearer ${user.access}`;
    const taken = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .send({ email: other.email })
      .expect(409);
    expect(taken.body.errors).toEqual([{ field: 'email', message: 'email is already registered' }]);
    const next = uniqueEmail('raced');
    await t.http.patch('/api/v1/users/me').set('Authorization', auth).send({ email: next });
    const code = await codeFor(t, next);
    await signUp(t, { email: next }); // someone signs up with it first
    const res = await verify(t, next, code).expect(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await me(t, user.access)).body).toMatchObject({
      email: user.email,
      pendingEmail: next,
    });
  });

  it('two accounts verifying the same new email at once: one wins, the other gets 409', async () => {
    const target = uniqueEmail('contested');
    const [a, b] = await Promise.all([signUp(t), signUp(t)]);
    for (const u of [a, b])
      await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', `Bearer ${u.access}`)
        .send({ email: target })
        .expect(200);
    const mails = await waitForEmails(t, target, 2);
    const codes = mails.map(verificationCode);
    const http = await parallelHttp(t);
    const results = await Promise.all(
      codes.map((code) =>
        http
          .post('/api/v1/auth/verify-email')
          .set('X-Forwarded-For', freshIp())
          .send({ email: target, code }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    const owners = await t.em().find(User, { email: target });
    expect(owners).toHaveLength(1);
    expect([a.id, b.id]).toContain(owners[0].id);
  });
});

describe('email verification (REQUIRE_VERIFIED_EMAIL=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: appEnv({ REQUIRE_VERIFIED_EMAIL: 'true' }) });
  });
  afterAll(() => t.close());

  const passwordGrant = (username: string, password: string) =>
    tokenRequest(t, { grant_type: 'password', username, password });

  it('sign-up gives no token, login and the password grant refuse until the email is verified', async () => {
    const body = signupBody();
    const signup = await t.http.post('/api/v1/auth/signup').send(body).expect(201);
    expect(signup.body.token).toBeNull();
    expect(signup.body.user).toMatchObject({ email: body.email, emailVerified: false });

    const login = await t.http
      .post('/api/v1/auth/login')
      .send({ email: body.email, password: body.password })
      .expect(403);
    expect(login.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(login.body.detail).toMatch(/not verified/);
    const grant = await passwordGrant(body.email, body.password).expect(400);
    expect(grant.body).toEqual({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/email address is not verified/),
    });
    // A wrong password says nothing about verification.
    const wrong = await passwordGrant(body.email, 'not-the-Password-1').expect(400);
    expect(wrong.body.error_description).toBe('Invalid email or password');
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: body.email, password: 'not-the-Password-1' })
      .expect(401);

    await verify(t, body.email, await codeFor(t, body.email)).expect(204);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: body.email, password: body.password })
      .expect(200);
    const ok = await passwordGrant(body.email, GOOD_PASSWORD).expect(200);
    expect(ok.body.access_token).toEqual(expect.any(String));
  });

  it('refuses the refresh grant to an unverified account (tokens from before the switch)', async () => {
    const user = await createUser(t);
    const pair = await issueTokens(t, user);
    const refused = await tokenRequest(t, {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    }).expect(400);
    expect(refused.body).toEqual({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/not verified/),
    });
    // Verified, the same refresh token still works (it was not spent by the refusal).
    await t.em().nativeUpdate(User, { id: user.id }, { emailVerifiedAt: new Date() });
    await tokenRequest(t, {
      grant_type: 'refresh_token',
      refresh_token: pair.refresh_token,
    }).expect(200);
    await passwordGrant(user.email, FACTORY_PASSWORD).expect(200);
  });
});
