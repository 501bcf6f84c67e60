import { User } from '#porch/accounts';
import { adminAgent, adminList, createSuperuser } from '../utils/admin-factories.js';
import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('admin panel login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = (email: string, password = FACTORY_PASSWORD) =>
    t.http.post('/admin/login').type('form').send({ email, password });

  it('lets an active superuser in, with a session stored in PostgreSQL', async () => {
    const admin = await createSuperuser(t);
    const res = await login(admin.email.toUpperCase()).expect(302);
    expect(res.headers.location).toBe('/admin');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/porch_admin=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/admin/);

    const rows = await t
      .em()
      .getConnection()
      .execute<
        { sess: { adminUser?: { email: string; id: string } } }[]
      >('select sess from admin_session');
    expect(rows.map((r) => r.sess.adminUser?.email)).toContain(admin.email);

    const reloaded = await t.em().findOneOrFail(User, admin.id);
    expect(reloaded.lastLoginAt).toBeInstanceOf(Date);
  });

  it.each([
    ['a wrong password', { isSuperuser: true }, 'not-the-password'],
    ['a plain user', {}, FACTORY_PASSWORD],
    ['staff who is not a superuser', { isStaff: true }, FACTORY_PASSWORD],
    ['an inactive superuser', { isSuperuser: true, isActive: false }, FACTORY_PASSWORD],
    [
      'a deleted superuser',
      { isSuperuser: true, isActive: false, deletedAt: new Date() },
      FACTORY_PASSWORD,
    ],
  ])('refuses %s', async (_case, overrides, password) => {
    const user = await createUser(t, overrides);
    const res = await login(user.email, password).expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toMatch(/invalidCredentials|Wrong email|Invalid/i);
  });

  it('refuses an unknown email the same way', async () => {
    const res = await login('nobody@example.test').expect(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('keeps anonymous visitors on the login page', async () => {
    const res = await t.http.get('/admin/resources/User').expect(302);
    expect(res.headers.location).toBe('/admin/login');
  });

  it('throws out an admin who is demoted or deleted while logged in', async () => {
    const admin = await createSuperuser(t);
    const agent = await adminAgent(t, admin);
    await adminList(agent, 'User');
    await t.em().nativeUpdate(User, { id: admin.id }, { isSuperuser: false });
    const res = await agent.get('/admin/api/resources/User/actions/list');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin/login');
    // The session is gone for good, not just this request.
    await t.em().nativeUpdate(User, { id: admin.id }, { isSuperuser: true });
    expect((await agent.get('/admin/api/resources/User/actions/list')).status).toBe(302);
  });

  it('refuses cross-site calls to the panel API even with a valid session', async () => {
    const agent = await adminAgent(t, await createSuperuser(t));
    await agent
      .get('/admin/api/resources/User/actions/list')
      .set('Sec-Fetch-Site', 'cross-site')
      .expect(403);
    await agent
      .get('/admin/api/resources/User/actions/list')
      .set('Sec-Fetch-Site', 'same-origin')
      .expect(200);
  });

  it('locks an email+IP out after repeated failures: 429 with Retry-After', async () => {
    const admin = await createSuperuser(t);
    for (let i = 0; i < 5; i++) await login(admin.email, 'wrong').expect(200);
    const res = await login(admin.email).expect(429);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).toMatch(/tooManyRequests/);
  });
});
