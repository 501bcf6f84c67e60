import { wrap } from '@mikro-orm/core';
import { RequestMethod, type Type } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { AccountsModule, User } from '#porch/accounts';
import { NEST_METHOD_METADATA, NEST_PATH_METADATA } from '#porch/core';
import {
  GOOD_PASSWORD,
  PNG,
  resetCode,
  signupBody,
  tokenRequest,
  verificationCode,
  waitForEmails,
} from '../utils/accounts-factories.js';
import { createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Every route of the accounts controllers, as `METHOD /path` with `:params`. */
function accountsRoutes(): string[] {
  const controllers = (Reflect.getMetadata('controllers', AccountsModule) ?? []) as Type<unknown>[];
  const routes: string[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(NEST_PATH_METADATA, controller));
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(NEST_PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(NEST_METHOD_METADATA, handler) as number];
      routes.push(`${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`);
    }
  }
  return routes.sort();
}

/** Any `password` key, or an argon2 hash anywhere, in a JSON value. */
function leaks(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return value.includes('$argon2') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaks(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...(/password/i.test(k) ? [`${path}.${k}`] : []),
      ...leaks(v, `${path}.${k}`),
    ]);
  return [];
}

describe('no response anywhere contains a password hash', () => {
  let t: TestApp;
  const seen = new Map<string, number>();
  const responses: { route: string; res: Response }[] = [];
  beforeAll(async () => {
    t = await createTestApp({ env: { DATA_DIR: mkdtempSync(join(tmpdir(), 'porch-leak-')) } });
  });
  afterAll(() => t.close());

  /** Records a response under its route template. */
  const record = (route: string, res: Response) => {
    seen.set(route, (seen.get(route) ?? 0) + 1);
    responses.push({ route, res });
    return res;
  };

  it('walks every accounts endpoint, successes and errors, and finds no hash', async () => {
    const body = signupBody({ password: GOOD_PASSWORD });
    const signup = record(
      'POST /auth/signup',
      await t.http.post('/api/v1/auth/signup').send(body).expect(201),
    );
    record('POST /auth/signup', await t.http.post('/api/v1/auth/signup').send(body).expect(409));
    record(
      'POST /auth/signup',
      await t.http
        .post('/api/v1/auth/signup')
        .field('email', `form-${body.email}`)
        .field('password', 'short')
        .field('name', 'Form')
        .attach('photo', PNG, 'p.png')
        .expect(400),
    );
    const { id } = signup.body.user as { id: string };
    const login = record(
      'POST /auth/login',
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: body.email, password: GOOD_PASSWORD })
        .expect(200),
    );
    record(
      'POST /auth/login',
      await t.http.post('/api/v1/auth/login').send({ email: body.email, password: 'nope-nope' }),
    );
    const token = record(
      'POST /auth/token',
      await tokenRequest(t, {
        grant_type: 'password',
        username: body.email,
        password: GOOD_PASSWORD,
      }),
    );
    record(
      'POST /auth/token',
      await tokenRequest(t, {
        grant_type: 'refresh_token',
        refresh_token: token.body.refresh_token,
      }),
    );
    record(
      'POST /auth/token',
      await tokenRequest(t, { grant_type: 'password', username: body.email, password: 'x' }),
    );
    const auth = `Bearer ${login.body.access_token}`;
    record('GET /users/me', await t.http.get('/api/v1/users/me').set('Authorization', auth));
    record(
      'PATCH /users/me',
      await t.http.patch('/api/v1/users/me').set('Authorization', auth).send({ name: 'Renamed' }),
    );
    record(
      'PATCH /users/me',
      await t.http.patch('/api/v1/users/me').set('Authorization', auth).send({ password: 'x' }),
    );
    record(
      'PUT /users/me/photo',
      await t.http
        .put('/api/v1/users/me/photo')
        .set('Authorization', auth)
        .send({ photo: PNG.toString('base64') }),
    );
    record('GET /users', await t.http.get('/api/v1/users').set('Authorization', auth));
    record('GET /users/:id', await t.http.get(`/api/v1/users/${id}`).set('Authorization', auth));
    record(
      'GET /users/:id/photo',
      await t.http.get(`/api/v1/users/${id}/photo`).set('Authorization', auth),
    );
    record(
      'DELETE /users/me/photo',
      await t.http.delete('/api/v1/users/me/photo').set('Authorization', auth),
    );
    record(
      'POST /auth/revoke',
      await t.http.post('/api/v1/auth/revoke').send({ token: token.body.access_token }),
    );
    record(
      'POST /auth/logout',
      await t.http.post('/api/v1/auth/logout').set('Authorization', auth),
    );
    record(
      'POST /auth/verify-email/resend',
      await t.http.post('/api/v1/auth/verify-email/resend').send({ email: body.email }),
    );
    const [, resent] = await waitForEmails(t, body.email, 2);
    record(
      'POST /auth/verify-email',
      await t.http
        .post('/api/v1/auth/verify-email')
        .send({ email: body.email, code: verificationCode(resent) }),
    );
    record(
      'POST /auth/password-reset',
      await t.http.post('/api/v1/auth/password-reset').send({ email: body.email }),
    );
    // After sign-up's and the resent verification codes.
    const code = resetCode((await waitForEmails(t, body.email, 3))[2]);
    record(
      'POST /auth/password-reset/confirm',
      await t.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ email: body.email, code, newPassword: 'password' }),
    );
    record(
      'POST /auth/password-reset/confirm',
      await t.http
        .post('/api/v1/auth/password-reset/confirm')
        .send({ email: body.email, code, newPassword: 'another-Fine-pass-31' }),
    );
    const fresh = (
      await tokenRequest(t, {
        grant_type: 'password',
        username: body.email,
        password: 'another-Fine-pass-31',
      })
    ).body.access_token as string;
    record(
      'DELETE /users/me',
      await t.http.delete('/api/v1/users/me').set('Authorization', `Bearer ${fresh}`),
    );

    // Every route was walked...
    expect([...seen.keys()].sort()).toEqual(accountsRoutes());
    // ...and none answered with a hash or a password field.
    for (const { route, res } of responses) {
      expect(res.status).toBeLessThan(500);
      const text = res.text ?? '';
      expect({ route, argon2: text.includes('$argon2') }).toEqual({ route, argon2: false });
      if (res.type.includes('json'))
        expect({ route, leaks: leaks(res.body) }).toEqual({ route, leaks: [] });
      expect(JSON.stringify(res.headers)).not.toContain('$argon2');
    }
  });

  it('keeps the hash out of serialized entities too (hidden property)', async () => {
    const user = await createUser(t);
    const loaded = await t.em().findOneOrFail(User, { id: user.id }, { populate: ['password'] });
    expect(loaded.password).toMatch(/^\$argon2id\$/);
    expect(Object.keys(wrap(loaded).toObject())).not.toContain('password');
    expect(JSON.stringify(loaded)).not.toContain('$argon2');
  });
});
