import { createTestApp, type TestApp } from '../utils/test-app.js';
import { bearer, createUser } from '../utils/factories.js';
import { GOOD_PASSWORD, uniqueEmail } from '../utils/accounts-factories.js';
import { sessionBody } from '../utils/tasks-factories.js';

const PROBLEM = /application\/problem\+json/;
const NUL = 'Null characters are not allowed.';

/**
 * Input PostgreSQL or the stack cannot take, refused with a 400 that names the field (SPEC §2,
 * DRF's ProhibitNullCharactersValidator) on every kind of route: NUL characters in bodies,
 * queries and path parameters, JSON nested too deep, numbers out of range.
 */
describe('bad input: NUL characters, deep JSON, numbers out of range', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await createTestApp();
    auth = await bearer(t, await createUser(t));
  });
  afterAll(() => t.close());

  const fieldsOf = (body: { errors?: { field: string; message: string }[] }) =>
    (body.errors ?? []).filter((e) => e.message === NUL).map((e) => e.field);

  it('refuses a NUL in a JSON body field, naming it, and changes nothing', async () => {
    const res = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .send({ name: 'a\u0000b' })
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(fieldsOf(res.body)).toEqual(['name']);
    const me = await t.http.get('/api/v1/users/me').set('Authorization', auth).expect(200);
    expect(me.body.name).not.toContain('\u0000');
  });

  it('names nested fields and object keys', async () => {
    const body = sessionBody();
    (body.tasks[1] as unknown as Record<string, unknown>).operator = '+\u0000';
    (body.device.details as Record<string, unknown>) = { 'k\u0000': 1 };
    const res = await t.http.post('/api/v1/sessions').set('Authorization', auth).send(body);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body).sort()).toEqual(['device.details.k\\u0000', 'tasks.1.operator']);
  });

  it('refuses a NUL in a query parameter', async () => {
    const res = await t.http.get('/api/v1/users?search=%00').set('Authorization', auth).expect(400);
    expect(fieldsOf(res.body)).toEqual(['search']);
    const regions = await t.http.get('/api/v1/health-regions?search=a%00b').expect(400);
    expect(fieldsOf(regions.body)).toEqual(['search']);
  });

  it('refuses a NUL in a path parameter, on the hot path too', async () => {
    const fsa = await t.http.get('/api/v1/fsa/K1A%00').expect(400);
    expect(fieldsOf(fsa.body)).toEqual(['code']);
    const province = await t.http.get('/api/v1/provinces/%00').expect(400);
    expect(fieldsOf(province.body)).toEqual(['code']);
  });

  it('checks the login body before the password strategy reads it', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .send({ email: 'a\u0000@example.test', password: 'x' })
      .expect(400);
    expect(fieldsOf(res.body)).toEqual(['email']);
    const token = await t.http
      .post('/api/v1/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: 'a\u0000b', password: 'x' })
      .expect(400);
    expect(fieldsOf(token.body)).toEqual(['username']);
  });

  it('checks multipart fields, parsed after the guards', async () => {
    const res = await t.http
      .post('/api/v1/auth/signup')
      .field('email', uniqueEmail())
      .field('password', GOOD_PASSWORD)
      .field('name', 'Robin\u0000')
      .expect(400);
    expect(fieldsOf(res.body)).toEqual(['name']);
  });

  it('refuses JSON nested deeper than 32 levels before parsing it (no stack overflow)', async () => {
    const deep = '{"name":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}';
    const res = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .set('content-type', 'application/json')
      .send(deep)
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.detail).toMatch(/nested deeper than 32/);
    // Brackets inside strings do not count; 32 levels are still parsed (and then validated).
    const inString = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .send({ name: '[\\"'.repeat(40) })
      .expect(200);
    expect(inString.body.name).toBe('[\\"'.repeat(40));
    const d32 = '{"a":' + '['.repeat(31) + ']'.repeat(31) + '}';
    const ok = await t.http
      .patch('/api/v1/users/me')
      .set('Authorization', auth)
      .set('content-type', 'application/json')
      .send(d32)
      .expect(400);
    expect(ok.body.errors).toEqual([expect.objectContaining({ field: 'a' })]);
  });

  it('bounds offsets (2^63 used to reach PostgreSQL as an out-of-range bigint)', async () => {
    for (const offset of ['9223372036854775808', '1e30', '1000000001', '-1']) {
      const res = await t.http.get(`/api/v1/provinces?offset=${offset}`).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'offset' })]);
    }
    const last = await t.http.get('/api/v1/provinces?offset=1000000000').expect(200);
    expect(last.body.results).toEqual([]);
  });
});
