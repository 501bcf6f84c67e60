import { Redis } from 'ioredis';
import pg from 'pg';
import type { CdcSettings } from './cdc-settings.js';
import { readOffset, type Offset } from './offset-store.js';
import { CdcFatalError } from './redis-sink.js';

export interface CdcStatus {
  walLevel: string;
  slot: {
    name: string;
    active: boolean;
    activePid: number | null;
    confirmedFlushLsn: string | null;
    restartLsn: string | null;
    walStatus: string | null;
    /** WAL written since the slot's confirmed position: what the worker has still to stream. */
    lagBytes: number;
    /** WAL the slot keeps on the server's disk (from its restart position). */
    retainedBytes: number;
    /** Bytes left before max_slot_wal_keep_size invalidates the slot; null: no limit. */
    safeWalSizeBytes: number | null;
  } | null;
  publication: { name: string; tables: string[] } | null;
  offset: Offset | null;
  /** Seconds between the last written transaction's commit and its write. */
  lagSeconds: number | null;
  /** Seconds since the worker last wrote. */
  lastWriteSecondsAgo: number | null;
  streams: { stream: string; length: number }[];
}

/** One decoded stream entry, as `cdc tail` prints it. */
export interface TailEvent {
  id: string;
  key: unknown;
  /** The whole envelope; null for a tombstone. */
  value: { schema: unknown; payload: Record<string, unknown> } | null;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // A connection PostgreSQL drops (restart, failover) fails the query; unheard, its 'error'
  // would end the process (the worker, which reads its lag this way at each metrics scrape).
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const parseJson = (text: string): unknown => (text === 'default' ? null : JSON.parse(text));

/** `manage cdc status | tail | drop-slot`: what an operator asks of the worker's state. */
export class CdcAdmin {
  constructor(private readonly settings: CdcSettings) {}

