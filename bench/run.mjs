// npm run bench — the performance targets of issue 9, measured on the production build.
//   node bench/run.mjs [--quick] [--only fsa,invites-list] [--workers 1,2] [--no-baseline]
//   node bench/run.mjs --only cdc   (the change-data-capture worker: bench/cdc.mjs, needs Redis)
//   BENCH_DATABASE_URL=… node bench/run.mjs --attach http://127.0.0.1:3000 --only fsa   (a server you run)
// Uses BENCH_DATABASE_URL if set, else an embedded PostgreSQL under .data/bench (kept between runs).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { execSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cleanWrites, dropLeftoverInvites, HOSTS, loadIds, PASSWORD, prepareDataset, tokenOf, USERS } from './dataset.mjs';
import { measure } from './load.mjs';
import { rssMb, rssSampler, SERVER_DATA_DIR, startServer } from './server.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    workers: { type: 'string', default: '1,2' },
    connections: { type: 'string', default: '64' },
    // Profile a server you started yourself (e.g. with --cpu-prof) on BENCH_DATABASE_URL's data.
    attach: { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
  },
});
const runOpts = args.quick ? { duration: 5, runs: 1, warmup: 2 } : { duration: 10, runs: 3, warmup: 3 };
runOpts.connections = Number(args.connections);
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

const BASELINE_ENDPOINTS = ['fsa', 'health-regions', 'invites-list'];
const bearer = (n) => ({ authorization: `Bearer ${tokenOf(n)}` });
const json = { 'content-type': 'application/json' };

