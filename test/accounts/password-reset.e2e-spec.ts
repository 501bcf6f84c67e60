import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthToken, PasswordResetCode, User } from '#porch/accounts';
import {
  GOOD_PASSWORD,
  resetCode,
  sentEmails,
  signUp,
  uniqueEmail,
  waitForEmails,
} from '../utils/accounts-factories.js';
import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const NEW_PASSWORD = 'saffron-Ladder-82-quiet';

describe('password reset by emailed code', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A mailbox of this file's own: the file transport writes .eml files under DATA_DIR.
    t = await createTestApp({
      env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'porch-reset-')), MAIL_TRANSPORT: 'file' },
    });
  });
  afterAll(() => t.close());

  const request = (email: string) => t.http.post('/api/v1/auth/password-reset').send({ email });
  const confirm = (email: string, code: string, newPassword = NEW_PASSWORD) =>
    t.http.post('/api/v1/auth/password-reset/confirm').send({ email, code, newPassword });
  const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('works end to end through the file transport: 202, email, 204, new password, tokens revoked', async () => {
    const user = await signUp(t);
    const res = await request(user.email.toUpperCase()).expect(202);
    expect(res.text).toBe('');
    // Sign-up mailed a verification code first; the reset code is the second mail.
    const [, eml] = await waitForEmails(t, user.email, 2);
    expect(eml).toMatch(/^Subject: Your Porch password reset code$/m);
    const code = resetCode(eml);
    expect(code).toMatch(/^\d{6}$/);
    // Stored hashed, never in clear.
    const row = await t.em().findOneOrFail(PasswordResetCode, { user: user.id });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);

    await confirm(user.email, code).expect(204);
    await t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${user.access}`).expect(401);
    expect(await t.em().count(AuthToken, { user: user.id, revokedAt: null })).toBe(0);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: NEW_PASSWORD })
      .expect(200);
    // A code works once.
    await confirm(user.email, code, 'another-Fine-pass-31').expect(422);
  });

  it('answers 202 for an unknown address too, and sends nothing', async () => {
    const ghost = uniqueEmail('ghost');
    await request(ghost).expect(202);
    const known = await createUser(t);
    await request(known.email).expect(202);
    await waitForEmails(t, known.email); // the known one's mail went out, so the ghost's would have
    expect(await sentEmails(t, ghost)).toEqual([]);
    const res = await confirm(ghost, '123456').expect(422);
    expect(res.body.detail).toMatch(/code/);
  });

  it('counts wrong codes: after 5 the code is dead, even the right one', async () => {
    const user = await createUser(t);
    await request(user.email).expect(202);
    const code = resetCode((await waitForEmails(t, user.email))[0]);
    for (let i = 0; i < 5; i++) await confirm(user.email, wrongCode(code)).expect(422);
    const row = await t.em().findOneOrFail(PasswordResetCode, { user: user.id });
    expect(row.attempts).toBe(5);
    await confirm(user.email, code).expect(422);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: FACTORY_PASSWORD })
      .expect(200);
  });

  it('refuses an expired code', async () => {
    const user = await createUser(t);
    await request(user.email).expect(202);
    const code = resetCode((await waitForEmails(t, user.email))[0]);
    await t
      .em()
      .nativeUpdate(
        PasswordResetCode,
        { user: user.id },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    await confirm(user.email, code).expect(422);
  });

  it('honours only the newest code', async () => {
    const user = await createUser(t);
    await request(user.email).expect(202);
    const first = resetCode((await waitForEmails(t, user.email, 1))[0]);
    await request(user.email).expect(202);
    const messages = await waitForEmails(t, user.email, 2);
    const second = resetCode(messages[1]);
    if (first !== second) await confirm(user.email, first).expect(422);
    await confirm(user.email, second).expect(204);
  });

  it('checks the new password with the same rules, keeping the code for another try', async () => {
    const user = await createUser(t, { email: uniqueEmail('weak') });
    await request(user.email).expect(202);
    const code = resetCode((await waitForEmails(t, user.email))[0]);
    const weak = await confirm(user.email, code, 'password').expect(400);
    expect(weak.body.errors).toEqual([
      { field: 'newPassword', message: 'This password is too common.' },
    ]);
    await confirm(user.email, code, GOOD_PASSWORD).expect(204);
  });

  it('sends no code to deactivated users', async () => {
    const off = await createUser(t, { isActive: false });
    const on = await createUser(t);
    await request(off.email).expect(202);
    await request(on.email).expect(202);
    await waitForEmails(t, on.email);
    expect(await sentEmails(t, off.email)).toEqual([]);
    expect(await t.em().count(User, { id: off.id, isActive: false })).toBe(1);
  });

  it('validates the request shape (400)', async () => {
    await t.http.post('/api/v1/auth/password-reset').send({ email: 'nope' }).expect(400);
    await t.http
      .post('/api/v1/auth/password-reset/confirm')
      .send({ email: 'a@b.test', code: '12ab56', newPassword: NEW_PASSWORD })
      .expect(400);
  });
});
