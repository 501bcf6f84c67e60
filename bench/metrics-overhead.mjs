// CPU cost of the Prometheus metrics per request: the production build answering
// GET /api/v1/fsa/K1A under wrk, without metrics and with METRICS_PORT, runs alternated.
// Usage: DATABASE_URL=postgres://… node bench/metrics-overhead.mjs [seconds=10] [rounds=2]
// The server's CPU time (user + system, /proc/<pid>/stat) over the run ÷ requests answered.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const seconds = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 2);
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL (a migrated Porch database) is required');
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

const cpu = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
};

async function run(metrics, port) {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    // Its users sign up and log in at once (verification has tests of its own).
    REQUIRE_VERIFIED_EMAIL: 'false',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: url,
    SESSION_SECRET: 'metrics-overhead-session-secret-0123456789',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    ...(metrics ? { METRICS_PORT: String(port + 1) } : {}),
  };
  const proc = spawn(process.execPath, ['dist/apps/api/src/main.js'], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await sleep(100);
  }
  // Warm-up, then the measured run.
  execFileSync('wrk', ['-t1', '-c32', '-d3s', `${base}/api/v1/fsa/K1A`], { stdio: 'ignore' });
  const before = cpu(proc.pid);
  const out = execFileSync('wrk', ['-t1', '-c32', `-d${seconds}s`, `${base}/api/v1/fsa/K1A`], {
    encoding: 'utf8',
  });
  const used = cpu(proc.pid) - before;
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  let series;
  if (metrics) series = (await (await fetch(`http://127.0.0.1:${port + 1}/metrics`)).text()).length;
  proc.kill('SIGTERM');
  await new Promise((done) => proc.once('exit', done));
  return { metrics, rps, requests, non2xx, usPerRequest: (used / requests) * 1e6, series };
}

const results = [];
for (let r = 0; r < rounds; r++)
  for (const metrics of [false, true]) {
    const res = await run(metrics, 3950 + (metrics ? 10 : 0));
    results.push(res);
    console.log(JSON.stringify(res));
  }
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const metrics of [false, true]) {
  const rows = results.filter((r) => r.metrics === metrics);
  console.log(
    `${metrics ? 'METRICS_PORT set' : 'metrics off     '}: ` +
      `${median(rows.map((r) => r.usPerRequest)).toFixed(1)} µs CPU/request, ` +
      `${median(rows.map((r) => r.rps)).toFixed(0)} req/s`,
  );
}
