import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, REPO_ROOT } from '#porch/core';
import { GOOD_PASSWORD, uniqueEmail } from '../utils/accounts-factories.js';

const MAIN = join(REPO_ROOT, 'dist/apps/api/src/main.js');
const DRAIN_MS = 2_000;
const TIMEOUT_MS = 20_000;
const CLIENTS = 16;

interface Server {
  proc: ChildProcess;
  port: number;
  dataDir: string;
  output: () => string;
}

/** The built server (`npm start`'s), on an embedded PostgreSQL in a folder of its own. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const dataDir = join(tmpdir(), `porch-stop-${process.pid}-${port}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const { DATABASE_URL: _db, ...inherited } = process.env;
  const proc = spawn(process.execPath, [MAIN], {
    env: {
      ...inherited,
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  for (let i = 0; i < 1200; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited early: ${output.slice(-3000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { proc, port, dataDir, output: () => output };
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error(`server not ready: ${output.slice(-3000)}`);
}

interface Outcome {
  statuses: Map<number, number>;
  /** Errors by code: ECONNREFUSED once the server stopped listening; anything else is a loss. */
  errors: Map<string, number>;
  /** Answers sent after the signal, and how many of them said `Connection: close`. */
  afterSignal: number;
  closing: number;
}

/**
 * CLIENTS keep-alive clients, each sending one request after another (hot-path reads, routed
 * reads, authenticated database reads) until the server refuses connections.
 */
function load(port: number, auth: string, signalled: () => boolean) {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const outcome: Outcome = {
    statuses: new Map(),
    errors: new Map(),
    afterSignal: 0,
    closing: 0,
  };
  const paths = ['/api/v1/fsa/K1A', '/api/v1/provinces?limit=5', '/api/v1/sessions'];
  const once = (path: string) =>
    new Promise<boolean>((resolve) => {
      const after = signalled();
      const req = request(
        { host: '127.0.0.1', port, path, agent, headers: { authorization: auth } },
        (res) => {
          res.resume();
          res.once('end', () => {
            const status = res.statusCode ?? 0;
            outcome.statuses.set(status, (outcome.statuses.get(status) ?? 0) + 1);
            if (after) {
              outcome.afterSignal++;
              if (res.headers.connection === 'close') outcome.closing++;
            }
            resolve(true);
          });
          res.once('error', (error: NodeJS.ErrnoException) => fail(error));
        },
      );
      const fail = (error: NodeJS.ErrnoException) => {
        const code = `${(error as { syscall?: string }).syscall ?? ''} ${error.code ?? error.message}${req.reusedSocket ? ' (reused socket)' : ' (new socket)'}`;
        outcome.errors.set(code, (outcome.errors.get(code) ?? 0) + 1);
        resolve(error.code !== 'ECONNREFUSED');
      };
      req.once('error', fail);
      req.end();
    });
  const clients = Array.from({ length: CLIENTS }, async (_, i) => {
    for (let n = i; await once(paths[n % paths.length]); n++);
  });
  return {
    outcome,
    done: Promise.all(clients).then(() => agent.destroy()),
  };
}

const postmasterPid = (dataDir: string) =>
  (JSON.parse(readFileSync(join(dataDir, 'postgres.json'), 'utf8')) as { pid?: number }).pid;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * SIGTERM on a real server while keep-alive clients are sending: readiness answers 503 at once,
 * answers carry `Connection: close` during the drain, then the server stops listening, answers
 * every request it took, closes the app and the embedded PostgreSQL, and exits well within
 * SHUTDOWN_TIMEOUT_MS. Not one request is lost to a reset, not one answer is a 5xx.
 */
