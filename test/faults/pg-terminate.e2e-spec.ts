import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { bearer, createUser } from '../utils/factories.js';
import { learner, sessionBody } from '../utils/tasks-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { slowGet, Tally, terminateBackends } from './faults.js';

/**
 * PostgreSQL drops the app's connections (failover, an idle-connection killer, an operator's
 * pg_terminate_backend): the process lives (an unheard pg 'error' event would end this Jest
 * worker and fail the file), requests caught in it get 503 with Retry-After, never a 500, and
 * the next requests succeed without any restart.
 */
describe('faults: PostgreSQL terminates the backends', () => {
  let t: TestApp;
  let staff: string;
  const KEYPRESSES = 60_000;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await bearer(t, await createUser(t, { isStaff: true }));
    // A session with enough keypresses that its export cannot fit in socket buffers.
    const { auth } = await learner(t);
    const body = sessionBody({ keypresses: 10 });
    await t.http.post('/api/v1/sessions').set('Authorization', auth).send(body).expect(201);
    await t
      .em()
      .getConnection()
      .execute(
        `insert into keypresses (id, created_at, updated_at, session_id, key, at)
         select gen_random_uuid(), now(), now(), ?, 'k', now() + g * interval '1 ms'
           from generate_series(1, ?) g`,
        [body.id, KEYPRESSES],
      );
  });
  afterAll(() => t.close());

  const exportRows = async () => {
    const res = await t.http
      .get('/api/v1/exports/keypresses.csv')
      .set('Authorization', staff)
      .expect(200);
    return res.text.split('\r\n').filter(Boolean).length - 1;
  };

  it('cuts short an export whose connection is terminated mid-stream, and serves the next', async () => {
    const download = await slowGet(t, '/api/v1/exports/keypresses.csv', staff);
    expect(download.res.statusCode).toBe(200);
    await sleep(200); // the cursor is open, held back by the paused reader
    const killed = await terminateBackends(t.databaseUrl);
    expect(killed).toContain('porch-exports:active');
    const { text, complete } = await download.drain();
    // Cut short (never a file that looks whole): no chunked terminator, rows missing.
    expect(complete).toBe(false);
    expect(text.split('\r\n').length - 1).toBeLessThan(KEYPRESSES + 10);
    // The same process answers, exports included, on fresh connections.
    await t.http.get('/api/v1/users/me').set('Authorization', staff).expect(200);
    expect(await exportRows()).toBe(KEYPRESSES + 10);
  });

  it('lives through its idle export connections being terminated right after an export', async () => {
    expect(await exportRows()).toBe(KEYPRESSES + 10);
    const killed = await terminateBackends(t.databaseUrl);
    expect(killed).toContain('porch-exports:idle');
    await sleep(100); // the pool hears of it ('error' on an idle client)
    expect(await exportRows()).toBe(KEYPRESSES + 10);
    await t.http.get('/health/ready').expect(200);
  });

  it('answers 2xx or 503 under load while backends are terminated, loses no write, and recovers', async () => {
    const { user, auth } = await learner(t);
    const tally = new Tally();
    const acknowledged = new Set<string>();
    const unknown = new Set<string>(); // answered 503: stored or not, the client cannot tell
    let running = true;
    const worker = async (i: number) => {
      while (running) {
        if (i % 2) {
          const body = sessionBody({ id: uuidv7(), tasks: 2, keypresses: 2 });
          const res = await t.http.post('/api/v1/sessions').set('Authorization', auth).send(body);
          tally.add(res);
          if (res.status === 201) acknowledged.add(body.id);
          else unknown.add(body.id);
        } else {
          const path = i % 4 ? '/api/v1/sessions?limit=5' : '/api/v1/exports/users.csv';
          tally.add(await t.http.get(path).set('Authorization', i % 4 ? auth : staff));
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => worker(i));
    const kills: string[][] = [];
    try {
      for (let round = 0; round < 8; round++) {
        await sleep(250);
        kills.push(await terminateBackends(t.databaseUrl));
      }
      await sleep(250);
    } finally {
      running = false;
      await Promise.all(workers);
    }

    expect(kills.flat().length).toBeGreaterThan(0);
    expect(tally.unexpected([200, 201, 503])).toEqual({});
    expect(tally.problems).toEqual([]);
    // Every acknowledged write is stored; whatever else is stored was answered 503.
    const rows = await t
      .em()
      .getConnection()
      .execute<{ id: string }[]>('select id from sessions where user_id = ?', [user.id]);
    const stored = new Set(rows.map((r) => r.id));
    expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
    expect([...stored].filter((id) => !acknowledged.has(id) && !unknown.has(id))).toEqual([]);
    console.log(
      `pg_terminate_backend ×8 under load: ${tally}; ${acknowledged.size} acknowledged writes, ${stored.size} rows`,
    );
    // Recovered: every kind of request succeeds again.
    await t.http.get('/api/v1/sessions').set('Authorization', auth).expect(200);
    await t.http.get('/health/ready').expect(200);
  });
});
