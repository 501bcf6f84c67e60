import { User } from '#porch/accounts';
import { bearer, createUser, issueTokens } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { ProbeModule } from './probe.module.js';

describe('access levels and the bearer check', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ modules: [ProbeModule] });
  });
  afterAll(() => t.close());

  it('lets anyone reach a public route, and knows the caller when a token comes along', async () => {
    await t.http.get('/api/v1/probe/access/anyone').expect(200, { user: null });
    const user = await createUser(t);
    await t.http
      .get('/api/v1/probe/access/anyone')
      .set('Authorization', await bearer(t, user))
      .expect(200, { user: user.id });
  });

  it('answers 401 problem+json with WWW-Authenticate without a token, or with a bad one', async () => {
    const none = await t.http.get('/api/v1/probe/access/user').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.headers['content-type']).toMatch(/problem\+json/);
    await t.http
      .get('/api/v1/probe/access/user')
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
    await t.http
      .get('/api/v1/probe/access/anyone')
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
  });

  it('refuses a refresh token used as an access token', async () => {
    const user = await createUser(t);
    const { refresh_token } = await issueTokens(t, user);
    await t.http
      .get('/api/v1/probe/access/user')
      .set('Authorization', `Bearer ${refresh_token}`)
      .expect(401);
  });

  it('locks out a deleted or deactivated user at once', async () => {
    const gone = await createUser(t);
    const goneAuth = await bearer(t, gone);
    const off = await createUser(t);
    const offAuth = await bearer(t, off);
    await t.http.get('/api/v1/probe/access/user').set('Authorization', goneAuth).expect(200);

    const em = t.em();
    await em.nativeUpdate(User, { id: gone.id }, { deletedAt: new Date(), isActive: false });
    await em.nativeUpdate(User, { id: off.id }, { isActive: false });
    await t.http.get('/api/v1/probe/access/user').set('Authorization', goneAuth).expect(401);
    await t.http.get('/api/v1/probe/access/user').set('Authorization', offAuth).expect(401);
  });

  it('keeps staff routes for staff and superusers, superuser routes for superusers', async () => {
    const plain = await bearer(t, await createUser(t));
    const staff = await bearer(t, await createUser(t, { isStaff: true }));
    const root = await bearer(t, await createUser(t, { isSuperuser: true }));
    await t.http.get('/api/v1/probe/access/staff').set('Authorization', plain).expect(403);
    await t.http.get('/api/v1/probe/access/staff').set('Authorization', staff).expect(200);
    await t.http.get('/api/v1/probe/access/staff').set('Authorization', root).expect(200);
    await t.http.get('/api/v1/probe/access/superuser').set('Authorization', staff).expect(403);
    await t.http.get('/api/v1/probe/access/superuser').set('Authorization', root).expect(200);
  });

  it('holds the database rule that a deleted user is never active', async () => {
    const user = await createUser(t);
    await expect(
      t.em().nativeUpdate(User, { id: user.id }, { deletedAt: new Date() }),
    ).rejects.toThrow(/users_deleted_is_inactive/);
  });
});
