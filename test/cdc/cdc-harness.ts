// What the CDC suites share: a PostgreSQL of their own with wal_level=logical (whatever
// DATABASE_URL says: CI's second run points it at a server with wal_level=replica), the
// machine's Redis under a prefix unique to the run, and readers for what the worker wrote.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { loadConfig, startEmbeddedPostgres, type EmbeddedDatabase } from '#porch/core';
import { cdcSettings, CdcWorker, type CdcSettings } from '#porch/cdc';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export function redisAnswers(): Promise<boolean> {
  return new Promise((done) => {
    const s = new Socket();
    s.setTimeout(500);
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
    s.once('timeout', () => (s.destroy(), done(false)));
    s.connect(6379, '127.0.0.1');
  });
}

/**
 * An embedded PostgreSQL with wal_level=logical for this test file, made the server that
 * `createTestDatabase()` / `createTestApp()` use (restore with the returned function).
 */
export async function logicalPostgres(): Promise<{
  db: EmbeddedDatabase;
  restore: () => Promise<void>;
}> {
  const db = await startEmbeddedPostgres({
    dataDir: join(tmpdir(), `porch-cdc-${process.pid}-${randomBytes(3).toString('hex')}`),
    database: 'postgres',
    ephemeral: true,
  });
  const saved = process.env.PORCH_TEST_ADMIN_URL;
  process.env.PORCH_TEST_ADMIN_URL = db.url;
  return {
    db,
    restore: async () => {
      process.env.PORCH_TEST_ADMIN_URL = saved;
      await db.stop();
    },
  };
}

/** A stream prefix no other run (or helper) shares. */
export const uniquePrefix = (tag: string) =>
  `cdct${tag}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** The CDC_* environment of a worker writing under `prefix` to the machine's Redis. */
export const cdcEnv = (
  databaseUrl: string,
  prefix: string,
  extra: Record<string, string> = {},
) => ({
  DATABASE_URL: databaseUrl,
  REDIS_URL,
  CDC_TOPIC_PREFIX: prefix,
  CDC_HEARTBEAT_SECONDS: '1',
  ...extra,
});

export function settingsFor(env: Record<string, string>): CdcSettings {
  return cdcSettings(loadConfig({ ...env, NODE_ENV: 'test' }), env.DATABASE_URL);
}

/** A worker in this process (its logs kept for failure messages). */
export function inProcessWorker(env: Record<string, string>) {
  const logs: string[] = [];
  const log = (level: string) => (m: string) => logs.push(`${level} ${m}`);
  const worker = new CdcWorker(settingsFor(env), 'test', {
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  });
  const running = worker.run().catch((e: Error) => {
    logs.push(`fatal ${e.message}`);
    throw e;
  });
  running.catch(() => undefined);
  return { worker, logs, running };
}

export interface StreamEvent {
  id: string;
  stream: string;
  /** The key's payload (the primary key), null for a table without one. */
  key: Record<string, unknown> | null;
  keyJson: string;
  /** The raw value as stored ("default" for a tombstone). */
  raw: string;
  value: Envelope | null;
}

export interface Envelope {
  schema: { fields: { field: string; fields?: { field: string }[] }[]; name: string };
  payload: {
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    source: Record<string, unknown> & {
      lsn: number;
      txId: number | null;
      snapshot: string;
      sequence: string;
      table: string;
    };
    op: 'c' | 'u' | 'd' | 'r' | 't';
    ts_ms: number;
  };
}

/** Every entry of a stream, oldest first (compact format: one field, key → value). */
export async function readStream(redis: Redis, stream: string): Promise<StreamEvent[]> {
  const entries = await redis.xrange(stream, '-', '+');
  return entries.map(([id, fields]) => {
    expect(fields).toHaveLength(2); // Debezium Server's compact format
    const [keyJson, raw] = fields;
    const key =
      keyJson === 'default'
        ? null
        : (JSON.parse(keyJson) as { payload: Record<string, unknown> }).payload;
    return {
      id,
      stream,
      key,
      keyJson,
      raw,
      value: raw === 'default' ? null : (JSON.parse(raw) as Envelope),
    };
  });
}

/** Every stream of a prefix, entries oldest first per stream. */
export async function readAllStreams(redis: Redis, prefix: string): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}.*`,
      'COUNT',
      1000,
      'TYPE',
      'stream',
    );
    cursor = next;
    for (const key of keys) events.push(...(await readStream(redis, key)));
  } while (cursor !== '0');
  return events;
}

/** Deletes this prefix's streams and offsets (the Redis is shared: never FLUSHALL). */
export async function cleanRedis(redis: Redis, prefix: string): Promise<void> {
  for (const pattern of [`${prefix}.*`, `metadata:cdc:${prefix}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  }
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `ms`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  ms = 30_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
