import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, REPO_ROOT } from '#porch/core';

export const SERVER_MAIN = join(REPO_ROOT, 'dist/apps/api/src/main.js');
/** The built server exists (`npm test` builds it first). */
export const serverBuilt = existsSync(SERVER_MAIN);

export interface ServerProcess {
  base: string;
  proc: ChildProcess;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then waits for the exit; resolves with the exit code or signal. */
  stop(): Promise<number | string | null>;
}

/** Starts `node dist/apps/api/src/main.js` as `npm start` does, stdout piped, and waits for ready. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, [SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | string | null>((done) =>
    proc.once('exit', (code, signal) => done(code ?? signal)),
  );
  const server: ServerProcess = {
    base: `http://127.0.0.1:${port}`,
    proc,
    stdout: () => out,
    stderr: () => err,
    stop: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
  for (let i = 0; i < 1200; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${err}${out}`);
    const ok = await fetch(`${server.base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return server;
    await sleep(100);
  }
  await server.stop();
  throw new Error(`server not ready: ${err}${out}`);
}
