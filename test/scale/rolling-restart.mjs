#!/usr/bin/env node
// Rolling restart with zero errors, behind a real load balancer (issue 21, point 2).
//
// Two API processes (the production build) on one PostgreSQL (embedded, of this run) and one
// Redis (a redis-server of this run), behind HAProxy health-checking GET /health/ready. Under a
// steady load of reads and writes:
//   1. each instance in turn gets SIGTERM, exits, starts again and becomes ready →
//      0 failed requests, 0 5xx, every acknowledged write in the database;
//   2. one instance gets SIGKILL → only requests in flight at that moment may fail, HAProxy
//      marks it down and every later request is answered by the other.
// Needs `npm run build`, haproxy and redis-server. Prints its figures and ends with
// `rolling restart: N passed, N failed`; exits non-zero when a check failed.
//
// The load balancer's settings are the ones this proves, and the ones to copy: health check on
// /health/ready every 500 ms, down after 2 failures (a stopping instance answers 503 at once), and a retry on another
// server only when the connection could not be made (`retry-on conn-failure`, `option
// redispatch`): safe for POSTs, as nothing reached the application; and no keep-alive towards
// the instances (`option http-server-close`, see the configuration below).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

// ROLLING_ROOT: another checkout's build (e.g. to try a branch); default this one.
const ROOT = process.env.ROLLING_ROOT ?? resolve(fileURLToPath(import.meta.url), '../../..');
const MAIN = join(ROOT, 'dist/apps/api/src/main.js');
const MANAGE = join(ROOT, 'dist/apps/manage/src/main.js');
const { freePort, startEmbeddedPostgres } = await import(
  join(ROOT, 'dist/libs/core/src/database/embedded-postgres.js')
);

const CONCURRENCY = Number(process.env.ROLLING_CONCURRENCY ?? 16);
// Each client pauses between requests: a steady load, not a saturating one (the machine's CPUs
// are shared with PostgreSQL, HAProxy and both instances).
const PAUSE_MS = Number(process.env.ROLLING_PAUSE_MS ?? 40);
// The drain must outlast HAProxy's detection of the 503 (fall × inter) with room to spare.
const DRAIN_MS = 3000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const STEADY_MS = 2000;

const children = new Set();
const cleanup = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
};
process.on('exit', cleanup);

const log = (...args) => console.log(`[${new Date().toISOString().slice(11, 23)}]`, ...args);

