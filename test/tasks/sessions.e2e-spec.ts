import { jest } from '@jest/globals';
import pg from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { Keypress, Task } from '#porch/tasks';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import {
  learner,
  postSession,
  sessionBody,
  storedCounts,
  type SessionBody,
} from '../utils/tasks-factories.js';

const PROBLEM = /application\/problem\+json/;
const fields = (res: { body: { errors?: { field: string }[] } }) =>
  (res.body.errors ?? []).map((e) => e.field);

describe('POST /sessions: one upload, one transaction, idempotent', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('stores a session with 500 tasks and 5,000 keypresses in one request, one INSERT per table', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 500, keypresses: 5000 });
    const connection = t.app.get(MikroORM).em.getDriver().getConnection('write');
    const execute = jest.spyOn(connection, 'execute');
    let inserts: string[];
    try {
      const res = await postSession(t, auth, body).expect(201);
      inserts = execute.mock.calls
        .map(([sql]) => String(sql))
        .filter((sql) => /^\s*insert/i.test(sql))
        .map((sql) => /insert into "?(\w+)"?/i.exec(sql)![1]);
      expect(res.body).toEqual({
        id: body.id,
        startedAt: body.startedAt,
        endedAt: body.endedAt,
        durationMs: 501_000,
        appVersion: '2.4.0',
        device: {
          id: expect.any(String),
          platform: 'android',
          model: 'SM-T510',
          osVersion: '11',
          details: { locale: 'en-CA' },
        },
        taskCount: 500,
        correctCount: 500,
        keypressCount: 5000,
        createdAt: expect.any(String),
      });
    } finally {
      execute.mockRestore();
    }
    // Bulk inserts: one multi-row statement per table, never one per row.
    expect(inserts.sort()).toEqual(['devices', 'keypresses', 'sessions', 'tasks']);
    expect(await storedCounts(t, user.id)).toEqual({
      devices: 1,
      sessions: 1,
      tasks: 500,
      keypresses: 5000,
    });
    const em = t.em();
    const positions = await em.find(Task, { session: body.id }, { orderBy: { position: 'asc' } });
    expect(positions.map((task) => task.position)).toEqual([...Array(500).keys()]);
    expect(await em.count(Keypress, { session: body.id })).toBe(5000);
  });

  it('answers a replay with 200 and the stored session, and writes nothing', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 40, keypresses: 100 });
    const first = await postSession(t, auth, body).expect(201);
    const before = await storedCounts(t, user.id);
    const [rowBefore] = await t
      .em()
      .getConnection()
      .execute('select updated_at from devices where user_id = ?', [user.id]);

    const again = await postSession(t, auth, body).expect(200);
    expect(again.body).toEqual(first.body);
    // Re-serialized differently (offset instead of Z, keys reordered): still the same upload.
    const { keypresses, tasks, ...rest } = body;
    const reordered = {
      keypresses,
      tasks,
      ...rest,
      startedAt: body.startedAt.replace('.000Z', '+00:00'),
    };
    await postSession(t, auth, reordered).expect(200);

    expect(await storedCounts(t, user.id)).toEqual(before);
    const [rowAfter] = await t
      .em()
      .getConnection()
      .execute('select updated_at from devices where user_id = ?', [user.id]);
    expect(rowAfter).toEqual(rowBefore);
  });

  it('answers 409 for a different body under a known id, and stores nothing new', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 5 });
    await postSession(t, auth, body).expect(201);
    const changed: SessionBody = {
      ...body,
      tasks: body.tasks.map((task, i) => (i === 2 ? { ...task, userAnswer: 99 } : task)),
    };
    const res = await postSession(t, auth, changed).expect(409);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    await postSession(t, auth, { ...body, appVersion: '2.4.1' }).expect(409);
    expect(await storedCounts(t, user.id)).toMatchObject({ sessions: 1, tasks: 5 });
  });

  it("answers 409 for another user's session id, even with the identical body", async () => {
    const owner = await learner(t);
    const other = await learner(t);
    const body = sessionBody();
    await postSession(t, owner.auth, body).expect(201);
    const res = await postSession(t, other.auth, body).expect(409);
    expect(JSON.stringify(res.body)).not.toContain(owner.user.id);
    expect(await storedCounts(t, other.user.id)).toEqual({
      devices: 0,
      sessions: 0,
      tasks: 0,
      keypresses: 0,
    });
  });

  it('stores one session when two identical uploads race (the loser answers as a retry)', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 20, keypresses: 50 });
    // Hold both uploads inside their transactions: the first blocks on its keypress insert, the
    // second on the device row the first has not committed yet. Then let them go.
    const blocker = new pg.Client({ connectionString: t.databaseUrl });
    // A second client watches: pg_stat_activity is a snapshot within the blocker's transaction.
    const monitor = new pg.Client({ connectionString: t.databaseUrl });
    await Promise.all([blocker.connect(), monitor.connect()]);
    try {
      await blocker.query('begin');
      await blocker.query('lock table keypresses in exclusive mode');
      const first = postSession(t, auth, body).then((r) => r);
      await waitForLockWaiters(monitor, 1);
      const second = postSession(t, auth, body).then((r) => r);
      await waitForLockWaiters(monitor, 2);
      await blocker.query('commit');
      const statuses = (await Promise.all([first, second])).map((r) => r.status);
      expect(statuses).toEqual([201, 200]);
    } finally {
      await Promise.all([blocker.end(), monitor.end()]);
    }
    expect(await storedCounts(t, user.id)).toEqual({
      devices: 1,
      sessions: 1,
      tasks: 20,
      keypresses: 50,
    });
  });

  it('stores nothing at all when the 300th task is malformed (400 naming tasks.299)', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 400, keypresses: 1000 });
    body.tasks[299] = { ...body.tasks[299], operator: '%' };
    const res = await postSession(t, auth, body).expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(fields(res)).toEqual(['tasks.299.operator']);
    expect(await storedCounts(t, user.id)).toEqual({
      devices: 0,
      sessions: 0,
      tasks: 0,
      keypresses: 0,
    });
  });

  it('stores nothing at all when the 300th task breaks a rule (422 naming tasks.299)', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 400 });
    body.tasks[299] = { ...body.tasks[299], answeredAt: '2020-01-01T00:00:00.000Z' };
    const res = await postSession(t, auth, body).expect(422);
    expect(res.body.errors).toEqual([
      { field: 'tasks.299.answeredAt', message: expect.stringMatching(/between/) },
    ]);
    expect(await storedCounts(t, user.id)).toMatchObject({ devices: 0, sessions: 0, tasks: 0 });
  });

  it('rolls back the session, its device and earlier rows when the database refuses task 300', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 400, keypresses: 100 });
    body.device = { platform: 'ios', model: 'iPad8,1', osVersion: '17.4' };
    body.tasks[299] = {
      ...body.tasks[299],
      firstNumber: 999_999,
      operator: '+',
      secondNumber: 999_999,
      userAnswer: 0,
    };
    const db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      // A test-only rule the API does not know about: the failure happens inside the transaction.
      await db.query('alter table tasks add constraint test_refuse check (first_number <> 999999)');
      await postSession(t, auth, body).expect(500);
    } finally {
      await db.query('alter table tasks drop constraint test_refuse');
      await db.end();
    }
    expect(await storedCounts(t, user.id)).toEqual({
      devices: 0,
      sessions: 0,
      tasks: 0,
      keypresses: 0,
    });
    // The same upload succeeds once the database accepts it: nothing half-written blocks it.
    await postSession(t, auth, body).expect(201);
  });

  it('answers 422 when startedAt is after endedAt', async () => {
    const { user, auth } = await learner(t);
    const body = sessionBody({ tasks: 0, keypresses: 0 });
    const res = await postSession(t, auth, {
      ...body,
      startedAt: body.endedAt,
      endedAt: body.startedAt,
    }).expect(422);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(fields(res)).toEqual(['endedAt']);
    expect(await storedCounts(t, user.id)).toMatchObject({ sessions: 0 });
  });

  it('derives durationMs, and refuses a client value that disagrees by more than a second', async () => {
    const { auth } = await learner(t);
    const body = sessionBody({ tasks: 2, keypresses: 0 });
    const ok = await postSession(t, auth, { ...body, durationMs: 3400 }).expect(201);
    expect(ok.body.durationMs).toBe(3000);
    const res = await postSession(t, auth, { ...sessionBody(), durationMs: 60_000 }).expect(422);
    expect(fields(res)).toEqual(['durationMs']);
  });

  it('checks every time against the session window and requires answeredAt with an answer', async () => {
    const { auth } = await learner(t);
    const body = sessionBody({ tasks: 3, keypresses: 3 });
    body.tasks[0] = { ...body.tasks[0], answeredAt: null };
    body.keypresses[2] = { key: '7', at: '2030-01-01T00:00:00Z' };
    const res = await postSession(t, auth, body).expect(422);
    expect(fields(res)).toEqual(['tasks.0.answeredAt', 'keypresses.2.at']);
  });

  it('answers 413 beyond 500 tasks or 5,000 keypresses, before validating any element', async () => {
    const { user, auth } = await learner(t);
    const tooMany = sessionBody({ tasks: 501, keypresses: 0 });
    const res = await postSession(t, auth, tooMany).expect(413);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 413, errors: [{ field: 'tasks' }] });
    const keys = await postSession(t, auth, sessionBody({ tasks: 1, keypresses: 5001 })).expect(
      413,
    );
    expect(fields(keys)).toEqual(['keypresses']);
    // Elements that would fail validation do not turn the 413 into a 400.
    await postSession(t, auth, { ...sessionBody(), tasks: Array(501).fill({ bad: true }) }).expect(
      413,
    );
    // The limits themselves are accepted.
    await postSession(t, auth, sessionBody({ tasks: 500, keypresses: 0 })).expect(201);
    expect(await storedCounts(t, user.id)).toMatchObject({ sessions: 1, tasks: 500 });
  });

  it('validates every field with precise paths', async () => {
    const { auth } = await learner(t);
    const body = sessionBody({ tasks: 2, keypresses: 2 });
    const res = await postSession(t, auth, {
      ...body,
      id: 'not-a-uuid',
      startedAt: '2026-11-22T20:00:00', // no time zone
      device: { platform: 'windows', model: '', osVersion: '11', extra: 1 },
      tasks: [
        { ...body.tasks[0], firstNumber: 1.5, userAnswer: '4' },
        { ...body.tasks[1], secondNumber: 2_000_000, visualHelp: 'yes' },
      ],
      keypresses: [{ key: 'x'.repeat(17), at: body.startedAt }, { at: body.startedAt }],
    }).expect(400);
    expect(new Set(fields(res))).toEqual(
      new Set([
        'id',
        'startedAt',
        'device.platform',
        'device.model',
        'device.extra',
        'tasks.0.firstNumber',
        'tasks.0.userAnswer',
        'tasks.1.secondNumber',
        'tasks.1.visualHelp',
        'keypresses.0.key',
        'keypresses.1.key',
      ]),
    );
    await postSession(t, auth, { ...sessionBody(), device: undefined }).expect(400);
  });

  it('requires a bearer token', async () => {
    await t.http.post('/api/v1/sessions').send(sessionBody()).expect(401);
    await t.http.get('/api/v1/sessions').expect(401);
  });

  it('reuses the device row for the same device, merging new details', async () => {
    const { user, auth } = await learner(t);
    const a = await postSession(t, auth, sessionBody()).expect(201);
    const b = await postSession(
      t,
      auth,
      sessionBody({
        device: { platform: 'android', model: 'SM-T510', osVersion: '11', details: { dpi: 240 } },
      }),
    ).expect(201);
    expect(b.body.device.id).toBe(a.body.device.id);
    expect(b.body.device.details).toEqual({ locale: 'en-CA', dpi: 240 });
    const c = await postSession(
      t,
      auth,
      sessionBody({ device: { platform: 'android', model: 'SM-T510', osVersion: '12' } }),
    ).expect(201);
    expect(c.body.device.id).not.toBe(a.body.device.id);
    expect(await storedCounts(t, user.id)).toMatchObject({ devices: 2, sessions: 3 });
  });
});

