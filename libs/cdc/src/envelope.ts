// Debezium's PostgreSQL change-event envelope, as Kafka's JsonConverter (schemas enabled) writes
// it and Debezium Server's Redis sink stores it: `{schema, payload}` for the key and the value.
import {
  columnCodec,
  int64,
  type ColumnCodec,
  type ConnectSchema,
  type JsonObject,
  type JsonValue,
} from './debezium-types.js';
import type { TableInfo } from './catalog.js';

export type Op = 'c' | 'u' | 'd' | 'r' | 't';
export type SnapshotMarker = 'first' | 'true' | 'last' | 'false';

/** Where an event comes from: the `source` block's varying fields. */
export interface SourcePosition {
  /** Commit time (streaming) or read time (snapshot), microseconds since the epoch. */
  tsUs: bigint;
  snapshot: SnapshotMarker;
  txId: bigint | null;
  /** The change's own LSN (streaming) or the slot's consistent point (snapshot). */
  lsn: bigint;
  /** The end LSN of the previous committed transaction: `sequence`'s first element. */
  lastCommitLsn: bigint | null;
}

/** A row as PostgreSQL sent it: each column's text, null, or undefined when not sent (TOAST). */
export type TextRow = Record<string, string | null | undefined>;

const field = (f: string, s: Omit<ConnectSchema, 'field'>): ConnectSchema => ({ ...s, field: f });

/** Debezium 3.0's `io.debezium.connector.postgresql.Source` schema. */
const SOURCE_SCHEMA: ConnectSchema = {
  type: 'struct',
  fields: [
    field('version', { type: 'string', optional: false }),
    field('connector', { type: 'string', optional: false }),
    field('name', { type: 'string', optional: false }),
    field('ts_ms', { type: 'int64', optional: false }),
    field('snapshot', {
      type: 'string',
      optional: true,
      name: 'io.debezium.data.Enum',
      version: 1,
      parameters: { allowed: 'true,last,false,incremental' },
      default: 'false',
    }),
    field('db', { type: 'string', optional: false }),
    field('sequence', { type: 'string', optional: true }),
    field('ts_us', { type: 'int64', optional: true }),
    field('ts_ns', { type: 'int64', optional: true }),
    field('schema', { type: 'string', optional: false }),
    field('table', { type: 'string', optional: false }),
    field('txId', { type: 'int64', optional: true }),
    field('lsn', { type: 'int64', optional: true }),
    field('xmin', { type: 'int64', optional: true }),
  ],
  optional: false,
  name: 'io.debezium.connector.postgresql.Source',
  field: 'source',
};

const TRANSACTION_SCHEMA: ConnectSchema = {
  type: 'struct',
  fields: [
    field('id', { type: 'string', optional: false }),
    field('total_order', { type: 'int64', optional: false }),
    field('data_collection_order', { type: 'int64', optional: false }),
  ],
  optional: true,
  name: 'event.block',
  version: 1,
  field: 'transaction',
};

interface Column {
  name: string;
  codec: ColumnCodec;
}

/** `Date.now()` minus `performance.now()`: where the monotonic clock's zero is on the wall clock. */
let clockOrigin = Date.now() - performance.now();

/**
 * Wall-clock time in microseconds and nanoseconds, for `ts_ms`/`ts_us`/`ts_ns` (Debezium's
 * `Instant.now()`). The sub-millisecond digits come from the monotonic clock, anchored to the
 * wall clock and re-anchored whenever the two disagree on the millisecond: the monotonic clock
 * alone drifts from the wall clock (NTP slews it, a VM's clock steps), and an event must never
 * be stamped before the commit it reports (`source.ts_ms`, PostgreSQL's wall clock).
 */
export function now(): { us: bigint; ns: bigint } {
  const wall = Date.now();
  let ms = clockOrigin + performance.now();
  if (Math.floor(ms) !== wall) {
    clockOrigin = wall - performance.now();
    ms = wall;
  }
  const ns = BigInt(wall) * 1_000_000n + BigInt(Math.floor((ms - wall) * 1e6));
  return { us: ns / 1000n, ns };
}

/**
 * The events of one captured table: its key and value schemas serialized once (they are the
 * same in every event), rows converted with Debezium's type mapping, secret columns left out.
 */
