import { AuthToken, hashToken, User } from '#porch/accounts';
import { parallelHttp, signUp, tokenRequest } from '../utils/accounts-factories.js';
import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('tokens: /auth/token, /auth/revoke, /auth/logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const me = (access: string) =>
    t.http.get('/api/v1/users/me').set('Authorization', `Bearer ${access}`);
  const refresh = (refresh_token: string) =>
    tokenRequest(t, { grant_type: 'refresh_token', refresh_token });

  describe('POST /auth/token', () => {
    it("answers Swagger UI's Authorize request (form, password grant, client fields) with a token pair", async () => {
      const user = await createUser(t);
      const res = await t.http
        .post('/api/v1/auth/token')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        // Swagger UI may send the (empty) client credentials as Basic auth: not a bearer token.
        .set('Authorization', `Basic ${Buffer.from(':').toString('base64')}`)
        .send(
          `grant_type=password&username=${encodeURIComponent(user.email)}` +
            `&password=${encodeURIComponent(FACTORY_PASSWORD)}&scope=&client_id=&client_secret=`,
        )
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: expect.any(String),
        refresh_expires_in: 2592000,
      });
      await me(res.body.access_token).expect(200);
    });

    it('takes JSON too, and ignores parameters it does not know (RFC 6749 §3.2)', async () => {
      const user = await createUser(t);
      await t.http
        .post('/api/v1/auth/token')
        .send({
          grant_type: 'password',
          username: user.email,
          password: FACTORY_PASSWORD,
          audience: 'x',
        })
        .expect(200);
    });

    it('answers RFC 6749 §5.2 JSON errors, not problem+json', async () => {
      const user = await createUser(t);
      const cases: [Record<string, string>, string][] = [
        [{}, 'invalid_request'],
        [{ grant_type: 'password', username: user.email }, 'invalid_request'],
        [{ grant_type: 'refresh_token' }, 'invalid_request'],
        [{ grant_type: 'client_credentials' }, 'unsupported_grant_type'],
        [{ grant_type: 'password', username: user.email, password: 'wrong-one' }, 'invalid_grant'],
        [{ grant_type: 'refresh_token', refresh_token: 'made-up' }, 'invalid_grant'],
      ];
      for (const [params, error] of cases) {
        const res = await tokenRequest(t, params).expect(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.body).toEqual({ error, error_description: expect.any(String) });
      }
      // A repeated parameter is malformed (§3.2).
      const repeated = await t.http
        .post('/api/v1/auth/token')
        .type('form')
        .send('grant_type=password&grant_type=password')
        .expect(400);
      expect(repeated.body.error).toBe('invalid_request');
    });

    it('gives one invalid_grant for unknown email, wrong password, inactive and deleted users', async () => {
      const user = await createUser(t);
      const off = await createUser(t, { isActive: false });
      const gone = await createUser(t, { isActive: false, deletedAt: new Date() });
      const bodies = await Promise.all(
        [
          [user.email, 'wrong-password'],
          ['nobody-here@example.test', FACTORY_PASSWORD],
          [off.email, FACTORY_PASSWORD],
          [gone.email, FACTORY_PASSWORD],
        ].map(
          async ([username, password]) =>
            (await tokenRequest(t, { grant_type: 'password', username, password }).expect(400))
              .body,
        ),
      );
      for (const body of bodies)
        expect(body).toEqual({
          error: 'invalid_grant',
          error_description: 'Invalid email or password',
        });
    });
  });

  describe('refresh rotation', () => {
    it('rotates on every use: a new pair, the old refresh token spent', async () => {
      const { access, refresh: r1 } = await signUp(t);
      const second = await refresh(r1).expect(200);
      expect(second.body.refresh_token).not.toBe(r1);
      expect(second.body.access_token).not.toBe(access);
      await me(second.body.access_token).expect(200);
      const third = await refresh(second.body.refresh_token).expect(200);
      await me(third.body.access_token).expect(200);
    });

    it('revokes the whole family when a spent refresh token comes back (reuse detection)', async () => {
      const { refresh: r1 } = await signUp(t);
      const second = await refresh(r1).expect(200);
      const reuse = await refresh(r1).expect(400);
      expect(reuse.body.error).toBe('invalid_grant');
      // The thief's and the owner's newer tokens are all dead now.
      await me(second.body.access_token).expect(401);
      await refresh(second.body.refresh_token).expect(400);
    });

    it('lets only one of two concurrent uses of a refresh token succeed', async () => {
      const { refresh: r1 } = await signUp(t);
      const http = await parallelHttp(t);
      const results = await Promise.all(
        [1, 2].map(() =>
          http
            .post('/api/v1/auth/token')
            .type('form')
            .send({ grant_type: 'refresh_token', refresh_token: r1 }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      const winner = results.find((r) => r.status === 200)!;
      // The loser presented a spent token: the family is revoked, the winner's pair included.
      await me(winner.body.access_token).expect(401);
    });

    it('refuses an expired refresh token and an access token used as a refresh token', async () => {
      const { access, refresh: r1 } = await signUp(t);
      await refresh(access).expect(400);
      await t
        .em()
        .nativeUpdate(
          AuthToken,
          { tokenHash: hashToken(r1) },
          { expiresAt: new Date(Date.now() - 1000) },
        );
      await refresh(r1).expect(400);
    });
  });

  describe('revoke and logout', () => {
    it('revokes an access token alone (RFC 7009), 200 even for unknown tokens', async () => {
      const { access, refresh: r1 } = await signUp(t);
      const res = await t.http
        .post('/api/v1/auth/revoke')
        .type('form')
        .send({ token: access, token_type_hint: 'access_token' })
        .expect(200);
      expect(res.text).toBe('');
      await me(access).expect(401);
      await refresh(r1).expect(200); // the refresh token lives on
      await t.http.post('/api/v1/auth/revoke').send({ token: 'never-issued' }).expect(200);
      const missing = await t.http.post('/api/v1/auth/revoke').send({}).expect(400);
      expect(missing.body).toEqual({
        error: 'invalid_request',
        error_description: expect.any(String),
      });
    });

    it('revokes a refresh token with its whole family', async () => {
      const { access, refresh: r1 } = await signUp(t);
      await t.http.post('/api/v1/auth/revoke').send({ token: r1 }).expect(200);
      await me(access).expect(401);
      await refresh(r1).expect(400);
    });

    it("logs out the caller's login (its family) and leaves other logins alone", async () => {
      const user = await createUser(t);
      const login = async () =>
        (
          await tokenRequest(t, {
            grant_type: 'password',
            username: user.email,
            password: FACTORY_PASSWORD,
          }).expect(200)
        ).body as { access_token: string; refresh_token: string };
      const phone = await login();
      const laptop = await login();
      await t.http
        .post('/api/v1/auth/logout')
        .set('Authorization', `Bearer ${phone.access_token}`)
        .expect(204);
      await me(phone.access_token).expect(401);
      await refresh(phone.refresh_token).expect(400);
      await me(laptop.access_token).expect(200);
      await t.http.post('/api/v1/auth/logout').expect(401);
    });
  });

  describe('deleted and deactivated users', () => {
    it('locks a deactivated user out at once: live tokens fail, refresh and login give invalid_grant', async () => {
      const user = await createUser(t);
      const pair = (
        await tokenRequest(t, {
          grant_type: 'password',
          username: user.email,
          password: FACTORY_PASSWORD,
        }).expect(200)
      ).body;
      await t.em().nativeUpdate(User, { id: user.id }, { isActive: false });
      await me(pair.access_token).expect(401);
      expect((await refresh(pair.refresh_token).expect(400)).body.error).toBe('invalid_grant');
      const login = await tokenRequest(t, {
        grant_type: 'password',
        username: user.email,
        password: FACTORY_PASSWORD,
      }).expect(400);
      expect(login.body.error).toBe('invalid_grant');
    });

    it('locks out a user who deletes their account (DELETE /users/me)', async () => {
      const { access, refresh: r1, email, password } = await signUp(t);
      await t.http.delete('/api/v1/users/me').set('Authorization', `Bearer ${access}`).expect(204);
      await me(access).expect(401);
      expect((await refresh(r1).expect(400)).body.error).toBe('invalid_grant');
      const grant = await tokenRequest(t, { grant_type: 'password', username: email, password });
      expect(grant.status).toBe(400);
      expect(grant.body.error).toBe('invalid_grant');
      await t.http.post('/api/v1/auth/login').send({ email, password }).expect(401);
    });
  });
});
