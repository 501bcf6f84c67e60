import { bearer, createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

interface Index {
  name: string;
  version: string;
  links: Record<string, string>;
  collections: Array<{ module: string; href: string; access: string; description: string }>;
}

/** `GET /api/v1`, the first URL `npm start` prints: an index whose every link answers. */
describe('GET /api/v1', () => {
  let t: TestApp;
  let index: Index;
  let user: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp();
    user = await bearer(t, await createUser(t));
    staff = await bearer(t, await createUser(t, { isStaff: true }));
    const res = await t.http.get('/api/v1').expect(200).expect('Content-Type', /json/);
    index = res.body as Index;
  });
  afterAll(() => t.close());

  it('names the API and links its documentation, health checks and admin panel', () => {
    expect(index).toMatchObject({
      name: 'Porch API',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      links: {
        self: '/api/v1',
        docs: '/docs',
        openapi: '/docs-json',
        token: '/api/v1/auth/token',
        live: '/health/live',
        ready: '/health/ready',
        admin: '/admin',
      },
    });
  });

  it('answers without a token, with or without a trailing slash', async () => {
    await t.http.get('/api/v1/').expect(200);
  });

  it('every link answers', async () => {
    const { token, ...pages } = index.links;
    for (const href of Object.values(pages)) {
      const res = await t.http.get(href).redirects(1);
      expect([href, res.status]).toEqual([href, 200]);
    }
    // The token endpoint is a POST: a GET is refused as a known path with another method.
    const tokenRes = await t.http.get(token);
    expect([token, tokenRes.status]).toEqual([token, 405]);
  });

  it('lists a collection of every module, each answering at its stated access level', async () => {
    expect(new Set(index.collections.map((c) => c.module))).toEqual(
      new Set(['accounts', 'parties', 'invites', 'health-regions', 'tasks', 'exports']),
    );
    for (const { href, access } of index.collections) {
      const anonymous = await t.http.get(href);
      const withUser = await t.http.get(href).set('Authorization', user);
      const withStaff = await t.http.get(href).set('Authorization', staff);
      const statuses = [anonymous.status, withUser.status, withStaff.status];
      const expected =
        access === 'public'
          ? [200, 200, 200]
          : access === 'authenticated'
            ? [401, 200, 200]
            : [401, 403, 200];
      expect([href, statuses]).toEqual([href, expected]);
    }
  });
});
