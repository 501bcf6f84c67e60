import { User } from '#porch/accounts';
import {
  GIF,
  GOOD_PASSWORD,
  JPEG,
  parallelHttp,
  PNG,
  signupBody,
  uniqueEmail,
} from '../utils/accounts-factories.js';
import { createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

describe('POST /auth/signup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('signs up with JSON: 201, the /users/me profile and a working token pair', async () => {
    const body = signupBody({
      email: 'Mixed.Case@Example.TEST',
      birthdate: '2003-04-05',
      gender: 'female',
      department: 'engineering',
      teacherEmail: 'teacher@school.test',
    });
    const res = await t.http.post('/api/v1/auth/signup').send(body).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.user).toEqual({
      id: expect.any(String),
      email: 'mixed.case@example.test',
      emailVerified: false, // a code is on its way (email-verification.e2e-spec.ts)
      pendingEmail: null,
      name: 'Robin Example',
      birthdate: '2003-04-05',
      gender: 'female',
      department: 'engineering',
      teacherEmail: 'teacher@school.test',
      role: 'guest',
      photoUrl: null,
      isStaff: false,
      isSuperuser: false,
      lastLoginAt: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.body.token).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.any(String),
      refresh_expires_in: 30 * 24 * 3600,
    });
    const me = await t.http
      .get('/api/v1/users/me')
      .set('Authorization', `Bearer ${res.body.token.access_token}`)
      .expect(200);
    expect(me.body.id).toBe(res.body.user.id);
    const stored = await t
      .em()
      .findOneOrFail(User, { id: res.body.user.id }, { populate: ['password'] });
    expect(stored.password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('signs up with multipart/form-data and a photo file part', async () => {
    const email = uniqueEmail();
    const res = await t.http
      .post('/api/v1/auth/signup')
      .field('email', email)
      .field('password', GOOD_PASSWORD)
      .field('name', 'Form Person')
      .field('department', '') // a blank select: not sent
      .field('gender', 'other')
      .attach('photo', PNG, { filename: 'me.png', contentType: 'image/png' })
      .expect(201);
    expect(res.body.user).toMatchObject({ email, gender: 'other', department: null });
    expect(res.body.user.photoUrl).toMatch(
      new RegExp(`^http://[^/]+/api/v1/users/${res.body.user.id}/photo\\?v=[0-9a-f]{16}$`),
    );
    const photo = await t.http
      .get(new URL(res.body.user.photoUrl).pathname)
      .set('Authorization', `Bearer ${res.body.token.access_token}`)
      .expect(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.body as Buffer, PNG)).toBe(0);
  });

  it('takes the photo as a base64 form field or a data URL in JSON', async () => {
    const form = await t.http
      .post('/api/v1/auth/signup')
      .field('email', uniqueEmail())
      .field('password', GOOD_PASSWORD)
      .field('name', 'Base Sixtyfour')
      .field('photo', JPEG.toString('base64'))
      .expect(201);
    expect(form.body.user.photoUrl).not.toBeNull();
    const json = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ photo: `data:image/png;base64,${PNG.toString('base64')}` }))
      .expect(201);
    const row = await t
      .em()
      .findOneOrFail(User, { id: json.body.user.id }, { populate: ['photo'] });
    expect(row.photoType).toBe('image/png');
    expect(Buffer.compare(row.photo!, PNG)).toBe(0);
  });

  it('answers 413 for a photo over 2 MiB and 422 for a type it does not take', async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(2 * 1024 * 1024)]);
    const tooBig = await t.http
      .post('/api/v1/auth/signup')
      .field('email', uniqueEmail())
      .field('password', GOOD_PASSWORD)
      .field('name', 'Big Photo')
      .attach('photo', big, { filename: 'big.jpg', contentType: 'image/jpeg' })
      .expect(413);
    expect(tooBig.headers['content-type']).toMatch(/application\/problem\+json/);
    await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ photo: big.toString('base64') }))
      .expect(413);
    const gif = await t.http
      .post('/api/v1/auth/signup')
      .field('email', uniqueEmail())
      .field('password', GOOD_PASSWORD)
      .field('name', 'Gif Photo')
      // A lying content type does not help: the bytes decide.
      .attach('photo', GIF, { filename: 'me.png', contentType: 'image/png' })
      .expect(422);
    expect(gif.body.errors).toEqual([
      { field: 'photo', message: 'photo must be a JPEG, PNG or WebP image' },
    ]);
    await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ photo: 'definitely not base64 ***' }))
      .expect(422);
  });

  it("applies Django's password rules and lists every broken one", async () => {
    const res = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: 'jane.doe@uni.example', name: 'Jane Doe', password: '1234567' }))
      .expect(400);
    expect(res.body.errors).toEqual([
      {
        field: 'password',
        message: 'This password is too short. It must contain at least 8 characters.',
      },
      { field: 'password', message: 'This password is too common.' },
      { field: 'password', message: 'This password is entirely numeric.' },
    ]);
    const similar = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: 'jane.doe@uni.example', name: 'Jane Doe', password: 'janedoe1' }))
      .expect(400);
    expect(similar.body.errors).toEqual([
      { field: 'password', message: 'The password is too similar to the name.' },
    ]);
    await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ password: 'qwertyuiop' }))
      .expect(400);
    expect(await t.em().count(User, { email: 'jane.doe@uni.example' })).toBe(0);
  });

  it('refuses isStaff, isSuperuser, isActive and unknown fields (400), as JSON or form', async () => {
    for (const extra of [
      { isStaff: true },
      { isSuperuser: true },
      { isActive: false },
      { role: 'host' },
    ]) {
      const body = signupBody(extra);
      const res = await t.http.post('/api/v1/auth/signup').send(body).expect(400);
      expect(res.body.errors[0].field).toBe(Object.keys(extra)[0]);
      expect(await t.em().count(User, { email: body.email })).toBe(0);
    }
    await t.http
      .post('/api/v1/auth/signup')
      .field('email', uniqueEmail())
      .field('password', GOOD_PASSWORD)
      .field('name', 'Sneaky Form')
      .field('isSuperuser', 'true')
      .expect(400);
  });

  it('validates the fields (400 problem with field errors)', async () => {
    const res = await t.http
      .post('/api/v1/auth/signup')
      .send({
        email: 'nope',
        password: GOOD_PASSWORD,
        name: '',
        birthdate: '2003-02-30',
        gender: 'x',
      })
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'birthdate',
      'email',
      'gender',
      'name',
    ]);
    const future = new Date(Date.now() + 86400_000 * 2).toISOString().slice(0, 10);
    await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ birthdate: future }))
      .expect(400);
  });

  it('answers 409 for an email already taken, in any case, even by a deleted user', async () => {
    const existing = await createUser(t);
    const res = await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: existing.email.toUpperCase() }))
      .expect(409);
    expect(res.body.errors).toEqual([{ field: 'email', message: 'email is already registered' }]);
    const gone = await createUser(t, { deletedAt: new Date(), isActive: false });
    await t.http
      .post('/api/v1/auth/signup')
      .send(signupBody({ email: gone.email }))
      .expect(409);
  });

  it('creates exactly one user under concurrent sign-ups with one email; the rest get 409', async () => {
    const email = uniqueEmail('race');
    const http = await parallelHttp(t);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => http.post('/api/v1/auth/signup').send(signupBody({ email }))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await t.em().count(User, { email })).toBe(1);
  });
});
