// npm run bench — the API's performance on the production build, under wrk (bench/load.mjs).
//   node bench/run.mjs [--quick] [--only fsa,invites-list] [--workers 1,2] [--threads 1] [--no-baseline] [--no-10x]
//   node bench/run.mjs --only cdc   (the change-data-capture worker: bench/cdc.mjs, needs Redis)
//   BENCH_DATABASE_URL=… node bench/run.mjs --attach http://127.0.0.1:3000 --only fsa   (a server you run)
//   BENCH_DIST=/path/to/other/dist BENCH_BUILD=false node bench/run.mjs   (another build: before/after)
// Uses BENCH_DATABASE_URL if set, else an embedded PostgreSQL under .data/bench (kept between runs).
// Each endpoint: 64 connections, 2 s warm-up (after one 8 s warm-up of every read per process), one 8 s run (--runs 3: median of three); reported are
// req/s, p50/p99 and the server's CPU µs per request (utime + stime from /proc/<pid>/stat).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  cleanWrites,
  dropLeftoverInvites,
  HOSTS,
  loadIds,
  PASSWORD,
  prepareDataset,
  tokenOf,
  USERS,
} from './dataset.mjs';
import { measure, UUID_PLACEHOLDER } from './load.mjs';
import { cpuMs, rssMb, rssSampler, SERVER_DATA_DIR, startServer } from './server.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    workers: { type: 'string', default: '1' },
    connections: { type: 'string', default: '64' },
    threads: { type: 'string', default: '1' },
    runs: { type: 'string' },
    duration: { type: 'string' },
    // Profile a server you started yourself (e.g. with --cpu-prof) on BENCH_DATABASE_URL's data.
    attach: { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    'no-10x': { type: 'boolean', default: false },
  },
});
const runOpts = args.quick
  ? { duration: 5, runs: 1, warmup: 1 }
  : { duration: 8, runs: 1, warmup: 2 };
// Before any measured run, each read endpoint is driven once for this long and the result thrown
// away: a freshly started process needs 20–30 s under load before V8 has compiled its hot paths
// (measured on one route, 8 s runs back to back: 409, 301, 266, 244 µs of CPU a request, p99 709,
// 273, 23 ms), and until then 1 % of the answers wait 150–700 ms. Both servers get the same.
const serverWarmupSeconds = args.quick ? 3 : 8;

/** Every read endpoint (GETs and GraphQL queries), once, unmeasured (see serverWarmupSeconds). */
async function warmUp(server, endpoints) {
  const reads = endpoints.filter(
    (t) =>
      !t.write &&
      t.requests.every((r) => (r.method ?? 'GET') === 'GET' || r.path.endsWith('/graphql')),
  );
  for (const target of reads)
    await measure(server, target, { duration: serverWarmupSeconds, runs: 1, warmup: 0 });
}
if (args.runs) runOpts.runs = Number(args.runs);
if (args.duration) runOpts.duration = Number(args.duration);
runOpts.connections = Number(args.connections);
runOpts.threads = Number(args.threads);
const only = args.only ? new Set(args.only.split(',')) : null;

if (!existsSync('dist/apps/api/src/main.js') || process.env.BENCH_BUILD !== 'false') {
  console.log('building…');
  execSync('npm run build --silent', { stdio: 'inherit' });
}
process.env.BENCH_BUILD_DONE = '1';

// The change-data-capture worker (issue 20): optional, it needs Redis. `--only cdc` runs it alone.
if (only?.has('cdc')) {
  const { runCdcBench } = await import('./cdc.mjs');
  console.log('\n== change-data-capture worker');
  await runCdcBench({ quick: args.quick });
  only.delete('cdc');
  if (!only.size) process.exit(0);
}
const { startEmbeddedPostgres, freePort } = await import('../dist/libs/core/src/index.js');

let databaseUrl = process.env.BENCH_DATABASE_URL;
let embedded;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres({ dataDir: '.data/bench', database: 'porch_bench' });
  databaseUrl = embedded.url;
}
/** The same server, another database (created if missing): the 10× dataset. */
async function siblingDatabase(url, name) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  return Object.assign(new URL(url), { pathname: `/${name}` }).toString();
}

/** The Invited screen as one GraphQL operation (issue 19): the fields REST's GET /invites sends. */
const INVITED_SCREEN = JSON.stringify({
  query: `query Invited {
  invites(status: INVITED) {
    totalCount
    edges { node { id status plusOnes respondedAt createdAt updatedAt
      guest { id name photoUrl }
      party { id flat firstEntry lastEntry isLive isOver vibe vibeLabel host { id name photoUrl } } } }
  }
}`,
});
const BASELINE_ENDPOINTS = [
  'fsa',
  'health-regions',
  'health-regions?limit=20',
  'provinces',
  'invites-list',
];
const bearer = (n) => ({ authorization: `Bearer ${tokenOf(n)}` });
const json = { 'content-type': 'application/json' };
const guests = USERS - HOSTS;
const range = (n, f) => Array.from({ length: n }, (_, k) => f(k));