  private redis(): Redis {
    if (!this.settings.redisUrl)
      throw new CdcFatalError('set CDC_REDIS_URL (or REDIS_URL): the change streams live in Redis');
    return new Redis(this.settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  async status(): Promise<CdcStatus> {
    const s = this.settings;
    const pgPart = await withClient(s.databaseUrl, async (c) => {
      const wal = await c.query<{ wal_level: string }>(
        "select current_setting('wal_level') as wal_level",
      );
      const slot = await c.query<NonNullable<CdcStatus['slot']>>(
        `select slot_name as name, active, active_pid as "activePid",
                confirmed_flush_lsn::text as "confirmedFlushLsn", restart_lsn::text as "restartLsn",
                wal_status as "walStatus",
                coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::float8 as "lagBytes",
                coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::float8 as "retainedBytes",
                safe_wal_size::float8 as "safeWalSizeBytes"
           from pg_replication_slots where slot_name = $1`,
        [s.slot],
      );
      const publication = await c.query<{ table: string }>(
        "select schemaname || '.' || tablename as table from pg_publication_tables where pubname = $1 order by 1",
        [s.publication],
      );
      const exists = await c.query('select 1 from pg_publication where pubname = $1', [
        s.publication,
      ]);
      return {
        walLevel: wal.rows[0].wal_level,
        slot: slot.rows[0] ?? null,
        publication: exists.rowCount
          ? { name: s.publication, tables: publication.rows.map((r) => r.table) }
          : null,
      };
    });
    const redis = this.redis();
    try {
      await redis.connect();
      const offset = await readOffset(redis, s.offsetKey);
      const streams: CdcStatus['streams'] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${s.prefix}.*`,
          'COUNT',
          1000,
          'TYPE',
          'stream',
        );
        cursor = next;
        for (const stream of keys) streams.push({ stream, length: await redis.xlen(stream) });
      } while (cursor !== '0' && streams.length < 500);
      streams.sort((a, b) => a.stream.localeCompare(b.stream));
      const written = offset?.writtenAtMs || null;
      const committed =
        offset && offset.commitTimeUs > 0n ? Number(offset.commitTimeUs / 1000n) : null;
      return {
        ...pgPart,
        offset,
        lagSeconds: written && committed ? Math.max(0, (written - committed) / 1000) : null,
        lastWriteSecondsAgo: written ? (Date.now() - written) / 1000 : null,
        streams,
      };
    } finally {
      redis.disconnect();
    }
  }

  /**
   * The worker's lag, cheaply enough for every metrics scrape: WAL bytes past the slot's
   * confirmed position (one query), and the seconds from the last written transaction's commit
   * to its write (the offset in Redis; 0 when nothing was written yet).
   */
  async lag(): Promise<{ slot: string; bytes: number; seconds: number }> {
    const s = this.settings;
    const bytes = await withClient(s.databaseUrl, async (c) => {
      const { rows } = await c.query<{ lag: number }>(
        `select coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn), 0)::float8 as lag
           from pg_replication_slots where slot_name = $1`,
        [s.slot],
      );
      return rows[0]?.lag ?? 0;
    });
    const redis = this.redis();
    try {
      await redis.connect();
      const offset = await readOffset(redis, s.offsetKey);
      const written = offset?.writtenAtMs || 0;
      const committed =
        offset && offset.commitTimeUs > 0n ? Number(offset.commitTimeUs / 1000n) : 0;
      return {
        slot: s.slot,
        bytes,
        seconds: written && committed ? Math.max(0, (written - committed) / 1000) : 0,
      };
    } finally {
      redis.disconnect();
    }
  }

  /** The stream key of a table name (`users` or `public.users`). */
  streamOf(table: string): string {
    return `${this.settings.prefix}.${table.includes('.') ? table : `public.${table}`}`;
  }

  /**
   * Calls `onEvent` for each entry of the table's stream as it arrives (from the start with
   * `fromStart`), until `count` entries or until `signal` aborts.
   */
  async tail(
    table: string,
    options: { fromStart?: boolean; count?: number; signal?: AbortSignal },
    onEvent: (event: TailEvent) => void,
  ): Promise<number> {
    const stream = this.streamOf(table);
    const redis = this.redis();
    const abort = () => redis.disconnect();
    options.signal?.addEventListener('abort', abort);
    let seen = 0;
    try {
      await redis.connect();
      let last = options.fromStart ? '0' : '$';
      while (!options.signal?.aborted && (options.count === undefined || seen < options.count)) {
        const reply = await redis
          .xread('COUNT', 100, 'BLOCK', 5000, 'STREAMS', stream, last)
          .catch((e: Error) => {
            if (options.signal?.aborted) return null;
            throw e;
          });
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            last = id;
            const map =
              this.settings.messageFormat === 'compact'
                ? { key: fields[0], value: fields[1] }
                : Object.fromEntries(chunk(fields));
            onEvent({
              id,
              key: parseJson(map.key),
              value: parseJson(map.value) as TailEvent['value'],
            });
            if (options.count !== undefined && ++seen >= options.count) return seen;
          }
        }
      }
      return seen;
    } finally {
      options.signal?.removeEventListener('abort', abort);
      redis.disconnect();
    }
  }

  /** Drops the slot (so PostgreSQL keeps no more WAL for it) and the stored offset. */
  async dropSlot(options: { publication?: boolean } = {}): Promise<string[]> {
    const s = this.settings;
    const done: string[] = [];
    await withClient(s.databaseUrl, async (c) => {
      const worker = await c.query<{ pid: number }>(
        'select pid from pg_stat_activity where application_name = $1',
        [`porch-cdc:${s.slot}`],
      );
      if (worker.rowCount)
        throw new CdcFatalError(
          `a CDC worker is running on slot "${s.slot}" (PostgreSQL backend ${worker.rows[0].pid}): stop it first`,
        );
      const slot = await c.query<{ active: boolean; active_pid: number | null }>(
        'select active, active_pid from pg_replication_slots where slot_name = $1',
        [s.slot],
      );
      if (slot.rows[0]?.active)
        throw new CdcFatalError(
          `slot "${s.slot}" is in use by PostgreSQL backend ${slot.rows[0].active_pid}: stop that client first`,
        );
      if (slot.rowCount) {
        await c.query('select pg_drop_replication_slot($1)', [s.slot]);
        done.push(`dropped replication slot "${s.slot}"`);
      } else done.push(`no replication slot "${s.slot}"`);
      if (options.publication) {
        await c.query(`drop publication if exists ${c.escapeIdentifier(s.publication)}`);
        done.push(`dropped publication ${s.publication}`);
      }
    });
    if (s.redisUrl) {
      const redis = this.redis();
      try {
        await redis.connect();
        if (await redis.del(s.offsetKey))
          done.push(
            `deleted the stored offset ${s.offsetKey} (the next start takes a new snapshot)`,
          );
      } finally {
        redis.disconnect();
      }
    }
    return done;
  }
}

function chunk(fields: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i], fields[i + 1]]);
  return pairs;
}
