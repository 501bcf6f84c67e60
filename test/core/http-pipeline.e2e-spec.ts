import { createTestApp, type TestApp } from '../utils/test-app.js';
import { ProbeModule } from './probe.module.js';

const PROBLEM = /application\/problem\+json/;

describe('HTTP pipeline: errors, validation, pagination', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ modules: [ProbeModule] });
  });
  afterAll(() => t.close());

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.http.get('/api/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: expect.stringContaining('not-found'),
      title: 'Not found',
      status: 404,
    });
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await t.http
      .post('/api/v1/probe')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.status).toBe(400);
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await t.http
      .post('/api/v1/probe')
      .send({ name: 'x'.repeat(6 * 1024 * 1024), count: 1 })
      .expect(413);
    expect(res.body).toMatchObject({ status: 413, title: 'Payload too large' });
  });

  it('lists every validation failure as { field, message }, nested paths included', async () => {
    const res = await t.http
      .post('/api/v1/probe')
      .send({
        name: 'far too long a name',
        count: 9,
        items: [{ label: 'ok' }, { label: 'too long' }],
        extra: 1,
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.title).toBe('Validation failed');
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['count', 'extra', 'items.1.label', 'name']);
    for (const e of res.body.errors) expect(typeof e.message).toBe('string');
  });

  it('accepts a valid body and converts nothing silently', async () => {
    const res = await t.http.post('/api/v1/probe').send({ name: 'ok', count: 2 }).expect(201);
    expect(res.body).toEqual({ name: 'ok', count: 2, items: [] });
  });

  it('rejects unknown query parameters: DTO routes, named-param routes and plain routes', async () => {
    const a = await t.http.get('/api/v1/probe/numbers?limit=5&colour=red').expect(400);
    expect(a.body.errors).toEqual([expect.objectContaining({ field: 'colour' })]);
    await t.http.get('/api/v1/probe/named?q=1').expect(200);
    const b = await t.http.get('/api/v1/probe/named?q=1&z=2').expect(400);
    expect(b.body.errors).toEqual([expect.objectContaining({ field: 'z' })]);
    await t.http.get('/api/v1/probe/plain?anything=1').expect(400);
    await t.http.get('/api/v1/probe/plain').expect(200);
  });

  it('paginates in DRF shape with absolute next/previous links', async () => {
    const first = await t.http.get('/api/v1/probe/numbers').expect(200);
    expect(first.body.count).toBe(45);
    expect(first.body.results).toHaveLength(20);
    expect(first.body.previous).toBeNull();
    const next = new URL(first.body.next);
    expect(next.protocol).toBe('http:');
    expect(next.pathname).toBe('/api/v1/probe/numbers');
    expect(next.searchParams.get('offset')).toBe('20');

    const last = await t.http.get(`${next.pathname}?limit=20&offset=40`).expect(200);
    expect(last.body.results.map((r: { n: number }) => r.n)).toEqual([41, 42, 43, 44, 45]);
    expect(last.body.next).toBeNull();
    expect(new URL(last.body.previous).searchParams.get('offset')).toBe('20');

    const desc = await t.http.get('/api/v1/probe/numbers?limit=2&ordering=-n').expect(200);
    expect(desc.body.results).toEqual([{ n: 45 }, { n: 44 }]);
    const descNext = new URL(desc.body.next);
    expect(descNext.searchParams.get('ordering')).toBe('-n');
    expect(descNext.searchParams.get('limit')).toBe('2');
    expect(descNext.searchParams.get('offset')).toBe('2');
    const descLast = await t.http.get('/api/v1/probe/numbers?ordering=-n&offset=44&limit=2');
    expect(descLast.body).toMatchObject({ count: 45, next: null, results: [{ n: 1 }] });
    expect(new URL(descLast.body.previous).searchParams.get('offset')).toBe('42');
  });

  it('bounds limit and validates ordering', async () => {
    const res = await t.http
      .get('/api/v1/probe/numbers?limit=101&offset=-1&ordering=secret')
      .expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'limit',
      'offset',
      'ordering',
    ]);
  });

  it('hides the cause of a 500 from the client', async () => {
    const res = await t.http.get('/api/v1/probe/boom').expect(500);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|secret|stack|at /);
    expect(res.body).toMatchObject({ status: 500, title: 'Internal server error' });
  });

  it('carries problem extensions such as the current status', async () => {
    const res = await t.http.get('/api/v1/probe/conflict').expect(409);
    expect(res.body).toMatchObject({
      status: 409,
      detail: 'Already there',
      currentStatus: 'confirmed',
    });
  });

  it('sets security headers and a request id', async () => {
    const res = await t.http.get('/api/v1/probe/plain').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