function run(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${res.stderr || res.stdout}`);
  return res.stdout;
}

function start(cmd, args, env = {}, name = cmd) {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderrText = '';
  child.stderr.on('data', (d) => (child.stderrText += d));
  child.exited = new Promise((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  child.name = name;
  children.add(child);
  return child;
}

async function until(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

// --- The pieces: PostgreSQL, Redis, two API instances, HAProxy --------------------------------

const work = mkdtempSync(join(tmpdir(), 'porch-rolling-'));
// As root, the embedded PostgreSQL runs as the postgres user, who must reach its data dir.
chmodSync(work, 0o755);
const checks = [];
const check = (name, ok, detail = '') => {
  checks.push({ name, ok });
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
};

let db;
try {
  db = await startEmbeddedPostgres({ dataDir: join(work, 'db'), database: 'porch' });
  const redisPort = await freePort();
  const redis = start(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {},
    'redis',
  );
  const apiEnv = {
    NODE_ENV: 'production',
    // Its users sign up and log in at once (verification has tests of its own).
    REQUIRE_VERIFIED_EMAIL: 'false',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    SESSION_SECRET: 'rolling-restart-session-secret-0123456789abcdef',
    DEMO_DATA: 'false',
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  };
  // Migrations first, as the Kubernetes Job runs them (the instances never migrate).
  run(process.execPath, [MANAGE, 'migrate'], apiEnv);

  const instances = { a: { port: await freePort() }, b: { port: await freePort() } };
  async function startInstance(key) {
    const inst = instances[key];
    inst.proc = start(
      process.execPath,
      [MAIN],
      { ...apiEnv, PORT: String(inst.port) },
      `api-${key}`,
    );
    const t0 = Date.now();
    await until(
      `api-${key} ready`,
      async () => {
        if (inst.proc.exitCode !== null)
          throw new Error(`api-${key} exited: ${inst.proc.stderrText}`);
        return (await fetch(`http://127.0.0.1:${inst.port}/health/ready`)).ok;
      },
      60_000,
    );
    return Date.now() - t0;
  }
  await Promise.all([startInstance('a'), startInstance('b')]);

  const lbPort = await freePort();
  const statsPort = await freePort();
  const haproxyCfg = join(work, 'haproxy.cfg');
  writeFileSync(
    haproxyCfg,
    `global
  maxconn 1024
  log stderr format raw local0 info
defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  # A new server connection per request (clients keep theirs): when an instance closes its idle
  # keep-alive connections, HAProxy would otherwise close the client connections tied to them,
  # racing the clients' next request on them (measured: ~2 % of requests reset, no log line).
  option http-server-close
  retries 3
  option redispatch 1
  retry-on conn-failure
frontend api
  bind 127.0.0.1:${lbPort}
  default_backend porch
backend porch
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  timeout check 2s
  http-response set-header X-Served-By %s
  default-server inter 500ms fall 2 rise 1
  server a 127.0.0.1:${instances.a.port} check
  server b 127.0.0.1:${instances.b.port} check
frontend stats
  bind 127.0.0.1:${statsPort}
  stats enable
  stats uri /stats
`,
  );
  run('haproxy', ['-c', '-f', haproxyCfg]);
  const haproxy = start('haproxy', ['-db', '-f', haproxyCfg], {}, 'haproxy');

  /** HAProxy's view of the two servers: { a: 'UP' | 'DOWN' | …, b: … }. */
  async function serverStates() {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const cols = header.replace(/^# /, '').split(',');
    const status = cols.indexOf('status');
    const out = {};
    for (const row of rows) {
      const f = row.split(',');
      if (f[0] === 'porch' && (f[1] === 'a' || f[1] === 'b')) out[f[1]] = f[status];
    }
    return out;
  }
  const isUp = (key) => async () => (await serverStates())[key] === 'UP';
  await until(
    'both servers UP in HAProxy',
    async () => (await isUp('a')()) && (await isUp('b')()),
    10_000,
  );

  // --- The load --------------------------------------------------------------------------------

  const base = `http://127.0.0.1:${lbPort}`;
  const signup = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `rolling-${randomUUID()}@example.com`,
      password: 'correct horse battery staple 42',
      name: 'Rolling Restart',
    }),
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${await signup.text()}`);
  const { user, token } = await signup.json();
  const auth = { authorization: `Bearer ${token.access_token}` };

  /** A measurement session of 3 tasks, as the tablet app uploads it: one write, one row. */
  function sessionBody() {
    const at = (s) => new Date(Date.UTC(2026, 10, 22, 20, 0, s)).toISOString();
    return {
      id: randomUUID(),
      startedAt: at(0),
      endedAt: at(10),
      appVersion: '2.4.0',
      device: {
        platform: 'android',
        model: 'SM-T510',
        osVersion: '11',
        details: { locale: 'en-CA' },
      },
      tasks: [
        { firstNumber: 3, secondNumber: 7, operator: '+', userAnswer: 4, answeredAt: at(2) },
        { firstNumber: 12, secondNumber: 10, operator: '-', userAnswer: 2, answeredAt: at(4) },
        { firstNumber: 3, secondNumber: 12, operator: '*', userAnswer: 4, answeredAt: at(6) },
      ],
      keypresses: [
        { key: '4', at: at(1) },
        { key: '2', at: at(3) },
      ],
    };
  }

  const requests = []; // { phase, kind, start, end, status, error }
  const acknowledged = new Set();
  const attempted = new Set();
  let phase = 'steady';
  let stopLoad = false;
  let inFlight = 0;

  async function one(i) {
    const kind = ['read-fsa', 'read-me', 'write'][i % 3];
    const record = { phase, kind, start: performance.now() };
    inFlight++;
    try {
      let res;
      if (kind === 'read-fsa') res = await fetch(`${base}/api/v1/fsa/K1A`);
      else if (kind === 'read-me') res = await fetch(`${base}/api/v1/users/me`, { headers: auth });
      else {
        const body = sessionBody();
        attempted.add(body.id);
        res = await fetch(`${base}/api/v1/sessions`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.status >= 200 && res.status < 300) acknowledged.add(body.id);
      }
      const text = await res.text();
      record.status = res.status;
      record.server = res.headers.get('x-served-by') ?? 'haproxy';
      if (res.status >= 500) record.body = text.slice(0, 120);
    } catch (error) {
      record.error = error.cause?.code ?? error.cause?.message ?? error.message;
      record.at = new Date().toISOString().slice(11, 23);
    } finally {
      inFlight--;
      record.end = performance.now();
      requests.push(record);
    }
  }

  const loops = Array.from({ length: CONCURRENCY }, async (_, w) => {
    for (let i = w; !stopLoad; i += CONCURRENCY) {
      await one(i);
      await sleep(PAUSE_MS);
    }
  });

  const summary = (rs) => {
    const ok = rs.filter((r) => r.status >= 200 && r.status < 400).length;
    const fiveXX = rs.filter((r) => r.status >= 500).length;
    const failed = rs.filter((r) => r.error).length;
    const other = rs.length - ok - fiveXX - failed;
    return { total: rs.length, ok, '5xx': fiveXX, failed, '4xx': other };
  };
  const describe = (rs) =>
    [
      ...new Set(
        rs.map((r) =>
          r.error ? `error ${r.error}` : `HTTP ${r.status} from ${r.server}: ${r.body}`,
        ),
      ),
    ]
      .slice(0, 5)
      .join('; ');

  // --- 1. Rolling restart ----------------------------------------------------------------------

  const t0 = performance.now();
  await sleep(STEADY_MS);
  const shutdowns = {};
  for (const key of ['a', 'b']) {
    phase = `restart-${key}`;
    const inst = instances[key];
    const sent = Date.now();
    inst.proc.kill('SIGTERM');
    const exited = await Promise.race([
      inst.proc.exited,
      sleep(SHUTDOWN_TIMEOUT_MS + 5000, 'timeout'),
    ]);
    const stopMs = Date.now() - sent;
    if (exited === 'timeout') {
      inst.proc.kill('SIGKILL');
      await inst.proc.exited;
    }
    const readyMs = await startInstance(key);
    await until(`api-${key} UP again in HAProxy`, isUp(key), 10_000);
    shutdowns[key] = { stopMs, exit: exited === 'timeout' ? 'did not exit' : exited, readyMs };
    shutdowns[key].sentAt = new Date(sent).toISOString().slice(11, 23);
    log(
      `api-${key}: SIGTERM at ${shutdowns[key].sentAt} → exit ${stopMs} ms (${JSON.stringify(exited)}), ready again in ${readyMs} ms`,
    );
  }
  phase = 'after-restarts';
  await sleep(1000);
  const restartEnd = performance.now();

  // --- 2. SIGKILL one ----------------------------------------------------------------------------

  phase = 'kill';
  const inFlightAtKill = inFlight;
  const killSentAt = performance.now();
  instances.a.proc.kill('SIGKILL');
  await instances.a.proc.exited;
  // Requests sent until the process is gone may have reached it.
  const killedAt = performance.now();
  await until('api-a DOWN in HAProxy', async () => !(await isUp('a')()), 5000);
  const downAfterMs = performance.now() - killSentAt;
  await sleep(2000);
  stopLoad = true;
  await Promise.all(loops);
  const states = await serverStates();

  // --- Writes against rows -----------------------------------------------------------------------

  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const { rows } = await client.query('select id from sessions where user_id = $1', [user.id]);
  await client.end();
  const stored = new Set(rows.map((r) => r.id));
  const lost = [...acknowledged].filter((id) => !stored.has(id));
  const phantom = [...stored].filter((id) => !attempted.has(id));

  // --- Figures and checks ------------------------------------------------------------------------

  const restartPhase = requests.filter((r) => r.start >= t0 && r.end <= restartEnd);
  const killPhase = requests.filter((r) => r.phase === 'kill');
  const seconds = (performance.now() - t0) / 1000;
  log('requests by phase:');
  for (const p of ['steady', 'restart-a', 'restart-b', 'after-restarts', 'kill'])
    log(`  ${p.padEnd(15)} ${JSON.stringify(summary(requests.filter((r) => r.phase === p)))}`);
  log(
    `load: ${requests.length} requests in ${seconds.toFixed(1)} s (${(requests.length / seconds).toFixed(0)} req/s), ${CONCURRENCY} clients`,
  );
  log(
    `writes: ${acknowledged.size} acknowledged, ${stored.size} rows, ${attempted.size} attempted`,
  );

  const r = summary(restartPhase);
  const bad = restartPhase.filter((x) => x.error || x.status >= 500);
  check(
    'rolling restart: 0 failed requests, 0 5xx',
    r.failed === 0 && r['5xx'] === 0,
    `${r.total} requests, ${r.failed} failed, ${r['5xx']} 5xx${bad.length ? ` (${describe(bad)})` : ''}`,
  );
  check('rolling restart: no 4xx either', r['4xx'] === 0, `${r['4xx']} 4xx`);
  for (const key of ['a', 'b'])
    check(
      `api-${key} exits on SIGTERM within SHUTDOWN_TIMEOUT_MS`,
      shutdowns[key].exit !== 'did not exit' && shutdowns[key].stopMs <= SHUTDOWN_TIMEOUT_MS + 1000,
      `${shutdowns[key].stopMs} ms, ${JSON.stringify(shutdowns[key].exit)}`,
    );
  check(
    'no acknowledged write lost',
    lost.length === 0,
    `${lost.length} of ${acknowledged.size} missing`,
  );
  check('no row that was never sent', phantom.length === 0, `${phantom.length}`);
  const killFailures = requests.filter((x) => x.end >= killSentAt && (x.error || x.status >= 500));
  const lateFailures = killFailures.filter((x) => x.start > killedAt);
  check(
    'SIGKILL: only requests in flight at the kill fail',
    lateFailures.length === 0,
    `${killFailures.length} failed (${describe(killFailures) || 'none'}), ${inFlightAtKill} in flight at the kill, ${lateFailures.length} started after the process was gone (${(killedAt - killSentAt).toFixed(0)} ms after SIGKILL)`,
  );
  check(
    'SIGKILL: HAProxy marks the killed instance down and routes to the other',
    states.a !== 'UP' && states.b === 'UP' && downAfterMs < 3000,
    `down after ${downAfterMs.toFixed(0)} ms; now ${JSON.stringify(states)}; ${summary(killPhase).ok} answered since the kill`,
  );

  if (process.env.ROLLING_DEBUG) {
    for (const x of requests.filter((q) => q.error)) log('failed', x.phase, x.kind, x.at, x.error);
    writeFileSync('/tmp/rolling-haproxy.log', haproxy.stderrText);
  }

  // --- Teardown ----------------------------------------------------------------------------------

  for (const child of [instances.b.proc, haproxy, redis]) {
    child.kill('SIGTERM');
    await Promise.race([child.exited, sleep(SHUTDOWN_TIMEOUT_MS + 2000)]);
  }
  cleanup();
  await db.stop();
  rmSync(work, { recursive: true, force: true });

  const passed = checks.filter((c) => c.ok).length;
  console.log(`rolling restart: ${passed} passed, ${checks.length - passed} failed`);
  process.exit(passed === checks.length ? 0 : 1);
} catch (error) {
  // A harness failure (an instance that never became ready, a tool missing): stop everything.
  console.error(error);
  cleanup();
  await db?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
  console.log('rolling restart: 0 passed, 1 failed');
  process.exit(1);
}
