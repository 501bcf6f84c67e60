import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { User } from '#porch/accounts';
import { adminAgent, adminRecordAction, createSuperuser } from '../utils/admin-factories.js';
import {
  GOOD_PASSWORD,
  signUp,
  signupBody,
  tokenRequest,
  waitForEmails,
} from '../utils/accounts-factories.js';
import { bearer, createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** `s` in full-width forms (U+FF01–U+FF5E): what NFKC folds back to ASCII. */
const fullWidth = (s: string) =>
  [...s]
    .map((c) => (c > ' ' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c))
    .join('');
const CYRILLIC_A = '\u0430';
const DOTLESS_I = '\u0131';

/**
 * Issue 14 §6: emails are NFKC-normalized (then lower-cased) before they are compared or stored,
 * everywhere; look-alikes that normalization cannot fold (mixed scripts, dotless ı) are refused
 * where an address is set; and `?search=` does not let anyone probe which addresses exist.
 */
describe('emails: one spelling, no look-alikes', () => {
  let t: TestApp;
  let seq = 0;
  const local = (prefix: string) => `${prefix}${Date.now().toString(36)}${++seq}`;
  beforeAll(async () => {
    t = await createTestApp({
      env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'porch-emails-')), MAIL_TRANSPORT: 'file' },
    });
  });
  afterAll(() => t.close());

  it('stores a full-width sign-up in its NFKC form, and the same address is then taken', async () => {
    const name = local('admin');
    const typed = fullWidth(`${name.toUpperCase()}@EXAMPLE.TEST`);
    const res = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: typed }))
      .expect(201);
    expect(res.body.user.email).toBe(`${name}@example.test`);
    const stored = await t.em().findOneOrFail(User, { id: res.body.user.id });
    expect(stored.email).toBe(`${name}@example.test`);
    const taken = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: `${name}@example.test` }))
      .expect(409);
    expect(taken.body.errors).toEqual([{ field: 'email', message: 'email is already registered' }]);
  });

  it('logs in, and gets tokens, with any spelling that normalizes to the address', async () => {
    const user = await signUp(t, { email: `${local('kim')}@example.test` });
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: fullWidth(user.email), password: user.password })
      .expect(200);
    await tokenRequest(t, {
      grant_type: 'password',
      username: fullWidth(user.email.toUpperCase()),
      password: user.password,
    }).expect(200);
  });

  it.each([
    ['Cyrillic а among Latin letters', `${CYRILLIC_A}dmin`, /mixes letters of different scripts/],
    ['a dotless ı', `adm${DOTLESS_I}n`, /U\+0131/],
    ['a zero-width space', 'ad\u200bmin', /U\+200B/],
  ])('refuses a sign-up with %s (400, naming the field)', async (_case, prefix, reason) => {
    const res = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: `${prefix}-${local('x')}@porch.local` }))
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'email', message: expect.stringMatching(reason) }]);
  });

  it('refuses a mixed-script domain and teacher address', async () => {
    const greekO = '\u03bf';
    const domain = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: `${local('ann')}@p${greekO}rch.local` }))
      .expect(400);
    expect(domain.body.errors[0]).toMatchObject({ field: 'email', message: /domain mixes/ });
    const teacher = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ teacherEmail: `t${CYRILLIC_A}acher@school.test` }))
      .expect(400);
    expect(teacher.body.errors[0]).toMatchObject({ field: 'teacherEmail' });
  });

  it('PATCH /users/me normalizes a new email and refuses look-alikes', async () => {
    const user = await createUser(t);
    const auth = await bearer(t, user);
    const next = local('moved');
    const res = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .send({ email: fullWidth(`${next}@example.test`) })
      .expect(200);
    // Normalized, and pending until verified.
    expect(res.body.pendingEmail).toBe(`${next}@example.test`);
    const refused = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .send({ email: `${next}${DOTLESS_I}@example.test` })
      .expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'email' });
    // Another user's address, spelt full-width, is taken.
    const other = await createUser(t);
    await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .send({ email: fullWidth(other.email) })
      .expect(409);
  });

  it('sends a password reset asked for in full-width to the stored address', async () => {
    const user = await createUser(t, { email: `${local('reset')}@example.test` });
    await t.http
      .post('/api/v1/auth/password-reset')
      .send({ email: fullWidth(user.email) })
      .expect(202);
    expect(await waitForEmails(t, user.email)).toHaveLength(1);
  });

  it('lets a superuser into the panel with a full-width spelling of their email', async () => {
    const admin = await createSuperuser(t);
    const res = await t.http
      .post('/admin/login')
      .type('form')
      .send({ email: fullWidth(admin.email), password: FACTORY_PASSWORD })
      .expect(302);
    expect(res.headers.location).toBe('/admin');
  });

  it('the admin panel normalizes an edited email and refuses a look-alike', async () => {
    const agent = await adminAgent(t, await createSuperuser(t));
    const user = await createUser(t);
    const next = local('edited');
    const ok = await adminRecordAction(agent, 'User', user.id, 'edit', {
      email: fullWidth(`${next}@Example.test`),
    });
    expect(ok.record.errors).toEqual({});
    expect((await t.em().findOneOrFail(User, { id: user.id })).email).toBe(`${next}@example.test`);
    const refused = await adminRecordAction(agent, 'User', user.id, 'edit', {
      email: `${CYRILLIC_A}${next}@example.test`,
    });
    expect(refused.record.errors.email.message).toMatch(/mixes letters of different scripts/);
    expect((await t.em().findOneOrFail(User, { id: user.id })).email).toBe(`${next}@example.test`);
  });

  describe('GET /users?search=', () => {
    it('matches names only for a normal user: an email part finds nobody', async () => {
      const secret = local('zq');
      const target = await createUser(t, { email: `${secret}@hidden.test`, name: 'Quentin Vale' });
      const viewer = await createUser(t);
      const auth = await bearer(t, viewer);
      const byEmail = await t.http
        .get('/api/v1/users')
        .query({ search: secret })
        .set('Authorization', auth)
        .expect(200);
      expect(byEmail.body.count).toBe(0);
      const whole = await t.http
        .get('/api/v1/users')
        .query({ search: `${secret}@hidden.test` })
        .set('Authorization', auth)
        .expect(200);
      expect(whole.body.count).toBe(0);
      const byName = await t.http
        .get('/api/v1/users')
        .query({ search: 'quentin va' })
        .set('Authorization', auth)
        .expect(200);
      expect(byName.body.results.map((u: { id: string }) => u.id)).toContain(target.id);
    });

    it('lets staff match emails too', async () => {
      const secret = local('zr');
      const target = await createUser(t, { email: `${secret}@hidden.test` });
      const staff = await createUser(t, { isStaff: true });
      const res = await t.http
        .get('/api/v1/users')
        .query({ search: fullWidth(secret) })
        .set('Authorization', await bearer(t, staff))
        .expect(200);
      expect(res.body.results.map((u: { id: string }) => u.id)).toEqual([target.id]);
    });

    it('does not match emails in a party host’s invitable list either', async () => {
      const secret = local('zs');
      await createUser(t, { email: `${secret}@hidden.test`, name: 'Nobody Special' });
      const host = await signUp(t, { password: GOOD_PASSWORD });
      const party = await t.http
        .post('/api/v1/parties')
        .set('Authorization', `Bearer ${host.access}`)
        .send({ flat: 'B12', firstEntry: new Date(Date.now() + 86_400_000).toISOString() })
        .expect(201);
      const res = await t.http
        .get(`/api/v1/parties/${party.body.id}/invitable`)
        .query({ search: secret })
        .set('Authorization', `Bearer ${host.access}`)
        .expect(200);
      expect(res.body.count).toBe(0);
    });
  });
});