/** Request lists: each endpoint rotates over real ids so caches see realistic keys. */
function targets(ids, { reads = true, writes = true } = {}) {
  const sessionBody = (() => {
    const started = new Date(Date.now() - 3_600_000);
    const tasks = range(100, (k) => ({
      firstNumber: k % 10,
      secondNumber: (k % 10) + 3,
      operator: '+',
      userAnswer: 3,
      answeredAt: new Date(started.getTime() + (k + 1) * 1000).toISOString(),
      visualHelp: k % 2 === 0,
    }));
    return JSON.stringify({
      id: UUID_PLACEHOLDER,
      startedAt: started.toISOString(),
      endedAt: new Date(started.getTime() + 600_000).toISOString(),
      appVersion: '2.3.1',
      device: { platform: 'android', model: 'Bench Tab', osVersion: '14' },
      tasks,
      keypresses: [],
    });
  })();
  const list = [
    { name: 'fsa', requests: ids.fsas.map((code) => ({ path: `/api/v1/fsa/${code}` })) },
    { name: 'health-regions', requests: [{ path: '/api/v1/health-regions' }] },
    { name: 'health-regions?limit=20', requests: [{ path: '/api/v1/health-regions?limit=20' }] },
    { name: 'provinces', requests: [{ path: '/api/v1/provinces' }] },
    {
      name: 'invites-list',
      requests: range(guests, (k) => ({
        path: '/api/v1/invites?status=invited',
        headers: bearer(HOSTS + 1 + k),
      })),
    },
    {
      // The same screen through GraphQL: the same user's invites, the same fields as REST's.
      name: 'invites-list-graphql',
      requests: range(guests, (k) => ({
        method: 'POST',
        path: '/graphql',
        headers: { ...json, ...bearer(HOSTS + 1 + k) },
        body: INVITED_SCREEN,
      })),
    },
    {
      name: 'invites-create',
      write: true,
      // Distinct (party, guest) pairs (with --threads 2, wrk's threads start half the list apart).
      requests: range(40_000, (k) => {
        const party = ids.upcoming[k % ids.upcoming.length];
        const j = Math.floor(k / ids.upcoming.length);
        const guest = ids.users[HOSTS + ((party.n * 37 + 50 + j) % guests)];
        return {
          method: 'POST',
          path: '/api/v1/invites',
          headers: { ...json, ...bearer(party.n) },
          body: JSON.stringify({ partyId: party.id, guestId: guest.id }),
        };
      }),
    },
    {
      name: 'sessions-create',
      write: true,
      requests: range(USERS, (k) => ({
        method: 'POST',
        path: '/api/v1/sessions',
        headers: { ...json, ...bearer(1 + k) },
        body: sessionBody,
      })),
    },
    {
      name: 'login',
      requests: range(USERS, (k) => ({
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: json,
        body: JSON.stringify({ email: `bench-${1 + k}@bench.porch.test`, password: PASSWORD }),
      })),
    },
  ];
  return list.filter((t) => (t.write ? writes : reads) && (!only || only.has(t.name)));
}

const print = (r) =>
  console.log(
    `${r.endpoint.padEnd(24)} ${String(r.reqPerSec).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx/3xx ${r.non2xx}  errors ${r.errors}  peak RSS ${r.peakRssMb} MB  CPU ${r.cpuUsPerRequest} µs/req (machine ${r.machineUsPerRequest})`,
  );

/**
 * The mean number of results in the answers to a list target's first `n` requests: at 10× the
 * invites each guest has ten times the invites, so a page holds more rows, and its cost per
 * request says more beside how many rows it carried.
 */
async function rowsPerAnswer(server, target, n = 200) {
  let rows = 0;
  const sample = target.requests.slice(0, n);
  for (const r of sample) {
    const res = await fetch(`${server.base}${r.path}`, { headers: r.headers });
    rows += (await res.json()).results.length;
  }
  return +(rows / sample.length).toFixed(1);
}

async function exportCsv(server, resource, label = '') {
  const before = rssMb(server.pid);
  const cpuBefore = cpuMs(server.pid);
  const sampler = rssSampler(server.pid);
  const started = Date.now();
  const res = await fetch(`${server.base}/api/v1/exports/${resource}.csv`, { headers: bearer(1) });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) lines++;
  }
  const seconds = (Date.now() - started) / 1000;
  const peak = sampler.stop();
  const cpu = cpuMs(server.pid) - cpuBefore;
  return {
    endpoint: `export ${resource}.csv${label}`,
    status: res.status,
    rows: lines - 1,
    mb: +(bytes / 1e6).toFixed(1),
    seconds,
    cpuMs: Math.round(cpu),
    cpuUsPerRow: lines > 1 ? +((cpu * 1000) / (lines - 1)).toFixed(2) : null,
    rssGrowthMb: Math.round(peak - before),
    peakRssMb: Math.round(peak),
  };
}

