import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, REPO_ROOT } from '#porch/core';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { createUser, FACTORY_PASSWORD } from '../utils/factories.js';

const REDIS = { host: '127.0.0.1', port: 6379 };
const MAIN = join(REPO_ROOT, 'dist/apps/api/src/main.js');

function redisAnswers(): Promise<boolean> {
  return new Promise((done) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
    s.once('timeout', () => (s.destroy(), done(false)));
    s.connect(REDIS.port, REDIS.host);
  });
}

async function startInstance(databaseUrl: string): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      // Its users sign up and log in at once (verification has tests of its own).
      REQUIRE_VERIFIED_EMAIL: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://${REDIS.host}:${REDIS.port}`,
      SESSION_SECRET: 'two-instances-test-session-secret-0123456789',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      ADMIN_JS_SKIP_BUNDLE: 'true',
      SHUTDOWN_DRAIN_MS: '0', // no load balancer to drain from: stop at once
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`instance exited: ${stderr}`);
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { base, proc };
    await sleep(100);
  }
  throw new Error(`instance not ready: ${stderr}`);
}

const stop = (proc: ChildProcess) =>
  new Promise<void>((done) =>
    proc.exitCode !== null ? done() : (proc.once('exit', () => done()), proc.kill('SIGTERM')),
  );

/**
 * SPEC §11: the API is stateless. Two processes on one PostgreSQL and one Redis share tokens,
 * the login throttle and admin sessions.
 */
describe('two API instances on one PostgreSQL and one Redis', () => {
  let t: TestApp;
  let a: { base: string; proc: ChildProcess };
  let b: { base: string; proc: ChildProcess };
  let ready = false;

  beforeAll(async () => {
    if (!existsSync(MAIN)) {
      console.warn(`skipped: ${MAIN} is missing (npm test builds it first)`);
      return;
    }
    if (!(await redisAnswers())) {
      console.warn('skipped: no Redis answers on 127.0.0.1:6379');
      return;
    }
    // The test app owns (and finally drops) the database; the two instances share it.
    t = await createTestApp();
    [a, b] = await Promise.all([startInstance(t.databaseUrl), startInstance(t.databaseUrl)]);
    ready = true;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a && stop(a.proc), b && stop(b.proc)]);
    await t?.close();
  });

  const login = (base: string, email: string, password: string) =>
    fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('accepts on one instance a token issued by the other', async () => {
    if (!ready) return;
    const user = await createUser(t);
    const res = await login(a.base, user.email, FACTORY_PASSWORD);
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const me = await fetch(`${b.base}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(user.id);
  });

  it('counts failed logins across both instances', async () => {
    if (!ready) return;
    const user = await createUser(t);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await login(i % 2 ? a.base : b.base, user.email, 'wrong-password')).status);
    expect(statuses.every((s) => s === 401 || s === 400)).toBe(true);
    const blockedA = await login(a.base, user.email, FACTORY_PASSWORD);
    const blockedB = await login(b.base, user.email, FACTORY_PASSWORD);
    expect([blockedA.status, blockedB.status]).toEqual([429, 429]);
    expect(Number(blockedB.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('keeps an admin session made on one instance valid on the other', async () => {
    if (!ready) return;
    const admin = await createUser(t, { isSuperuser: true, isStaff: true });
    const form = new URLSearchParams({ email: admin.email, password: FACTORY_PASSWORD });
    const res = await fetch(`${a.base}/admin/login`, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const onB = await fetch(`${b.base}/admin/api/resources/User/actions/list`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(onB.status).toBe(200);
    const anonymous = await fetch(`${b.base}/admin/api/resources/User/actions/list`, {
      redirect: 'manual',
    });
    expect(anonymous.status).not.toBe(200);
  });
});