describe('graceful stop under keep-alive load', () => {
  const started: Server[] = [];
  afterAll(() => {
    for (const s of started) {
      if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
      rmSync(s.dataDir, { recursive: true, force: true });
    }
  });

  /** `resets`: whether to require that no request is lost to a reset (see the cluster case). */
  async function scenario(env: Record<string, string>, label: string, resets = true) {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm test builds it first`);
    const server = await startServer(env);
    started.push(server);
    const base = `http://127.0.0.1:${server.port}`;
    const signup = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail(), password: GOOD_PASSWORD, name: 'Stop Test' }),
    });
    expect(signup.status).toBe(201);
    const { token } = (await signup.json()) as { token: { access_token: string } };
    const postmaster = postmasterPid(server.dataDir);
    expect(postmaster && alive(postmaster)).toBe(true);

    let signalledAt = 0;
    const traffic = load(server.port, `Bearer ${token.access_token}`, () => signalledAt > 0);
    await sleep(1_000);
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      server.proc.once('exit', (code) => resolve({ code, at: Date.now() })),
    );
    signalledAt = Date.now();
    server.proc.kill('SIGTERM');
    // Readiness fails at once (as soon as the process has the signal: a cluster passes it on).
    let ready = await fetch(`${base}/health/ready`);
    for (let i = 0; i < 20 && ready.status === 200; i++) {
      await sleep(50);
      ready = await fetch(`${base}/health/ready`);
    }
    expect(Date.now() - signalledAt).toBeLessThan(DRAIN_MS);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('connection')).toBe('close');
    const { code, at } = await exited;
    await traffic.done;
    const tookMs = at - signalledAt;
    const { outcome } = traffic;

    const answered = [...outcome.statuses.values()].reduce((a, b) => a + b, 0);
    const fiveHundreds = [...outcome.statuses].filter(([s]) => s >= 500);
    const losses = [...outcome.errors].filter(([c]) => !c.includes('ECONNREFUSED'));
    console.log(
      `graceful stop (${label}): exit ${code} after ${tookMs} ms (drain ${DRAIN_MS}, deadline ${TIMEOUT_MS}); ` +
        `${answered} answers (${[...outcome.statuses].map(([s, n]) => `${s}×${n}`).join(' ')}), ` +
        `${outcome.afterSignal} after SIGTERM (${outcome.closing} with Connection: close); ` +
        `errors: ${[...outcome.errors].map(([c, n]) => `${c}×${n}`).join(', ') || 'none'}`,
    );
    expect(code).toBe(0);
    expect(tookMs).toBeGreaterThanOrEqual(DRAIN_MS);
    expect(tookMs).toBeLessThan(TIMEOUT_MS);
    expect(fiveHundreds).toEqual([]);
    if (resets) expect(losses).toEqual([]); // no ECONNRESET, EPIPE or "socket hang up"
    expect(outcome.statuses.get(200)).toBeGreaterThan(0);
    expect(outcome.afterSignal).toBeGreaterThan(0);
    // All but those sent before the process handled the signal (one per client at most).
    expect(outcome.closing).toBeGreaterThanOrEqual(outcome.afterSignal - CLIENTS);
    expect(alive(postmaster!)).toBe(false);
    return server.output();
  }

  it('one process: drains, answers everything, stops PostgreSQL after the ORM, exits in time', async () => {
    const log = await scenario({}, 'one process');
    expect(log).toMatch(/SIGTERM: shutting down \(readiness 503, draining 2000 ms/);
    expect(log).toMatch(/stopped \d+ ms after SIGTERM/);
  }, 120_000);

  // Each worker holds and closes on its own: a connection the primary hands one worker just as
  // the other closes can still be reset (the clients here reconnect to the same address at
  // once; behind a load balancer, which stops routing on readiness 503, they would not).
  it('a cluster (WEB_CONCURRENCY=2): the primary waits for its workers, then stops PostgreSQL', async () => {
    const log = await scenario({ WEB_CONCURRENCY: '2' }, 'cluster of 2', false);
    expect(log).toMatch(/primary \d+: SIGTERM: stopping 2 workers/);
    expect(log.match(/stopped \d+ ms after SIGTERM/g)).toHaveLength(2);
    expect(log).toMatch(/primary \d+: stopped \d+ ms after the signal/);
  }, 120_000);
});
