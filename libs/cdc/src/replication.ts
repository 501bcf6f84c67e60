import pg from 'pg';
import { PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import type { TableRef } from './catalog.js';
import { CdcFatalError } from './redis-sink.js';

/**
 * Session settings under which PostgreSQL's text output is what the converters expect, on the
 * replication connection (pgoutput formats values with the walsender's settings) and on the
 * snapshot connection alike.
 */
export const TEXT_OPTIONS =
  '-c TimeZone=UTC -c DateStyle=ISO -c IntervalStyle=iso_8601 -c extra_float_digits=3 -c bytea_output=hex';

/** The same database URL, asking for a logical replication connection. */
export function replicationUrl(url: string): string {
  const u = new URL(url);
  u.searchParams.set('replication', 'database');
  return u.toString();
}

/** Every value as the text PostgreSQL sent (the converters parse it; pg's parsers would lose microseconds). */
export const RAW_TYPES = { getTypeParser: () => (value: string) => value };

/**
 * The library's pgoutput decoder, handing column values over as PostgreSQL's text: its default
 * is node-postgres's global type parsers (timestamps become Dates, losing microseconds). A
 * relation message is decoded before any row of that relation, so the parsers are set in time.
 */
export class TextPgoutputPlugin extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const message = super.parse(buffer);
    if (message.tag === 'relation') {
      for (const column of message.columns) column.parser = (raw: string) => raw;
    }
    return message;
  }
}

export interface SlotInfo {
  plugin: string | null;
  database: string | null;
  active: boolean;
  activePid: number | null;
  confirmedFlushLsn: string | null;
  restartLsn: string | null;
  walStatus: string | null;
}

export async function slotInfo(client: pg.Client, slot: string): Promise<SlotInfo | null> {
  const { rows } = await client.query<SlotInfo>(
    `select plugin, database, active, active_pid as "activePid",
            confirmed_flush_lsn::text as "confirmedFlushLsn", restart_lsn::text as "restartLsn",
            wal_status as "walStatus"
       from pg_replication_slots where slot_name = $1`,
    [slot],
  );
  return rows[0] ?? null;
}

const ident = (client: pg.Client, name: string) => client.escapeIdentifier(name);
const qualified = (client: pg.Client, t: TableRef) =>
  `${ident(client, t.schema)}.${ident(client, t.name)}`;

/** Turns a privilege error into the statement an owner should run instead. */
async function asOwner(client: pg.Client, sql: string, why: string): Promise<void> {
  try {
    await client.query(sql);
  } catch (error) {
    if ((error as { code?: string }).code === '42501')
      throw new CdcFatalError(
        `${why}: the CDC role may not (${(error as Error).message}). As the tables' owner, run:\n  ${sql};`,
      );
    throw error;
  }
}

/** REPLICA IDENTITY FULL on the tables whose consumers need the old row in updates and deletes. */
export async function ensureReplicaIdentity(
  client: pg.Client,
  tables: TableRef[],
  full: Set<string>,
): Promise<string[]> {
  const changed: string[] = [];
  for (const t of tables) {
    if (!full.has(`${t.schema}.${t.name}`) || t.replicaIdentity === 'f') continue;
    await asOwner(
      client,
      `alter table ${qualified(client, t)} replica identity full`,
      `REPLICA IDENTITY FULL on ${t.name}`,
    );
    changed.push(t.name);
  }
  return changed;
}

/** The publication lists exactly the captured tables (created, or brought up to date). */
export async function ensurePublication(
  client: pg.Client,
  name: string,
  tables: TableRef[],
): Promise<'created' | 'updated' | 'unchanged'> {
  if (!tables.length)
    throw new CdcFatalError(
      'no table to capture: check CDC_TABLE_INCLUDE_LIST / CDC_TABLE_EXCLUDE_LIST',
    );
  const list = tables.map((t) => qualified(client, t)).join(', ');
  const existing = await client.query<{ puballtables: boolean }>(
    'select puballtables from pg_publication where pubname = $1',
    [name],
  );
  if (!existing.rowCount) {
    await asOwner(
      client,
      `create publication ${ident(client, name)} for table ${list}`,
      `creating publication ${name}`,
    );
    return 'created';
  }
  const { rows } = await client.query<{ schema: string; name: string }>(
    'select schemaname as schema, tablename as name from pg_publication_tables where pubname = $1',
    [name],
  );
  const have = new Set(rows.map((r) => `${r.schema}.${r.name}`));
  const want = new Set(tables.map((t) => `${t.schema}.${t.name}`));
  if (
    !existing.rows[0].puballtables &&
    have.size === want.size &&
    [...want].every((t) => have.has(t))
  )
    return 'unchanged';
  if (existing.rows[0].puballtables)
    throw new CdcFatalError(
      `publication ${name} is FOR ALL TABLES; drop it or set CDC_PUBLICATION_NAME to another name`,
    );
  await asOwner(
    client,
    `alter publication ${ident(client, name)} set table ${list}`,
    `updating publication ${name}`,
  );
  return 'updated';
}

export interface CreatedSlot {
  consistentPoint: string;
  /** Set when asked to export: valid while `release` has not been called. */
  snapshotName: string | null;
  release(): Promise<void>;
}

/**
 * Creates the durable pgoutput slot on a replication connection. With `exportSnapshot`, the
 * connection stays open (and idle) so that its snapshot, which shows exactly the transactions
 * committed before the slot's consistent point, can be imported by the snapshot reader.
 */
export async function createSlot(
  url: string,
  slot: string,
  exportSnapshot: boolean,
): Promise<CreatedSlot> {
  const client = new pg.Client({ connectionString: replicationUrl(url), options: TEXT_OPTIONS });
  client.on('error', () => undefined); // the snapshot reader reports its own failures
  await client.connect();
  try {
    const { rows } = await client.query<{ consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT ${client.escapeIdentifier(slot)} LOGICAL pgoutput ${exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`,
    );
    const created = {
      consistentPoint: rows[0].consistent_point,
      snapshotName: rows[0].snapshot_name,
      release: () => client.end(),
    };
    if (!exportSnapshot) await created.release();
    return created;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}
