import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { REPO_ROOT } from '#porch/core';
import { readOffset } from '#porch/cdc';
import { createTestDatabase } from '../utils/database.js';
import { CLI, cliBuilt, spawnCli } from '../utils/manage.js';
import {
  cdcEnv,
  cleanRedis,
  eventually,
  logicalPostgres,
  readStream,
  redisAnswers,
  REDIS_URL,
  uniquePrefix,
} from './cdc-harness.js';

const redisUp = await redisAnswers();
if (!cliBuilt)
  console.warn(
    `Skipping the CDC worker process tests: ${CLI} is missing (npm test builds it first)`,
  );
else if (!redisUp)
  console.warn('Skipping the CDC worker process tests: no Redis answers on 127.0.0.1:6379');
const describeReady = cliBuilt && redisUp ? describe : describe.skip;

interface WorkerProcess {
  proc: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** One transaction of $1 keypresses in the session the large-transaction test makes. */
const KEYPRESSES = `insert into keypresses (id, created_at, updated_at, session_id, key, at)
  select gen_random_uuid(), now(), now(), '00000000-0000-4000-8000-00000000e001',
         (array['1','2','3','+','=','⌫'])[1 + n % 6], now() - (n || ' ms')::interval
    from generate_series(1, $1::int) as n`;

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/**
 * `npm run manage -- cdc` as a separate process, killed and restarted as an operator (or the
 * kernel) would; its writes are checked in Redis, its rows in PostgreSQL.
 */
describeReady(
  'CDC worker process: crashes, restarts, one worker per slot, large transactions',
  () => {
    let pgServer: Awaited<ReturnType<typeof logicalPostgres>>;
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let sql: pg.Client;
    let redis: Redis;
    let env: Record<string, string>;
    let current: WorkerProcess | null = null;
    const prefix = uniquePrefix('p');
    const users = `${prefix}.public.users`;
    const offsetKey = `metadata:cdc:${prefix}:porch_cdc`;

    function startWorker(extra: Record<string, string> = {}): WorkerProcess {
      const proc = spawn(process.execPath, [CLI, 'cdc'], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env, LOG_LEVEL: 'info', MIGRATE_ON_START: 'false', ...extra },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      proc.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
      return { proc, stderr: () => stderr, exited };
    }

    /** Waits until PostgreSQL has let go of a killed worker's connections (slot and lock). */
    const released = () =>
      eventually(
        async () => {
          const { rows } = await sql.query(
            `select 1 from pg_stat_activity where application_name like 'porch-cdc%'
         union all select 1 from pg_replication_slots where slot_name = 'porch_cdc' and active`,
          );
          return rows.length === 0;
        },
        20_000,
        'the killed worker to be gone',
      );

    /** A port nothing listens on now (for the worker's metrics listener). */
    const freePort = () =>
      new Promise<number>((done) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => done(port));
        });
      });
    let metricsPort = 0;

    const streaming = (w: WorkerProcess) =>
      eventually(
        async () => w.stderr().includes('streaming slot'),
        60_000,
        `streaming (${w.stderr()})`,
      );

    beforeAll(async () => {
      pgServer = await logicalPostgres();
      db = await createTestDatabase();
      sql = new pg.Client({ connectionString: db.url });
      await sql.connect();
      redis = new Redis(REDIS_URL);
      env = cdcEnv(db.url, prefix, { CDC_BATCH_SIZE: '25' });
    }, 180_000);

    afterAll(async () => {
      if (current && current.proc.exitCode === null) {
        current.proc.kill('SIGKILL');
        await current.exited;
      }
      await cleanRedis(redis, prefix);
      redis?.disconnect();
      await sql?.end();
      await db?.drop();
      await pgServer?.restore();
    });

    it('loses no transaction when killed (SIGKILL) mid-stream or cut off from Redis or PostgreSQL, and repeats none', async () => {
      current = startWorker();
      await streaming(current);
      // Transactions of 1 to 40 rows; the worker writes 25 events per MULTI/EXEC, so a kill can
      // land inside one transaction's writes.
      const expected: string[][] = [];
      let writing = true;
      const writer = (async () => {
        // At least 60 transactions, and on until the crashes below are done.
        for (let i = 0; writing || i < 60; i++) {
          const size = 1 + ((i * 37) % 40);
          const emails = Array.from({ length: size }, (_, j) => `crash-${i}-${j}@example.test`);
          await sql.query(
            `insert into users (id, created_at, updated_at, email, password, name, gender, is_active)
           select gen_random_uuid(), now(), now(), e, 'not-a-hash', 'Crash Test ' || e, 'other', true
             from unnest($1::text[]) as e`,
            [emails],
          );
          expected.push(emails);
          await sleep(30);
        }
      })();
      let kills = 0;
      let redisCuts = 0;
      let pgCuts = 0;
      while (kills < 3 || redisCuts < 1 || pgCuts < 1) {
        await sleep(150 + ((kills * 97) % 200));
        if (kills < 3) {
          current.proc.kill('SIGKILL');
          await current.exited;
          kills++;
          await released();
          current = startWorker();
          await streaming(current);
        } else if (redisCuts < 1) {
          // Redis drops the worker's connection: the session restarts from the slot.
          const clients = (await redis.client('LIST')) as string;
          const line = clients.split('\n').find((l) => l.includes(`name=porch-cdc:${prefix}:`));
          if (line) {
            await redis.client('KILL', 'ID', /id=(\d+)/.exec(line)![1]);
            redisCuts++;
          }
        } else {
          // PostgreSQL drops its connections (a failover, an administrator): the same.
          const { rowCount } = await sql.query(
            "select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'porch-cdc%'",
          );
          if (rowCount) pgCuts++;
        }
      }
      writing = false;
      await writer;
      const all = expected.flat();
      let missing: string[] = [];
      const events = await eventually(
        async () => {
          const e = (await readStream(redis, users)).filter((x) => x.value?.payload.op === 'c');
          const seen = new Set(e.map((x) => x.value!.payload.after!.email));
          missing = all.filter((m) => !seen.has(m));
          return missing.length ? undefined : e;
        },
        60_000,
        'every inserted row',
      ).catch((error: Error) => {
        const txs = [...new Set(missing.map((m) => m.split('-')[1]))];
        throw new Error(
          `${error.message}: ${missing.length} of ${all.length} rows missing (transactions ${txs.join(', ')}); worker log:\n${current!.stderr().slice(-3000)}`,
        );
      });
      // Nothing lost: every row of every transaction arrived.
      const emails = events.map((e) => e.value!.payload.after!.email as string);
      expect(new Set(emails)).toEqual(new Set(all));
      // At most the unacknowledged transaction of each crash comes twice (its written events are
      // skipped on restart, so in practice none does).
      const counts = new Map<string, number>();
      for (const m of emails) counts.set(m, (counts.get(m) ?? 0) + 1);
      const doubledTx = new Set([...counts].filter(([, n]) => n > 1).map(([m]) => m.split('-')[1]));
      expect(doubledTx.size).toBeLessThanOrEqual(kills + redisCuts + pgCuts);
      expect(emails.length - all.length).toBeLessThanOrEqual(40 * (kills + redisCuts + pgCuts));
      // In commit order, each transaction's rows together.
      const firstSeen = [...new Map(emails.map((m) => [m, m])).keys()];
      const txOrder = firstSeen.map((m) => Number(m.split('-')[1]));
      expect(txOrder).toEqual([...txOrder].sort((a, b) => a - b));
      const txIds = new Map<number, Set<unknown>>();
      for (const e of events) {
        const tx = Number((e.value!.payload.after!.email as string).split('-')[1]);
        txIds.set(tx, (txIds.get(tx) ?? new Set()).add(e.value!.payload.source.txId));
      }
      expect([...txIds.values()].every((s) => s.size === 1)).toBe(true);
      console.log(
        `crash test: ${all.length} rows, ${kills} kills, ${redisCuts} Redis and ${pgCuts} PostgreSQL cuts, ${emails.length - all.length} repeated`,
      );
    }, 300_000); // four worker starts: slow on a busy machine

    it('refuses a second worker on the same slot, clearly', async () => {
      const second = startWorker();
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toMatch(
        /another CDC worker is already streaming slot "porch_cdc" \(PostgreSQL backend \d+/,
      );
      expect(current!.proc.exitCode).toBeNull(); // the first one carries on
    }, 120_000);

    it('streams a 100,000-row transaction in constant memory', async () => {
      // Restarted (cleanly) with a small stream cap: the Redis is shared, and this stream needs no history.
      current!.proc.kill('SIGTERM');
      expect(await current!.exited).toBe(0);
      metricsPort = await freePort();
      current = startWorker({
        CDC_STREAM_MAXLEN: '5000',
        METRICS_PORT: String(metricsPort),
        METRICS_TOKEN: 'scrape-token-for-tests',
      });
      await streaming(current);
      const { rows } = await sql.query<{ id: string }>(
        `insert into users (id, created_at, updated_at, email, password, name) values
         (gen_random_uuid(), now(), now(), 'typist@example.test', 'x', 'Typist') returning id`,
      );
      await sql.query(
        `insert into devices (id, created_at, updated_at, user_id, platform, model, os_version, details)
       values ('00000000-0000-4000-8000-00000000d001', now(), now(), $1, 'android', 'Pixel 8', '15', '{"dpi": 420}')`,
        [rows[0].id],
      );
      await sql.query(
        `insert into sessions (id, user_id, device_id, started_at, ended_at, duration_ms, app_version, body_hash, created_at, updated_at)
       values ('00000000-0000-4000-8000-00000000e001', $1, '00000000-0000-4000-8000-00000000d001',
               now() - interval '1 hour', now(), 3600000, '2.3.1', repeat('a', 64), now(), now())`,
        [rows[0].id],
      );
      const stream = `${prefix}.public.keypresses`;
      /** Entries ever added to the keypresses stream (trimming does not lower it). */
      const added = async () => {
        const info = (await redis.xinfo('STREAM', stream).catch(() => [])) as unknown[];
        return Number(info[info.indexOf('entries-added') + 1] ?? 0);
      };
      await eventually(
        async () => (await readOffset(redis, offsetKey))?.lastEvent === 'sessions c',
        30_000,
        'the session row',
      );
      // Warm up first: a process streaming steadily has its young generation at its working size
      // already; the question is whether a large transaction adds to that.
      for (let i = 0; i < 20; i++) await sql.query(KEYPRESSES, [1000]);
      await eventually(async () => (await added()) === 20_000, 60_000, 'the warm-up events');
      await sleep(1000);
      const pid = current!.proc.pid!;
      const baseline = rssMb(pid);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
      const started = Date.now();
      await sql.query(KEYPRESSES, [100_000]);
      await eventually(
        async () => {
          const o = await readOffset(redis, offsetKey);
          return o?.complete && o.lastEvent === 'keypresses c' && (await added()) === 120_000;
        },
        180_000,
        'the 100,000 events',
      );
      clearInterval(sampler);
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `100,000-row transaction: ${seconds.toFixed(1)} s, RSS ${baseline.toFixed(0)} → peak ${peak.toFixed(0)} MB`,
      );
      expect(await added()).toBe(120_000);
      // Held in memory, 100,000 envelopes would take several hundred MB.
      expect(peak - baseline).toBeLessThan(64);
      // The stream is capped (MAXLEN ~ 5000 here), and its last entry is the transaction's last row.
      const [last] = await redis.xrevrange(stream, '+', '-', 'COUNT', 1);
      expect(await redis.xlen(stream)).toBeLessThan(10_000);
      const envelope = JSON.parse(last[1][1]) as {
        payload: { after: { session_id: string; key: string } };
      };
      expect(envelope.payload.after).toMatchObject({
        session_id: '00000000-0000-4000-8000-00000000e001',
        key: '=',
      }); // n = 100000: 1 + 100000 % 6 = 5
    }, 300_000);

    it('cdc status, cdc tail and cdc drop-slot; SIGTERM stops the worker cleanly, acknowledged', async () => {
      const cli = (args: string[]) => spawnCli(args, { ...env, LOG_LEVEL: 'silent' });
      const status = await cli(['cdc', 'status']);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^slot porch_cdc: active \(PostgreSQL backend \d+\)/m);
      expect(status.stdout).toMatch(
        /lag: .* of WAL not yet streamed; [\d.]+ s from commit to Redis/,
      );
      expect(status.stdout).toContain('last event: keypresses c');
      expect(status.stdout).toContain(`${prefix}.public.users  `);
      const json = JSON.parse((await cli(['cdc', 'status', '--json'])).stdout);
      expect(json.slot).toMatchObject({ name: 'porch_cdc', active: true });

      const tail = await cli(['cdc', 'tail', 'devices', '--from-start', '--count', '1']);
      expect(tail.code).toBe(0);
      const line = JSON.parse(tail.stdout.trim());
      expect(line).toMatchObject({
        op: 'c',
        key: { id: '00000000-0000-4000-8000-00000000d001' },
        after: { model: 'Pixel 8', details: '{"dpi": 420}' },
      });

      // Its lag as Prometheus metrics (METRICS_PORT), behind the token as the API's are.
      const scrape = (token?: string) =>
        fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      expect((await scrape()).status).toBe(401);
      const metrics = await (await scrape('scrape-token-for-tests')).text();
      expect(metrics).toMatch(/^cdc_lag_bytes\{slot="porch_cdc"\} \d+(\.\d+)?$/m);
      expect(metrics).toMatch(/^cdc_lag_seconds\{slot="porch_cdc"\} \d+(\.\d+)?(e-?\d+)?$/m);
      expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);

      const refused = await cli(['cdc', 'drop-slot']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('a CDC worker is running on slot "porch_cdc"');

      // A clean stop: exit 0, and the slot acknowledged up to the last transaction.
      await sql.query(`update users set name = 'Last Change' where email = 'typist@example.test'`);
      const { rows: wal } = await sql.query<{ lsn: string }>(
        'select pg_current_wal_lsn()::text as lsn',
      );
      await eventually(
        async () => (await readOffset(redis, offsetKey))?.lastEvent === 'users u',
        30_000,
        'the last change',
      );
      current!.proc.kill('SIGTERM');
      expect(await current!.exited).toBe(0);
      expect(current!.stderr()).not.toMatch(/"level":(50|60)/); // no error logged
      const { rows: slot } = await sql.query<{ active: boolean; behind: string }>(
        `select active, pg_wal_lsn_diff($1::pg_lsn, confirmed_flush_lsn)::text as behind from pg_replication_slots where slot_name = 'porch_cdc'`,
        [wal[0].lsn],
      );
      expect(slot[0].active).toBe(false);
      expect(Number(slot[0].behind)).toBeLessThanOrEqual(0); // confirmed at or past the last commit

      const dropped = await cli(['cdc', 'drop-slot']);
      expect(dropped).toMatchObject({ code: 0 });
      expect(dropped.stdout).toContain('dropped replication slot "porch_cdc"');
      expect(await redis.exists(offsetKey)).toBe(0);
      const { rows: gone } = await sql.query(
        "select 1 from pg_replication_slots where slot_name = 'porch_cdc'",
      );
      expect(gone).toHaveLength(0);
    }, 180_000);
  },
);