describe("GET /sessions and /sessions/:id: the caller's own", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lists my sessions newest first with counts, paginated', async () => {
    const { auth } = await learner(t);
    const older = sessionBody({ startedAt: '2026-11-20T08:00:00.000Z', tasks: 4, keypresses: 2 });
    const newer = sessionBody({ startedAt: '2026-11-21T08:00:00.000Z', tasks: 1, keypresses: 0 });
    const newest = sessionBody({ startedAt: '2026-11-22T08:00:00.000Z', tasks: 0, keypresses: 9 });
    for (const body of [newer, older, newest]) await postSession(t, auth, body).expect(201);

    const res = await t.http.get('/api/v1/sessions').set('Authorization', auth).expect(200);
    expect(res.body.count).toBe(3);
    expect(res.body.results.map((s: { id: string }) => s.id)).toEqual([
      newest.id,
      newer.id,
      older.id,
    ]);
    expect(res.body.results[2]).toMatchObject({ taskCount: 4, correctCount: 4, keypressCount: 2 });

    const page = await t.http
      .get('/api/v1/sessions?limit=2&offset=2&ordering=startedAt')
      .set('Authorization', auth)
      .expect(200);
    expect(page.body).toMatchObject({ count: 3, next: null, results: [{ id: newest.id }] });
    const past = await t.http
      .get('/api/v1/sessions?offset=10')
      .set('Authorization', auth)
      .expect(200);
    expect(past.body).toMatchObject({ count: 3, results: [] });
    await t.http.get('/api/v1/sessions?ordering=bodyHash').set('Authorization', auth).expect(400);
  });

  it('shows one of my sessions; another user can read none of my sessions or tasks', async () => {
    const me = await learner(t);
    const other = await learner(t);
    const body = sessionBody({ tasks: 3 });
    await postSession(t, me.auth, body).expect(201);

    const mine = await t.http.get(`/api/v1/sessions/${body.id}`).set('Authorization', me.auth);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: body.id, taskCount: 3, keypressCount: 5 });
    expect(mine.body).not.toHaveProperty('bodyHash');

    const res = await t.http.get(`/api/v1/sessions/${body.id}`).set('Authorization', other.auth);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    const list = await t.http.get('/api/v1/sessions').set('Authorization', other.auth).expect(200);
    expect(list.body).toMatchObject({ count: 0, results: [] });
    const tasks = await t.http.get('/api/v1/tasks').set('Authorization', other.auth).expect(200);
    expect(tasks.body).toMatchObject({ count: 0, results: [] });
    const bySession = await t.http
      .get(`/api/v1/tasks?sessionId=${body.id}`)
      .set('Authorization', other.auth)
      .expect(200);
    expect(bySession.body.count).toBe(0);
    const stats = await t.http.get('/api/v1/tasks/stats').set('Authorization', other.auth);
    expect(stats.body.overall.count).toBe(0);

    await t.http.get('/api/v1/sessions/not-a-uuid').set('Authorization', me.auth).expect(400);
    await t.http
      .get('/api/v1/sessions/0190c8a4-0000-7000-8000-000000000000')
      .set('Authorization', me.auth)
      .expect(404);
  });
});

/** Waits until `n` backends of this database wait on a lock (the uploads are parked). */
async function waitForLockWaiters(client: pg.Client, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and state = 'active' and wait_event_type = 'Lock'`,
    );
    if (rows[0].n >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rows } = await client.query(
    `select state, wait_event_type, wait_event, left(query, 120) as query from pg_stat_activity
      where datname = current_database()`,
  );
  throw new Error(`never saw ${n} uploads waiting on a lock: ${JSON.stringify(rows, null, 1)}`);
}