export class TableEvents {
  readonly stream: string;
  readonly columns: Column[];
  readonly keyColumns: Column[];
  private readonly valueSchemaJson: string;
  private readonly keySchemaJson: string | null;

  constructor(
    readonly table: TableInfo,
    private readonly context: { prefix: string; db: string; version: string },
    sendsColumn: (column: string) => boolean,
  ) {
    const base = `${context.prefix}.${table.schema}.${table.name}`;
    this.stream = base;
    this.columns = table.columns
      .filter((c) => sendsColumn(c.name))
      .map((c) => ({ name: c.name, codec: columnCodec(c) }));
    this.keyColumns = table.primaryKey
      .map((name) => this.columns.find((c) => c.name === name))
      .filter((c): c is Column => c !== undefined);
    const rowSchema = (f: string): ConnectSchema => ({
      type: 'struct',
      fields: this.columns.map((c) => c.codec.schema),
      optional: true,
      name: `${base}.Value`,
      field: f,
    });
    const envelope: ConnectSchema = {
      type: 'struct',
      fields: [
        rowSchema('before'),
        rowSchema('after'),
        SOURCE_SCHEMA,
        TRANSACTION_SCHEMA,
        field('op', { type: 'string', optional: false }),
        field('ts_ms', { type: 'int64', optional: true }),
        field('ts_us', { type: 'int64', optional: true }),
        field('ts_ns', { type: 'int64', optional: true }),
      ],
      optional: false,
      name: `${base}.Envelope`,
      version: 2,
    };
    this.valueSchemaJson = JSON.stringify(envelope);
    this.keySchemaJson = this.keyColumns.length
      ? JSON.stringify({
          type: 'struct',
          fields: this.keyColumns.map((c) => ({ ...c.codec.schema, optional: false })),
          optional: false,
          name: `${base}.Key`,
        })
      : null;
  }

  /**
   * A row's event values, in column order. A column PostgreSQL did not send is an unchanged
   * TOASTed value in a full row (Debezium's placeholder), or simply absent from a key-only row.
   */
  row(text: TextRow, keyOnly = false): JsonObject {
    const out: JsonObject = {};
    for (const { name, codec } of this.columns) {
      const v = text[name];
      out[name] =
        v === undefined
          ? keyOnly
            ? null
            : codec.unavailable
          : v === null
            ? null
            : codec.convert(v);
    }
    return out;
  }

  /** The message key (`{schema, payload}` of the primary key), or null for a table without one. */
  key(row: JsonObject | null): string | null {
    if (!this.keySchemaJson || !row) return null;
    const payload: JsonObject = {};
    for (const { name } of this.keyColumns) payload[name] = row[name] ?? null;
    return `{"schema":${this.keySchemaJson},"payload":${JSON.stringify(payload)}}`;
  }

  /** The message value: the envelope with `before`, `after`, `source` and `op`. */
  value(
    op: Op,
    before: JsonObject | null,
    after: JsonObject | null,
    source: SourcePosition,
  ): string {
    const at = now();
    const sourceUs = source.tsUs;
    const payload: Record<string, JsonValue> = {
      before,
      after,
      source: {
        version: this.context.version,
        connector: 'postgresql',
        name: this.context.prefix,
        ts_ms: int64(sourceUs / 1000n),
        snapshot: source.snapshot,
        db: this.context.db,
        sequence: JSON.stringify([
          source.lastCommitLsn === null ? null : String(source.lastCommitLsn),
          String(source.lsn),
        ]),
        ts_us: int64(sourceUs),
        ts_ns: int64(sourceUs * 1000n),
        schema: this.table.schema,
        table: this.table.name,
        txId: source.txId === null ? null : int64(source.txId),
        lsn: int64(source.lsn),
        xmin: null,
      },
      transaction: null,
      op,
      ts_ms: int64(at.us / 1000n),
      ts_us: int64(at.us),
      ts_ns: int64(at.ns),
    };
    return `{"schema":${this.valueSchemaJson},"payload":${JSON.stringify(payload)}}`;
  }
}

/** Debezium Server's Redis sink fields for one message (a null key or value is "default"). */
export function redisFields(
  format: 'compact' | 'extended',
  key: string | null,
  value: string | null,
): string[] {
  const k = key ?? 'default';
  const v = value ?? 'default';
  return format === 'compact' ? [k, v] : ['key', k, 'value', v];
}
