// Starts and stops the production build of the API for the benchmark, and measures its memory.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A process and its children (cluster workers), from /proc: no `ps` spawned, which while
 * sampling 20 times a second cost the benchmark 10–15 % of a core on the machine it measures.
 */
function withChildren(pid) {
  const pids = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`))
      pids.push(
        ...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
          .split(' ')
          .map(Number)
          .filter(Boolean),
      );
  } catch {
    /* exited, or no /proc */
  }
  return pids;
}

/** Resident set size in MB of a process and all its descendants (cluster workers). */
export function rssMb(pid) {
  let kb = 0;
  for (const p of withChildren(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* exited */
    }
  }
  return kb / 1024;
}

/** CPU time (user + system, ms) of a process and its children (cluster workers) so far. */
export function cpuMs(pid) {
  if (!pid) return 0;
  const pids = withChildren(pid);
  const tick = 1000 / CLOCK_TICKS;
  let ms = 0;
  for (const p of pids) {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * tick;
    } catch {
      /* exited */
    }
  }
  return ms;
}
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Samples RSS every 100 ms until stopped; returns the peak. */
export function rssSampler(pid) {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  return { stop: () => (clearInterval(timer), (peak = Math.max(peak, rssMb(pid)))) };
}

export const LOG_FILE = '.data/bench-server.log';
export const SERVER_DATA_DIR = '.data/bench-server';

// BENCH_DIST: another build to measure (e.g. a copy of dist/ from before a change, beside a
// package.json and a node_modules link), for before/after figures on the same data and load.
const DIST = process.env.BENCH_DIST ?? 'dist';

export async function startServer({
  port,
  databaseUrl,
  workers = 1,
  env = {},
  script = `${DIST}/apps/api/src/main.js`,
}) {
  const started = Date.now();
  // The server's JSON log, kept for when a run shows non-2xx answers.
  mkdirSync('.data', { recursive: true });
  const log = openSync(LOG_FILE, 'a');
  // BENCH_NODE_ARGS: flags for the server's node (e.g. `--trace-gc`, `--cpu-prof`), which
  // NODE_OPTIONS does not take.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      // Its users sign up and log in at once (verification has tests of its own).
      REQUIRE_VERIFIED_EMAIL: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: 'bench-only-session-secret-0123456789abcdef',
      WEB_CONCURRENCY: String(workers),
      DEMO_DATA: 'false',
      CREATE_SUPERUSER: 'false',
      // Its own data directory: the invitation emails the runs send (file transport) land here.
      DATA_DIR: SERVER_DATA_DIR,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      // The benchmark is one client hammering the API: lift the per-IP/per-user limit.
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
      GRAPHQL_COST_PER_MINUTE: '1000000000',
      // Stopped between runs with no load balancer in front: no drain.
      SHUTDOWN_DRAIN_MS: '0',
      ...env,
    },
    stdio: ['ignore', log, 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const res = await fetch(`${base}/health/ready`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > 120_000) throw new Error('server not ready after 120 s');
    await sleep(25);
  }
  const readyMs = Date.now() - started;
  return {
    base,
    pid: child.pid,
    readyMs,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)));
    },
  };
}
