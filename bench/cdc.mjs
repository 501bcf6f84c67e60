// The change-data-capture worker under load (issue 20's targets): how many events a second it
// writes, how long a commit takes to reach Redis at a steady 1,000 writes a second, and its
// memory through a 100,000-row transaction.
//   node bench/cdc.mjs [--quick]            (or `npm run bench -- --only cdc`)
// Needs Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379; only its own keys are touched)
// and starts its own embedded PostgreSQL (wal_level=logical) under .data/bench-cdc.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { rssMb, rssSampler } from './server.mjs';

const CLI = 'dist/apps/manage/src/main.js';
const SESSION = '00000000-0000-4000-8000-00000000e001';
const keypresses = (n) => ({
  text: `insert into keypresses (id, created_at, updated_at, session_id, key, at)
         select gen_random_uuid(), now(), now(), $1, (array['1','2','3','+','='])[1 + g % 5], now()
           from generate_series(1, $2::int) as g`,
  values: [SESSION, n],
});
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function runCdcBench({ quick = false } = {}) {
  if (!process.env.BENCH_BUILD_DONE)
    execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  const { startEmbeddedPostgres } = await import('../dist/libs/core/src/index.js');
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `benchcdc${Date.now().toString(36)}`;
  const stream = `${prefix}.public.keypresses`;
  const db = await startEmbeddedPostgres({
    dataDir: '.data/bench-cdc',
    database: 'porch',
    ephemeral: true,
  });
  const redis = new Redis(redisUrl);
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    CDC_TOPIC_PREFIX: prefix,
    // The Redis may be shared: keep only the recent entries.
    CDC_STREAM_MAXLEN: '20000',
    NODE_ENV: 'production',
    // Its users sign up and log in at once (verification has tests of its own).
    REQUIRE_VERIFIED_EMAIL: 'false',
    SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
    LOG_LEVEL: 'info',
    DEMO_DATA: 'false',
    MIGRATE_ON_START: 'false',
  };
  let worker;
  const startWorker = async () => {
    const child = spawn(process.execPath, [CLI, 'cdc'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => (log += d));
    while (!log.includes('streaming slot')) {
      if (child.exitCode !== null) throw new Error(`cdc worker exited: ${log}`);
      await sleep(50);
    }
    return { child, log: () => log };
  };
  const stopWorker = async () => {
    worker.child.kill('SIGTERM');
    await new Promise((done) =>
      worker.child.exitCode !== null ? done() : worker.child.once('exit', done),
    );
  };
  const added = async () => {
    const info = await redis.xinfo('STREAM', stream).catch(() => []);
    return Number(info[info.indexOf('entries-added') + 1] ?? 0);
  };
  const until = async (n, timeoutMs) => {
    const end = Date.now() + timeoutMs;
    while ((await added()) < n) {
      if (Date.now() > end)
        throw new Error(`only ${await added()} of ${n} events after ${timeoutMs} ms`);
      await sleep(20);
    }
    return Date.now();
  };
  const results = { at: new Date().toISOString(), node: process.version };
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
  try {
    execFileSync(process.execPath, [CLI, 'migrate'], { env, stdio: 'ignore' });
    const { rows } = await pool.query(
      `insert into users (id, created_at, updated_at, email, password, name) values
         (gen_random_uuid(), now(), now(), 'bench-cdc@bench.porch.test', 'x', 'Bench') returning id`,
    );
    await pool.query(
      `insert into devices (id, created_at, updated_at, user_id, platform, model, os_version, details)
       values ('00000000-0000-4000-8000-00000000d001', now(), now(), $1, 'android', 'Bench Tab', '14', '{}')`,
      [rows[0].id],
    );
    await pool.query(
      `insert into sessions (id, user_id, device_id, started_at, ended_at, duration_ms, app_version, body_hash, created_at, updated_at)
       values ($2, $1, '00000000-0000-4000-8000-00000000d001', now(), now(), 1, '2.3.1', repeat('a', 64), now(), now())`,
      [rows[0].id, SESSION],
    );
    worker = await startWorker();

    // 1. Throughput: a backlog written while the worker is stopped, then drained.
    const backlog = quick ? 20_000 : 50_000;
    await stopWorker();
    for (let i = 0; i < backlog / 100; i++) await pool.query(keypresses(100));
    const drainStart = Date.now();
    worker = await startWorker();
    const streamingAt = Date.now();
    const drained = await until(backlog, 300_000);
    results.throughput = {
      events: backlog,
      transactions: backlog / 100,
      seconds: +((drained - streamingAt) / 1000).toFixed(2),
      eventsPerSecond: Math.round(backlog / ((drained - streamingAt) / 1000)),
      startupSeconds: +((streamingAt - drainStart) / 1000).toFixed(2),
    };
    console.log(
      `throughput: ${backlog} events (${backlog / 100} transactions of 100) in ${results.throughput.seconds} s: ${results.throughput.eventsPerSecond} events/s`,
    );

    // 2. Latency at a steady 1,000 single-row transactions a second: commit (source.ts_ms, from
    // PostgreSQL's commit timestamp) to XADD (the entry id's time, from Redis's clock).
    const seconds = quick ? 5 : 10;
    const rate = 1000;
    const reader = new Redis(redisUrl);
    const latencies = [];
    let last = '$';
    let reading = true;
    const consumer = (async () => {
      while (reading) {
        const reply = await reader.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', stream, last);
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            const source = JSON.parse(fields[1]).payload.source;
            latencies.push(Number(id.split('-')[0]) - source.ts_ms);
          }
        }
      }
    })();
    const base = await added();
    const started = Date.now();
    let sent = 0;
    const inflight = new Set();
    while (Date.now() - started < seconds * 1000) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate);
      while (sent < due && inflight.size < 64) {
        const p = pool.query(keypresses(1)).finally(() => inflight.delete(p));
        inflight.add(p);
        sent++;
      }
      await sleep(2);
    }
    await Promise.all(inflight);
    const elapsed = (Date.now() - started) / 1000;
    await until(base + sent, 60_000);
    await sleep(600);
    reading = false;
    await consumer;
    reader.disconnect();
    latencies.sort((a, b) => a - b);
    results.latency = {
      writes: sent,
      writesPerSecond: Math.round(sent / elapsed),
      events: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1),
    };
    console.log(
      `latency: ${sent} writes at ${results.latency.writesPerSecond}/s, commit → XADD p50 ${results.latency.p50Ms} ms, p99 ${results.latency.p99Ms} ms, max ${results.latency.maxMs} ms`,
    );

    // 3. Memory through one 100,000-row transaction, from the warm worker's RSS.
    await sleep(1000);
    const pid = worker.child.pid;
    const before = rssMb(pid);
    const sampler = rssSampler(pid);
    const bigStart = Date.now();
    const target = (await added()) + 100_000;
    await pool.query(keypresses(100_000));
    const bigDone = await until(target, 300_000);
    const peak = sampler.stop();
    results.largeTransaction = {
      rows: 100_000,
      seconds: +((bigDone - bigStart) / 1000).toFixed(2),
      rssBeforeMb: Math.round(before),
      peakRssMb: Math.round(peak),
      rssGrowthMb: Math.round(peak - before),
    };
    console.log(
      `100,000-row transaction: ${results.largeTransaction.seconds} s, RSS ${results.largeTransaction.rssBeforeMb} → peak ${results.largeTransaction.peakRssMb} MB (+${results.largeTransaction.rssGrowthMb})`,
    );
    await stopWorker();
  } finally {
    if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
    await pool.end();
    for (const pattern of [`${prefix}.*`, `metadata:cdc:${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
    redis.disconnect();
    await db.stop();
  }
  results.targets = [
    {
      check: 'cdc events/s',
      target: '>= 5000',
      measured: results.throughput.eventsPerSecond,
      met: results.throughput.eventsPerSecond >= 5000,
    },
    {
      check: 'cdc commit→XADD p99 ms at 1,000 writes/s',
      target: '<= 200',
      measured: results.latency.p99Ms,
      met: results.latency.p99Ms <= 200,
    },
    {
      check: 'cdc RSS growth MB, 100,000-row transaction',
      target: '<= 64',
      measured: results.largeTransaction.rssGrowthMb,
      met: results.largeTransaction.rssGrowthMb <= 64,
    },
  ];
  console.log('\n== targets (issue 20)');
  for (const t of results.targets)
    console.log(
      `${t.met ? 'met   ' : 'MISSED'} ${t.check.padEnd(44)} ${String(t.measured).padStart(8)}  (target ${t.target})`,
    );
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/cdc.json', JSON.stringify(results, null, 2) + '\n');
  console.log('written: bench/results/cdc.json');
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  await runCdcBench({ quick: values.quick });
  process.exit(0);
}
