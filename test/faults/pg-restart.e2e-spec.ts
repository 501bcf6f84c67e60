import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '#porch/core';
import { migrate } from '../utils/database.js';
import { learner, sessionBody } from '../utils/tasks-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { Tally } from './faults.js';

/**
 * PostgreSQL stops and starts again under write load (a restart, a failover to the same
 * address). The app runs on an embedded PostgreSQL of this test's own, so stopping it touches
 * nothing else. While it is down every request fails fast with 503 + Retry-After; once it is
 * back the app recovers by itself; and every write it acknowledged is in the database.
 */
describe('faults: PostgreSQL restarts under write load', () => {
  const dataDir = join(tmpdir(), `porch-restart-${process.pid}-${Date.now()}`);
  let port: number;
  let pg: EmbeddedDatabase;
  let t: TestApp;

  const start = () =>
    startEmbeddedPostgres({ dataDir, database: 'porch_restart', port, log: () => undefined });

  beforeAll(async () => {
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    port = await freePort();
    pg = await start();
    await migrate(pg.url);
    // Six writers that never wait and then one retry per 503 add up to more than the per-user
    // limit (1,000 a minute) on a fast machine; this test is about the database, not the limit.
    t = await createTestApp({
      databaseUrl: pg.url,
      env: { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_IP_PER_MINUTE: '1000000' },
    });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while it is down, recovers when it is back, and loses no acknowledged write', async () => {
    const { user, auth } = await learner(t);
    const phase = { name: 'before' as 'before' | 'down' | 'after' };
    const tallies = { before: new Tally(), down: new Tally(), after: new Tally() };
    const acknowledged = new Set<string>();
    const unanswered = new Map<string, ReturnType<typeof sessionBody>>(); // 503: outcome unknown
    const slowest = { down: 0 };
    let running = true;
    const writer = async () => {
      while (running) {
        const body = sessionBody({ id: uuidv7(), tasks: 3, keypresses: 3 });
        const current = phase.name;
        const sent = Date.now();
        const res = await t.http.post('/api/v1/sessions').set('Authorization', auth).send(body);
        if (current === 'down') slowest.down = Math.max(slowest.down, Date.now() - sent);
        tallies[current].add(res);
        if (res.status === 201) acknowledged.add(body.id);
        else unanswered.set(body.id, body);
        if (res.status === 503) await sleep(20); // a client honouring Retry-After would wait longer
      }
    };
    const writers = Array.from({ length: 6 }, writer);
    try {
      await sleep(1_500);
      phase.name = 'down';
      await pg.stop(); // a fast shutdown: sessions are terminated, new connections refused
      await sleep(1_500);
      const notReady = await t.http.get('/health/ready').expect(503);
      expect(notReady.headers['retry-after']).toBeDefined();
      expect(notReady.body.checks.database.status).toBe('down');
      pg = await start();
      phase.name = 'after';
      await sleep(2_000);
    } finally {
      running = false;
      await Promise.all(writers);
    }

    for (const tally of Object.values(tallies)) {
      expect(tally.unexpected([201, 503])).toEqual({});
      expect(tally.problems).toEqual([]);
    }
    expect(tallies.before.count(201)).toBeGreaterThan(0);
    expect(tallies.down.count(503)).toBeGreaterThan(0);
    expect(tallies.after.count(201)).toBeGreaterThan(0); // recovered by itself
    expect(slowest.down).toBeLessThan(6_000); // failed fast, never hung
    await t.http.get('/health/ready').expect(200);

    const ids = async () =>
      new Set(
        (
          await t
            .em()
            .getConnection()
            .execute<{ id: string }[]>('select id from sessions where user_id = ?', [user.id])
        ).map((r) => r.id),
      );
    const stored = await ids();
    const lost = [...acknowledged].filter((id) => !stored.has(id));
    const extra = [...stored].filter((id) => !acknowledged.has(id));
    expect(lost).toEqual([]);
    expect(extra.filter((id) => !unanswered.has(id))).toEqual([]);
    // The client retries what was answered 503 (POST /sessions is idempotent on its id): 200
    // for an upload that was stored after all, 201 for one that was not; then rows = writes.
    for (const [id, body] of unanswered) {
      const res = await t.http.post('/api/v1/sessions').set('Authorization', auth).send(body);
      expect([200, 201]).toContain(res.status);
      expect(res.status === 200).toBe(stored.has(id));
      acknowledged.add(id);
    }
    expect((await ids()).size).toBe(acknowledged.size);
    console.log(
      `PostgreSQL restart under load: before ${tallies.before}; down ${tallies.down} (slowest ${slowest.down} ms); after ${tallies.after}; ` +
        `${acknowledged.size - unanswered.size} writes acknowledged during the run, ${stored.size} rows (${extra.length} stored though answered 503); ` +
        `after retrying the ${unanswered.size} answered 503: ${acknowledged.size} writes, ${acknowledged.size} rows`,
    );
  });
});
