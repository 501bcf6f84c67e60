import { get } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import { parse } from 'csv-parse/sync';
import { User } from '#porch/accounts';
import { adminAgent, createSuperuser } from '../utils/admin-factories.js';
import { bearer, createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const HEADER =
  'id,email,name,birthdate,gender,department,teacherEmail,isStaff,isSuperuser,isActive,lastLoginAt,createdAt,updatedAt';

describe('CSV exports', () => {
  let t: TestApp;
  let staff: string;
  beforeAll(async () => {
    t = await createTestApp();
    staff = await bearer(t, await createUser(t, { isStaff: true }));
  });
  afterAll(() => t.close());

  const download = (path: string, auth = staff) =>
    t.http.get(`/api/v1/exports/${path}`).set('Authorization', auth);
  const rowsOf = (text: string) =>
    parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];

  it('answers 401 without a token and 403 to a user who is not staff', async () => {
    await t.http.get('/api/v1/exports/users.csv').expect(401);
    const plain = await bearer(t, await createUser(t));
    const res = await download('users.csv', plain).expect(403);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('serves staff and superusers an RFC 4180 file with a header row and a dated filename', async () => {
    const res = await download('users.csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.text.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(res.text).not.toMatch(/[^\r]\n/); // CRLF line ends only
    const superuser = await bearer(t, await createSuperuser(t));
    await download('users.csv', superuser).expect(200);
  });

  it('quotes commas, quotes and line breaks, and never exports secrets', async () => {
    const user = await createUser(t, { name: 'a,b "c"\nd', photo: Buffer.from('bytes') });
    const res = await download(`users.csv?userIds=${user.id}`).expect(200);
    const [, line] = res.text.split('\r\n');
    expect(line).toContain(`,"a,b ""c""\nd",`);
    const [row] = rowsOf(res.text);
    expect(row.name).toBe('a,b "c"\nd');
    expect(res.text).not.toMatch(/argon2|password|photo/);
  });

  it('neutralizes cells a spreadsheet would run as formulas', async () => {
    const user = await createUser(t, { name: '=1+1', teacherEmail: '@SUM(A1)' });
    const [row] = rowsOf((await download(`users.csv?userIds=${user.id}`).expect(200)).text);
    expect(row.name).toBe("'=1+1");
    expect(row.teacherEmail).toBe("'@SUM(A1)");
    expect(row.isStaff).toBe('false');
    expect(row.createdAt).toBe(user.createdAt.toISOString());
  });

  it('writes dates as ISO 8601 and calendar dates as they are stored', async () => {
    const user = await createUser(t, {
      birthdate: '2001-02-03',
      lastLoginAt: new Date('2026-11-22T20:00:00.123Z'),
    });
    const [row] = rowsOf((await download(`users.csv?userIds=${user.id}`).expect(200)).text);
    expect(row.birthdate).toBe('2001-02-03');
    expect(row.lastLoginAt).toBe('2026-11-22T20:00:00.123Z');
  });

  it('filters by user ids and by creation time, and leaves deleted users out', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const gone = await createUser(t, { isActive: false, deletedAt: new Date() });
    const ids = rowsOf(
      (await download(`users.csv?userIds=${a.id},${b.id.toUpperCase()},${gone.id}`).expect(200))
        .text,
    ).map((r) => r.id);
    expect(ids.sort()).toEqual([a.id, b.id].sort());

    const em = t.em();
    await em.nativeUpdate(User, { id: a.id }, { createdAt: new Date('2020-01-01T00:00:00Z') });
    await em.nativeUpdate(User, { id: b.id }, { createdAt: new Date('2020-06-01T00:00:00Z') });
    const ranged = rowsOf(
      (
        await download(
          `users.csv?userIds=${a.id},${b.id}&since=2020-03-01T00:00:00Z&until=2021-01-01T00:00:00Z`,
        ).expect(200)
      ).text,
    );
    expect(ranged.map((r) => r.id)).toEqual([b.id]);
  });

  it('rejects filters the export does not support, malformed ones and unknown parameters', async () => {
    const unsupported = await download(
      'users.csv?groupId=0190a000-0000-7000-8000-000000000000',
    ).expect(400);
    expect(unsupported.body.errors).toEqual([
      { field: 'groupId', message: 'the users export does not filter by groupId' },
    ]);
    await download('users.csv?userIds=nope').expect(400);
    await download('users.csv?since=yesterday').expect(400);
    await download('users.csv?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z').expect(400);
    await download('users.csv?format=xlsx').expect(400);
  });

  it('answers 404 for an unknown export', async () => {
    const res = await download('unicorns.csv').expect(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    await download('users.json').expect(404);
  });

  it('serves the same export to the admin panel session, and only to it', async () => {
    const anonymous = await t.http.get('/admin/exports/users.csv').expect(302);
    expect(anonymous.headers.location).toBe('/admin/login');
    const agent = await adminAgent(t, await createSuperuser(t));
    const res = await agent.get('/admin/exports/users.csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.text.startsWith(`${HEADER}\r\n`)).toBe(true);
    await agent.get('/admin/exports/users.csv?groupId=x').expect(400);
    await agent.get('/admin/exports/unicorns.csv').expect(404);
  });

  it('streams 100,000 rows completely and correctly', async () => {
    await t
      .em()
      .getConnection()
      .execute(
        `insert into users (id, created_at, updated_at, email, password, name)
         select gen_random_uuid(), now(), now(), 'bulk' || n || '@example.test', 'x', 'Bulk ' || n
           from generate_series(1, 100000) n`,
      );
    const res = await download('users.csv')
      .buffer(true)
      .parse((response, done) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done(null, text));
      })
      .expect(200);
    const text = res.body as string;
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe(''); // ends with CRLF
    const expected = await t.em().count(User);
    expect(lines.length - 1).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(100000);
    const bulk = lines.filter((l) => l.includes('@example.test,Bulk '));
    expect(bulk).toHaveLength(100000);
    expect(new Set(bulk.map((l) => l.split(',')[1])).size).toBe(100000);
  });

  it('stops the query and frees its connection when the client goes away', async () => {
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    const abandon = () =>
      new Promise<void>((done, fail) => {
        const req = get(
          { port, path: '/api/v1/exports/users.csv', headers: { Authorization: staff } },
          (res) => {
            res.once('data', () => {
              req.destroy();
              done();
            });
          },
        );
        req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? done() : fail(e)));
      });
    // More abandoned downloads than the export pool has connections: a leak would starve it.
    for (let i = 0; i < 6; i++) await abandon();
    const res = await download('users.csv?until=2000-01-01T00:00:00Z').expect(200);
    expect(res.text).toBe(`${HEADER}\r\n`);
    const busy = async () =>
      (
        await t
          .em()
          .getConnection()
          .execute<{ n: string }[]>(
            `select count(*) as n from pg_stat_activity
              where application_name = 'porch-exports' and datname = current_database()
                and state = 'active'`,
          )
      )[0].n;
    for (let i = 0; i < 50 && (await busy()) !== '0'; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await busy()).toBe('0');
  });
});