const printExport = (r) =>
  console.log(
    `${r.endpoint.padEnd(24)} ${r.status} ${r.rows} rows ${r.mb} MB in ${r.seconds} s, server CPU ${r.cpuMs} ms (${r.cpuUsPerRow} µs/row), RSS +${r.rssGrowthMb} MB (peak ${r.peakRssMb} MB)`,
  );

async function dropLeftovers() {
  const n = await dropLeftoverInvites(databaseUrl);
  if (n) console.log(`dataset: dropped ${n} invites left over by an interrupted run`);
}

const results = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  dist: process.env.BENCH_DIST ?? 'dist',
  options: runOpts,
  runs: [],
};
if (args.attach) {
  if (!process.env.BENCH_DATABASE_URL)
    throw new Error('--attach needs BENCH_DATABASE_URL (the dataset the server runs on)');
  await dropLeftovers();
  const ids = await loadIds(databaseUrl);
  for (const target of targets(ids)) {
    const since = new Date();
    const r = await measure({ base: args.attach, pid: 0 }, target, runOpts);
    if (target.write) await cleanWrites(databaseUrl, since);
    print(r);
  }
  process.exit(0);
}

const wants = (name) => !only || only.has(name);
try {
  // A first start migrates and loads the reference data; then the dataset is made once.
  const port = await freePort();
  let server = await startServer({ port, databaseUrl });
  await prepareDataset(databaseUrl);
  await server.stop();
  await dropLeftovers();
  const ids = await loadIds(databaseUrl);

  for (const workers of args.workers.split(',').map(Number)) {
    server = await startServer({ port, databaseUrl, workers });
    await sleep(2000);
    const run = {
      workers,
      readyMs: server.readyMs,
      idleRssMb: Math.round(rssMb(server.pid)),
      endpoints: [],
    };
    console.log(
      `\n== ${workers} process(es): ready in ${run.readyMs} ms, idle RSS ${run.idleRssMb} MB`,
    );
    await warmUp(server, targets(ids));
    for (const target of targets(ids)) {
      const since = new Date();
      const r = await measure(server, target, runOpts);
      if (target.write) await cleanWrites(databaseUrl, since);
      if (target.name === 'invites-list') r.rowsPerAnswer = await rowsPerAnswer(server, target);
      run.endpoints.push(r);
      print(r);
    }
    if (workers === 1 && wants('exports')) {
      for (const resource of ['invites', 'tasks']) {
        const r = await exportCsv(server, resource);
        run.endpoints.push(r);
        printExport(r);
      }
    }
    await server.stop();
    // The invitation emails the write runs sent (file transport), once the server has stopped.
    rmSync(`${SERVER_DATA_DIR}/sent-emails`, { recursive: true, force: true });
    // Ready time on a warm database, measured on a fresh start.
    if (workers === 1) {
      const again = await startServer({ port, databaseUrl });
      run.warmReadyMs = again.readyMs;
      await again.stop();
      console.log(`warm start: ready in ${run.warmReadyMs} ms`);
    }
    results.runs.push(run);
  }

  // The same reads at 10× the invites (500 per party, 500,000 in all): how cost grows with data.
  let url10;
  if (!args['no-10x'] && (wants('invites-list') || wants('exports'))) {
    url10 = await siblingDatabase(databaseUrl, `${new URL(databaseUrl).pathname.slice(1)}_10x`);
    server = await startServer({ port, databaseUrl: url10 });
    await prepareDataset(url10, console.log, { scale: 10 });
    await server.stop();
    await dropLeftoverInvites(url10, { scale: 10 });
    const ids10 = await loadIds(url10);
    server = await startServer({ port, databaseUrl: url10 });
    await sleep(2000);
    results.tenfold = [];
    console.log('\n== 10× the invites, 1 process');
    const tenfoldTargets = targets(ids10, { writes: false }).filter(
      (t) => t.name === 'invites-list',
    );
    await warmUp(server, tenfoldTargets);
    for (const target of tenfoldTargets) {
      const r = await measure(server, target, runOpts);
      r.rowsPerAnswer = await rowsPerAnswer(server, target);
      results.tenfold.push(r);
      print(r);
    }
    if (wants('exports')) {
      const r = await exportCsv(server, 'invites', ' (10×)');
      results.tenfold.push(r);
      printExport(r);
    }
    await server.stop();
  }

  // The yardstick: a bare node:http + pg server sending the same SQL, under the same load.
  if (!args['no-baseline']) {
    let baseline = await startServer({ port, databaseUrl, script: 'bench/baseline.mjs' });
    results.baseline = [];
    console.log('\n== baseline: bare node:http + pg, 1 process');
    const baselineTargets = targets(ids, { writes: false }).filter((t) =>
      BASELINE_ENDPOINTS.includes(t.name),
    );
    await warmUp(baseline, baselineTargets);
    for (const target of baselineTargets) {
      const r = await measure(baseline, target, runOpts);
      results.baseline.push(r);
      print(r);
    }
    await baseline.stop();
    if (url10 && wants('invites-list')) {
      baseline = await startServer({ port, databaseUrl: url10, script: 'bench/baseline.mjs' });
      const ids10 = await loadIds(url10);
      const r = await measure(
        baseline,
        targets(ids10, { writes: false }).find((t) => t.name === 'invites-list'),
        runOpts,
      );
      r.endpoint = 'invites-list (10×)';
      results.baseline.push(r);
      print(r);
      await baseline.stop();
    }
  }
} finally {
  await embedded?.stop();
}

