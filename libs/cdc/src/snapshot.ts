import pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { TableEvents, TextRow } from './envelope.js';
import { RAW_TYPES, TEXT_OPTIONS } from './replication.js';

/**
 * A transaction that sees the database exactly as the slot's exported snapshot does: every
 * transaction committed before the slot's consistent point, none after. Rows are read through
 * a cursor, so a large table never sits in memory.
 */
export class SnapshotReader {
  private constructor(
    private readonly client: pg.Client,
    /** The snapshot transaction's id (Debezium's `txId` for read events). */
    readonly txId: bigint,
  ) {}

  static async open(url: string, snapshotName: string): Promise<SnapshotReader> {
    const client = new pg.Client({
      connectionString: url,
      types: RAW_TYPES,
      options: TEXT_OPTIONS,
    });
    client.on('error', () => undefined); // surfaces as the failing query's error
    await client.connect();
    try {
      await client.query('begin isolation level repeatable read read only');
      await client.query(`set transaction snapshot ${client.escapeLiteral(snapshotName)}`);
      const { rows } = await client.query<{ xid: string }>(
        'select pg_current_xact_id()::text as xid',
      );
      return new SnapshotReader(client, BigInt(rows[0].xid));
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** The table's rows (only the columns that are sent), as text. */
  rows(events: TableEvents): AsyncIterable<TextRow> {
    const c = this.client;
    const columns = events.columns.map((col) => c.escapeIdentifier(col.name)).join(', ');
    const table = `${c.escapeIdentifier(events.table.schema)}.${c.escapeIdentifier(events.table.name)}`;
    return c.query(new QueryStream(`select ${columns} from ${table}`, [], { batchSize: 1000 }));
  }

  async close(): Promise<void> {
    await this.client.query('commit').catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }
}
