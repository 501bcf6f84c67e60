import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import pg from 'pg';
import type { TestApp } from '../utils/test-app.js';

/** Ends every other session on the test's database, as a failover or an idle-connection kill does. */
export async function terminateBackends(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    // In the select list, not the WHERE clause: there the order of evaluation is the
    // planner's, and this session could end itself.
    const { rows } = await client.query<{ application_name: string; state: string }>(
      `select application_name, state, pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`,
    );
    return rows.map((r) => `${r.application_name || 'orm'}:${r.state}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A GET whose body the caller reads when it wants (backpressure holds the server's cursor). */
export function slowGet(
  t: TestApp,
  path: string,
  auth: string,
): Promise<{ res: IncomingMessage; drain: () => Promise<{ text: string; complete: boolean }> }> {
  const { port } = (t.app.getHttpServer() as Server).address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, headers: { authorization: auth } }, (res) => {
      res.pause();
      const drain = () =>
        new Promise<{ text: string; complete: boolean }>((done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.once('end', () => done({ text: Buffer.concat(chunks).toString(), complete: true }));
          res.once('error', () =>
            done({ text: Buffer.concat(chunks).toString(), complete: false }),
          );
          res.once('aborted', () =>
            done({ text: Buffer.concat(chunks).toString(), complete: false }),
          );
          res.resume();
        });
      resolve({ res, drain });
    });
    req.on('error', reject);
  });
}

/** What a batch of requests answered: counts per status, and the 503s' headers checked. */
export class Tally {
  readonly statuses = new Map<number, number>();
  readonly problems: string[] = [];

  add(res: { status: number; headers: Record<string, string | string[] | undefined> }): void {
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    if (res.status === 503) {
      if (!/application\/problem\+json/.test(String(res.headers['content-type'])))
        this.problems.push('503 without problem+json');
      if (!(Number(res.headers['retry-after']) > 0)) this.problems.push('503 without Retry-After');
    }
  }

  count(status: number): number {
    return this.statuses.get(status) ?? 0;
  }

  /** Statuses other than those allowed, e.g. any 500. */
  unexpected(allowed: number[]): Record<number, number> {
    return Object.fromEntries([...this.statuses].filter(([s]) => !allowed.includes(s)));
  }

  toString(): string {
    return [...this.statuses].map(([s, n]) => `${s}×${n}`).join(' ');
  }
}
