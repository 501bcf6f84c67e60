import { spawn, spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '#porch/core';

export interface OwnRedis {
  url: string;
  stop(): Promise<void>;
}

const answers = (port: number) =>
  new Promise<boolean>((done) => {
    const s = new Socket();
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
    s.connect(port, '127.0.0.1');
  });

/**
 * A Redis of this test's own (never the machine's shared one): `redis-server` on a free port,
 * nothing persisted. Undefined when no `redis-server` is installed.
 */
export async function startRedis(): Promise<OwnRedis | undefined> {
  if (spawnSync('redis-server', ['--version']).status !== 0) return undefined;
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && !(await answers(port)); i++) await sleep(50);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
      }),
  };
}