/** Request generators: each endpoint rotates over real ids so caches see realistic keys. */
function targets(ids) {
  let i = 0;
  const sessionBody = (() => {
    const started = new Date(Date.now() - 3_600_000);
    const tasks = Array.from({ length: 100 }, (_, k) => ({
      firstNumber: k % 10,
      secondNumber: (k % 10) + 3,
      operator: '+',
      userAnswer: 3,
      answeredAt: new Date(started.getTime() + (k + 1) * 1000).toISOString(),
      visualHelp: k % 2 === 0,
    }));
    const body = {
      id: '00000000-0000-4000-8000-000000000000',
      startedAt: started.toISOString(),
      endedAt: new Date(started.getTime() + 600_000).toISOString(),
      appVersion: '2.3.1',
      device: { platform: 'android', model: 'Bench Tab', osVersion: '14' },
      tasks,
      keypresses: [],
    };
    return JSON.stringify(body);
  })();
  const guests = USERS - HOSTS;
  return [
    {
      name: 'fsa',
      requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/v1/fsa/${ids.fsas[i++ % ids.fsas.length]}` }) }],
    },
    { name: 'health-regions', requests: [{ method: 'GET', path: '/api/v1/health-regions' }] },
    {
      name: 'invites-list',
      requests: [
        {
          method: 'GET',
          setupRequest: (r) => ({ ...r, path: '/api/v1/invites?status=invited', headers: bearer(HOSTS + 1 + (i++ % guests)) }),
        },
      ],
    },
    {
      name: 'invites-create',
      write: true,
      requests: [
        {
          method: 'POST',
          setupRequest: (r) => {
            const k = i++;
            const party = ids.upcoming[k % ids.upcoming.length];
            const j = Math.floor(k / ids.upcoming.length);
            const guest = ids.users[HOSTS + ((party.n * 37 + 50 + j) % guests)];
            return { ...r, headers: { ...json, ...bearer(party.n) }, body: JSON.stringify({ partyId: party.id, guestId: guest.id }) };
          },
          path: '/api/v1/invites',
        },
      ],
    },
    {
      name: 'sessions-create',
      write: true,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/sessions',
          setupRequest: (r) => ({
            ...r,
            headers: { ...json, ...bearer(1 + (i++ % USERS)) },
            body: sessionBody.replace('00000000-0000-4000-8000-000000000000', randomUUID()),
          }),
        },
      ],
    },
    {
      name: 'login',
      requests: [
        {
          method: 'POST',
          path: '/api/v1/auth/login',
          setupRequest: (r) => ({
            ...r,
            headers: json,
            body: JSON.stringify({ email: `bench-${1 + (i++ % USERS)}@bench.porch.test`, password: PASSWORD }),
          }),
        },
      ],
    },
  ].filter((t) => !only || only.has(t.name));
}

async function exportCsv(server, resource) {
  const before = rssMb(server.pid);
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
  return { endpoint: `export ${resource}.csv`, status: res.status, rows: lines - 1, mb: +(bytes / 1e6).toFixed(1), seconds, rssGrowthMb: Math.round(peak - before), peakRssMb: Math.round(peak) };
}

async function dropLeftovers() {
  const n = await dropLeftoverInvites(databaseUrl);
  if (n) console.log(`dataset: dropped ${n} invites left over by an interrupted run`);
}

const results = { at: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, options: runOpts, runs: [] };
if (args.attach) {
  if (!process.env.BENCH_DATABASE_URL) throw new Error('--attach needs BENCH_DATABASE_URL (the dataset the server runs on)');
  await dropLeftovers();
  const ids = await loadIds(databaseUrl);
  for (const target of targets(ids)) {
    const since = new Date();
    const r = await measure({ base: args.attach, pid: 0 }, target, runOpts);
    if (target.write) await cleanWrites(databaseUrl, since);
    console.log(`${r.endpoint.padEnd(16)} ${String(r.reqPerSec).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}`);
  }
  process.exit(0);
}

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
    const run = { workers, readyMs: server.readyMs, idleRssMb: Math.round(rssMb(server.pid)), endpoints: [] };
    console.log(`\n== ${workers} process(es): ready in ${run.readyMs} ms, idle RSS ${run.idleRssMb} MB`);
    for (const target of targets(ids)) {
      const since = new Date();
      const r = await measure(server, target, runOpts);
      if (target.write) await cleanWrites(databaseUrl, since);
      run.endpoints.push(r);
      console.log(`${r.endpoint.padEnd(16)} ${String(r.reqPerSec).padStart(6)} req/s  p50 ${r.p50} ms  p97.5 ${r.p97_5} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx} ${r.non2xx ? JSON.stringify(r.statuses) : ''}  peak RSS ${r.peakRssMb} MB  CPU ${r.cpuUsPerRequest} µs/req`);
    }
    if (workers === 1 && (!only || only.has('exports'))) {
      for (const resource of ['invites', 'tasks']) {
        const r = await exportCsv(server, resource);
        run.endpoints.push(r);
        console.log(`${r.endpoint.padEnd(22)} ${r.status} ${r.rows} rows ${r.mb} MB in ${r.seconds} s, RSS +${r.rssGrowthMb} MB (peak ${r.peakRssMb} MB)`);
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

  // The yardstick: a bare node:http + pg server sending the same SQL, under the same load.
  if (!args['no-baseline']) {
    const baseline = await startServer({ port, databaseUrl, script: 'bench/baseline.mjs' });
    results.baseline = [];
    console.log('\n== baseline: bare node:http + pg, 1 process');
    for (const target of targets(ids).filter((t) => BASELINE_ENDPOINTS.includes(t.name))) {
      const r = await measure(baseline, target, runOpts);
      results.baseline.push(r);
      console.log(`${r.endpoint.padEnd(16)} ${String(r.reqPerSec).padStart(6)} req/s  p50 ${r.p50} ms  p97.5 ${r.p97_5} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  CPU ${r.cpuUsPerRequest} µs/req`);
    }
    await baseline.stop();
  }
} finally {
  await embedded?.stop();
}
// Issue 9's targets against the best of the measured process counts.
const TARGETS = [
  ['fsa', 'req/s', 6000],
  ['health-regions', 'req/s', 5000],
  ['invites-list', 'req/s', 1200],
  ['invites-create', 'req/s', 800],
  ['sessions-create', 'req/s', 200],
];
const best = (name) => Math.max(...results.runs.map((r) => r.endpoints.find((e) => e.endpoint === name)?.reqPerSec ?? 0));
const one = results.runs.find((r) => r.workers === 1);
const tasksExport = one?.endpoints.find((e) => e.endpoint === 'export tasks.csv');
const fsaP99 = Math.min(...results.runs.map((r) => r.endpoints.find((e) => e.endpoint === 'fsa')?.p99 ?? Infinity));
results.targets = [
  ...TARGETS.filter(([name]) => !only || only.has(name)).map(([name, unit, target]) => ({ check: `${name} ${unit}`, target: `>= ${target}`, measured: best(name), met: best(name) >= target })),
  ...(!only || only.has('fsa') ? [{ check: 'fsa p99 ms', target: '<= 25', measured: fsaP99, met: fsaP99 <= 25 }] : []),
  ...(tasksExport ? [
    { check: 'export tasks.csv s', target: '<= 10', measured: tasksExport.seconds, met: tasksExport.seconds <= 10 },
    { check: 'export tasks.csv RSS growth MB', target: '<= 64', measured: tasksExport.rssGrowthMb, met: tasksExport.rssGrowthMb <= 64 },
  ] : []),
  ...(one ? [
    { check: 'idle RSS MB', target: '<= 200', measured: one.idleRssMb, met: one.idleRssMb <= 200 },
    { check: 'ready on a warm database ms', target: '<= 5000', measured: one.warmReadyMs, met: one.warmReadyMs <= 5000 },
  ] : []),
];
console.log('\n== targets (issue 9)');
for (const t of results.targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.check.padEnd(32)} ${String(t.measured).padStart(8)}  (target ${t.target})`);

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(results, null, 2) + '\n');
console.log('\nwritten: bench/results/latest.json');
process.exit(0);
