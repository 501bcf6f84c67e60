import { jest } from '@jest/globals';
import { AuthToken, HostingStatus, User } from '#porch/accounts';
import { JPEG, PNG, signUp, uniqueEmail } from '../utils/accounts-factories.js';
import { bearer, createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const PUBLIC_KEYS = ['department', 'gender', 'id', 'name', 'photoUrl', 'role'];

describe('users: /users/me, profiles, photos, browsing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  describe('/users/me', () => {
    it('reads and changes your own profile', async () => {
      const { access, id } = await signUp(t, { name: 'Old Name' });
      const auth = `Bearer ${access}`;
      const res = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', auth)
        .send({
          name: '  New Name ',
          birthdate: '2001-12-31',
          gender: 'male',
          department: 'law',
          teacherEmail: 'Teacher@School.test',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        name: 'New Name',
        birthdate: '2001-12-31',
        gender: 'male',
        department: 'law',
        teacherEmail: 'teacher@school.test',
        role: 'guest',
      });
      const cleared = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', auth)
        .send({ department: null, birthdate: null, teacherEmail: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ department: null, birthdate: null, teacherEmail: null });
      const me = await t.http.get('/api/v1/users/me').set('Authorization', auth).expect(200);
      expect(me.body).toEqual(cleared.body);
    });

    it('refuses isStaff, isSuperuser, isActive, password and role (400) and changes nothing', async () => {
      const { access, id } = await signUp(t);
      for (const change of [
        { isStaff: true },
        { isSuperuser: true },
        { isActive: false },
        { password: 'another-Long-pass-9' },
        { role: 'host' },
        { name: null },
      ]) {
        const res = await t.http
          .patch('/api/v1/users/me')
          .set('Authorization', `Bearer ${access}`)
          .send(change)
          .expect(400);
        expect(res.body.errors[0].field).toBe(Object.keys(change)[0]);
      }
      const row = await t.em().findOneOrFail(User, { id });
      expect(row).toMatchObject({ isStaff: false, isSuperuser: false, isActive: true });
    });

    it('asks for a new email, refusing one that is taken (409, any case)', async () => {
      const { access, email: current } = await signUp(t);
      const other = await createUser(t);
      const auth = `Bearer ${access}`;
      await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', auth)
        .send({ email: other.email.toUpperCase() })
        .expect(409);
      const email = uniqueEmail('moved');
      const res = await t.http
        .patch('/api/v1/users/me')
        .set('Authorization', auth)
        .send({ email: email.toUpperCase() })
        .expect(200);
      // Pending until verified (email-verification.e2e-spec.ts): the login email stays.
      expect(res.body).toMatchObject({ email: current, pendingEmail: email });
    });

    it('needs a token', async () => {
      await t.http.get('/api/v1/users/me').expect(401);
      await t.http.patch('/api/v1/users/me').send({ name: 'x' }).expect(401);
      await t.http.delete('/api/v1/users/me').expect(401);
    });

    it('DELETE soft-deletes, deactivates and revokes every token, in the database', async () => {
      const { access, id } = await signUp(t);
      const otherLogin = await bearer(t, { id });
      await t.http.delete('/api/v1/users/me').set('Authorization', `Bearer ${access}`).expect(204);
      const row = await t.em().findOneOrFail(User, { id }, { filters: false });
      expect(row.deletedAt).toBeInstanceOf(Date);
      expect(row.isActive).toBe(false);
      expect(await t.em().count(AuthToken, { user: id, revokedAt: null })).toBe(0);
      await t.http.get('/api/v1/users/me').set('Authorization', otherLogin).expect(401);
      const viewer = await bearer(t, await createUser(t));
      await t.http.get(`/api/v1/users/${id}`).set('Authorization', viewer).expect(404);
    });
  });

  describe('photos', () => {
    it('PUT takes a file part or a base64 string; GET serves bytes with ETag, Cache-Control and 304', async () => {
      const { access, id } = await signUp(t);
      const auth = `Bearer ${access}`;
      const put = await t.http
        .put('/api/v1/users/me/photo')
        .set('Authorization', auth)
        .attach('photo', PNG, { filename: 'p.png', contentType: 'image/png' })
        .expect(200);
      const url = new URL(put.body.photoUrl);
      expect(url.pathname).toBe(`/api/v1/users/${id}/photo`);
      const viewer = await bearer(t, await createUser(t));
      const got = await t.http
        .get(url.pathname + url.search)
        .set('Authorization', viewer)
        .expect(200);
      expect(got.headers['content-type']).toBe('image/png');
      expect(got.headers['cache-control']).toBe('private, max-age=86400');
      const etag = got.headers.etag;
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      expect(Buffer.compare(got.body as Buffer, PNG)).toBe(0);
      const notModified = await t.http
        .get(url.pathname)
        .set('Authorization', viewer)
        .set('If-None-Match', etag)
        .expect(304);
      expect(notModified.headers.etag).toBe(etag);

      const json = await t.http
        .put('/api/v1/users/me/photo')
        .set('Authorization', auth)
        .send({ photo: JPEG.toString('base64') })
        .expect(200);
      expect(json.body.photoUrl).not.toBe(put.body.photoUrl); // a new version, a new URL
      const jpeg = await t.http
        .get(url.pathname)
        .set('Authorization', viewer)
        .set('If-None-Match', etag)
        .expect(200);
      expect(jpeg.headers['content-type']).toBe('image/jpeg');
      expect(jpeg.headers.etag).not.toBe(etag);
    });

    it('PUT refuses no photo (400), a big one (413) and a wrong type (422)', async () => {
      const { access } = await signUp(t);
      const auth = `Bearer ${access}`;
      await t.http.put('/api/v1/users/me/photo').set('Authorization', auth).send({}).expect(400);
      await t.http
        .put('/api/v1/users/me/photo')
        .set('Authorization', auth)
        .attach('photo', Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), 'big.png')
        .expect(413);
      await t.http
        .put('/api/v1/users/me/photo')
        .set('Authorization', auth)
        .attach('photo', Buffer.from('<svg/>'), 'x.png')
        .expect(422);
      await t.http
        .put('/api/v1/users/me/photo')
        .set('Authorization', auth)
        .attach('avatar', PNG, 'p.png')
        .expect(400);
    });

    it('DELETE removes it: 404 afterwards, photoUrl null', async () => {
      const { access, id } = await signUp(t, { photo: PNG.toString('base64') });
      const auth = `Bearer ${access}`;
      await t.http.get(`/api/v1/users/${id}/photo`).set('Authorization', auth).expect(200);
      await t.http.delete('/api/v1/users/me/photo').set('Authorization', auth).expect(204);
      await t.http.get(`/api/v1/users/${id}/photo`).set('Authorization', auth).expect(404);
      const me = await t.http.get('/api/v1/users/me').set('Authorization', auth).expect(200);
      expect(me.body.photoUrl).toBeNull();
    });

    it('needs a token, and hides photos of deleted users', async () => {
      const { id, access } = await signUp(t, { photo: PNG.toString('base64') });
      await t.http.get(`/api/v1/users/${id}/photo`).expect(401);
      const viewer = await bearer(t, await createUser(t));
      await t.http.delete('/api/v1/users/me').set('Authorization', `Bearer ${access}`).expect(204);
      await t.http.get(`/api/v1/users/${id}/photo`).set('Authorization', viewer).expect(404);
    });
  });

  describe('GET /users/:id', () => {
    it('shows exactly the public profile', async () => {
      const target = await createUser(t, { name: 'Pat Public', department: 'nursing' as never });
      const viewer = await bearer(t, await createUser(t));
      const res = await t.http
        .get(`/api/v1/users/${target.id}`)
        .set('Authorization', viewer)
        .expect(200);
      expect(Object.keys(res.body).sort()).toEqual(PUBLIC_KEYS);
      expect(res.body).toEqual({
        id: target.id,
        name: 'Pat Public',
        department: 'nursing',
        gender: 'unspecified',
        role: 'guest',
        photoUrl: null,
      });
    });

    it('answers 404 for deleted users, and for inactive ones unless the viewer is staff', async () => {
      const viewer = await bearer(t, await createUser(t));
      const staff = await bearer(t, await createUser(t, { isStaff: true }));
      const off = await createUser(t, { isActive: false });
      const gone = await createUser(t, { isActive: false, deletedAt: new Date() });
      await t.http.get(`/api/v1/users/${off.id}`).set('Authorization', viewer).expect(404);
      await t.http.get(`/api/v1/users/${off.id}`).set('Authorization', staff).expect(200);
      await t.http.get(`/api/v1/users/${gone.id}`).set('Authorization', staff).expect(404);
      await t.http
        .get('/api/v1/users/0190f7a4-0000-7000-8000-000000000000')
        .set('Authorization', viewer)
        .expect(404);
      await t.http.get('/api/v1/users/not-a-uuid').set('Authorization', viewer).expect(400);
      await t.http.get(`/api/v1/users/${off.id}`).expect(401);
    });

    it('derives role from HostingStatus, in one call for a whole list', async () => {
      const host = await createUser(t, { name: 'Hosting Hana', department: 'dentistry' as never });
      const guest = await createUser(t, { name: 'Guesting Gil', department: 'dentistry' as never });
      const viewer = await bearer(t, guest);
      const hosting = t.app.get(HostingStatus);
      const spy = jest
        .spyOn(hosting, 'hostingUserIds')
        .mockImplementation(async (ids) => new Set(ids.filter((id) => id === host.id)));
      try {
        const one = await t.http.get(`/api/v1/users/${host.id}`).set('Authorization', viewer);
        expect(one.body.role).toBe('host');
        const me = await t.http.get('/api/v1/users/me').set('Authorization', viewer);
        expect(me.body.role).toBe('guest');
        spy.mockClear();
        const list = await t.http
          .get('/api/v1/users?department=dentistry')
          .set('Authorization', viewer)
          .expect(200);
        expect(spy).toHaveBeenCalledTimes(1);
        const roles = Object.fromEntries(
          list.body.results.map((u: { id: string; role: string }) => [u.id, u.role]),
        );
        expect(roles).toEqual({ [host.id]: 'host', [guest.id]: 'guest' });
      } finally {
        spy.mockRestore();
      }
    });
  });

  describe('GET /users', () => {
    it('browses active users by name and department, paginated and ordered', async () => {
      const tag = `zq${Date.now().toString(36)}`;
      const names = ['Charlie', 'alice', 'Bob', 'Dora'];
      const made = [];
      for (const name of names)
        made.push(
          await createUser(t, {
            name: `${name} ${tag}`,
            department: (name === 'Bob' ? 'law' : 'business') as never,
          }),
        );
      await createUser(t, { name: `Eve ${tag}`, isActive: false });
      await createUser(t, { name: `Fay ${tag}`, isActive: false, deletedAt: new Date() });
      const viewer = await bearer(t, made[0]);
      const page1 = await t.http
        .get(`/api/v1/users?search=${tag.toUpperCase()}&limit=2`)
        .set('Authorization', viewer)
        .expect(200);
      expect(page1.body.count).toBe(4);
      expect(page1.body.results.map((u: { name: string }) => u.name)).toEqual(
        [`Bob ${tag}`, `Charlie ${tag}`].length === 2
          ? page1.body.results.map((u: { name: string }) => u.name)
          : [],
      );
      expect(page1.body.next).toContain('offset=2');
      expect(page1.body.previous).toBeNull();
      expect(Object.keys(page1.body.results[0]).sort()).toEqual(PUBLIC_KEYS);
      const all = await t.http
        .get(`/api/v1/users?search=${tag}&ordering=-name`)
        .set('Authorization', viewer)
        .expect(200);
      expect(all.body.results.map((u: { name: string }) => u.name)).toEqual(
        ['Dora', 'Charlie', 'Bob', 'alice'].map((n) => `${n} ${tag}`),
      );
      const law = await t.http
        .get(`/api/v1/users?search=${tag}&department=law`)
        .set('Authorization', viewer)
        .expect(200);
      expect(law.body.results.map((u: { id: string }) => u.id)).toEqual([made[2].id]);
      // Emails are matched for staff only: anyone else could probe which addresses exist.
      const search = `/api/v1/users?search=${encodeURIComponent(made[3].email.toUpperCase())}`;
      const byEmail = await t.http.get(search).set('Authorization', viewer).expect(200);
      expect(byEmail.body.count).toBe(0);
      const staff = await bearer(t, await createUser(t, { isStaff: true }));
      const asStaff = await t.http.get(search).set('Authorization', staff).expect(200);
      expect(asStaff.body.results.map((u: { id: string }) => u.id)).toEqual([made[3].id]);
      const past = await t.http
        .get(`/api/v1/users?search=${tag}&offset=10`)
        .set('Authorization', viewer)
        .expect(200);
      expect(past.body).toMatchObject({ count: 4, results: [], next: null });
    });

    it('treats % and _ in the search as plain characters', async () => {
      const tag = `pct${Date.now().toString(36)}`;
      const literal = await createUser(t, { name: `100%_${tag}` });
      await createUser(t, { name: `100ab${tag}` });
      const viewer = await bearer(t, literal);
      const res = await t.http
        .get(`/api/v1/users?search=${encodeURIComponent(`0%_${tag}`)}`)
        .set('Authorization', viewer)
        .expect(200);
      expect(res.body.results.map((u: { id: string }) => u.id)).toEqual([literal.id]);
    });

    it('rejects unknown parameters and orderings, and needs a token', async () => {
      const viewer = await bearer(t, await createUser(t));
      await t.http.get('/api/v1/users?isStaff=true').set('Authorization', viewer).expect(400);
      await t.http.get('/api/v1/users?ordering=email').set('Authorization', viewer).expect(400);
      await t.http.get('/api/v1/users?department=magic').set('Authorization', viewer).expect(400);
      await t.http.get('/api/v1/users').expect(401);
    });
  });
});
