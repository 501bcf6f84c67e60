import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '#porch/core';
import { bearer, createUser, FACTORY_PASSWORD } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** A redis-server of this test's own on `port`, to stop and start at will. */
async function startRedis(port: number): Promise<ChildProcess> {
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${out}`));
    });
  });
  return proc;
}

const kill = (proc: ChildProcess | undefined) =>
  new Promise<void>((done) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return done();
    proc.once('exit', () => done());
    proc.kill('SIGKILL');
  });

/**
 * REDIS_URL points at a Redis that is not there, then comes up, dies and comes back. Rate
 * limits (the global throttler and the failed-login counter) hold throughout, from this
 * process's memory while Redis is away; requests never wait on it; readiness reports it; and
 * Redis is used again as soon as it answers.
 */
describe('faults: Redis unreachable', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let t: TestApp;

  beforeAll(async () => {
    port = await freePort(); // nothing listens there yet
    t = await createTestApp({
      env: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        RATE_LIMIT_PER_MINUTE: '3',
        LOGIN_MAX_FAILURES: '2',
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await kill(redis);
  });

  const readiness = async () => (await t.http.get('/health/ready').expect(200)).body.details;

  /** A new user hits a rate-limited route: 3 answers, then 429 — each answered promptly. */
  async function limitHolds(): Promise<string> {
    const user = await createUser(t);
    const auth = await bearer(t, user);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const sent = Date.now();
      const res = await t.http.get('/api/v1/users/me').set('Authorization', auth);
      expect(Date.now() - sent).toBeLessThan(1_500);
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    return user.id;
  }

  /**
   * Failed logins are counted too (CounterStore): the third attempt is refused unchecked. (Its
   * three anonymous requests also count against this address's limit of 3: once per phase.)
   */
  async function loginThrottleHolds(): Promise<void> {
    const user = await createUser(t);
    const attempt = (password: string) =>
      t.http.post('/api/v1/auth/login').send({ email: user.email, password });
    await attempt('wrong-password').expect(401);
    await attempt('wrong-password').expect(401);
    await attempt(FACTORY_PASSWORD).expect(429);
  }

  const keysOf = async (id: string) => {
    const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      return await client.keys(`*${id}*`);
    } finally {
      client.disconnect();
    }
  };

  const waitForRedis = async (status: 'up' | 'down') => {
    for (let i = 0; i < 100; i++) {
      if ((await readiness()).redis?.status === status) return;
      await sleep(100);
    }
    throw new Error(`readiness never reported redis ${status}`);
  };

  it('boots and limits from memory with nothing listening at REDIS_URL', async () => {
    const details = await readiness();
    expect(details.database.status).toBe('up');
    expect(details.redis).toMatchObject({ status: 'down', required: false });
    await limitHolds();
  });

  it('uses Redis once it answers', async () => {
    redis = await startRedis(port);
    await waitForRedis('up');
    const id = await limitHolds();
    expect(await keysOf(id)).not.toEqual([]);
    await loginThrottleHolds();
  });

  it('keeps limiting from memory when Redis dies, and reports it', async () => {
    await kill(redis);
    const id = await limitHolds();
    await loginThrottleHolds();
    const details = await readiness();
    expect(details.redis).toMatchObject({ status: 'down', required: false });
    redis = await startRedis(port);
    await waitForRedis('up');
    expect(await keysOf(id)).toEqual([]); // that count lived in memory only
  });

  it('is back on Redis after it restarts', async () => {
    const id = await limitHolds();
    expect(await keysOf(id)).not.toEqual([]);
  });
});