// Issue 16's targets (2 cores, 64 connections), against one process.
const one = results.runs.find((r) => r.workers === 1);
const at = (name) => one?.endpoints.find((e) => e.endpoint === name);
const base = (name) => results.baseline?.find((e) => e.endpoint === name);
const check = (name, what, target, measured, met) => ({
  check: `${name} ${what}`,
  target,
  measured,
  met,
});
results.targets = [];
for (const name of ['fsa', 'health-regions', 'health-regions?limit=20', 'provinces']) {
  const r = at(name);
  if (!r) continue;
  results.targets.push(
    check(name, 'CPU µs/req', '<= 200', r.cpuUsPerRequest, r.cpuUsPerRequest <= 200),
  );
  results.targets.push(check(name, 'p99 ms', '<= 25', r.p99, r.p99 <= 25));
  const b = base(name);
  if (b) {
    const ratio = +(r.reqPerSec / b.reqPerSec).toFixed(2);
    results.targets.push(check(name, '× baseline req/s', '>= 1.0', ratio, ratio >= 1));
  }
}
const list = at('invites-list');
if (list) {
  results.targets.push(
    check('invites-list', 'req/s', '>= 1200', list.reqPerSec, list.reqPerSec >= 1200),
  );
  results.targets.push(
    check(
      'invites-list',
      'CPU µs/req',
      '<= 700',
      list.cpuUsPerRequest,
      list.cpuUsPerRequest <= 700,
    ),
  );
  const b = base('invites-list');
  if (b) {
    const ratio = +(list.reqPerSec / b.reqPerSec).toFixed(2);
    results.targets.push(check('invites-list', '× baseline req/s', '>= 1.0', ratio, ratio >= 1));
  }
  const ten = results.tenfold?.find((e) => e.endpoint === 'invites-list');
  if (ten) {
    const growth = +(ten.cpuUsPerRequest / list.cpuUsPerRequest).toFixed(2);
    results.targets.push(
      check('invites-list', 'CPU/req 10× ÷ 1×', '<= 1.5', growth, growth <= 1.5),
    );
    if (list.rowsPerAnswer && ten.rowsPerAnswer)
      console.log(
        `invites-list: ${list.rowsPerAnswer} results an answer at 1×, ${ten.rowsPerAnswer} at 10× ` +
          `(${(ten.rowsPerAnswer / list.rowsPerAnswer).toFixed(1)}× the rows for ${growth}× the CPU)`,
      );
  }
}
const gql = at('invites-list-graphql');
if (list && gql) {
  const ratio = +(gql.reqPerSec / list.reqPerSec).toFixed(2);
  results.targets.push(
    check('invites-list-graphql', '× REST req/s', '>= 0.8', ratio, ratio >= 0.8),
  );
}
const exp1 = at('export invites.csv');
const exp10 = results.tenfold?.find((e) => e.endpoint.startsWith('export invites.csv'));
if (exp1 && exp10) {
  const growth = +(exp10.cpuUsPerRow / exp1.cpuUsPerRow).toFixed(2);
  results.targets.push(
    check('export invites.csv', 'CPU/row 10× ÷ 1×', '<= 1.5', growth, growth <= 1.5),
  );
}
console.log('\n== targets (issues 16, 19)');
for (const t of results.targets)
  console.log(
    `${t.met ? 'met   ' : 'MISSED'} ${t.check.padEnd(40)} ${String(t.measured).padStart(8)}  (target ${t.target})`,
  );

mkdirSync('bench/results', { recursive: true });
writeFileSync(
  process.env.BENCH_RESULTS ?? 'bench/results/latest.json',
  JSON.stringify(results, null, 2) + '\n',
);
console.log(`\nwritten: ${process.env.BENCH_RESULTS ?? 'bench/results/latest.json'}`);
process.exit(0);
