/**
 * Django-style fixtures (`dumpdata`/`loaddata`): what the dump (fixtures-dump.ts) and the load
 * (fixtures-load.ts) share — the record format, the connection and what the database says about
 * each column.
 */
import pg from 'pg';
import type { EntityTable, Field } from './entity-tables.js';

/** One row in Django's fixture format. */
export interface FixtureRecord {
  model: string;
  pk: unknown;
  fields: Record<string, unknown>;
}

/** What the database says about a column (the truth the values are converted by). */
export interface ColumnInfo {
  dataType: string;
  nullable: boolean;
  hasDefault: boolean;
  identity?: 'ALWAYS' | 'BY DEFAULT';
  serial: boolean;
  computed: boolean;
}

export type Columns = Map<string, ColumnInfo>;

/**
 * A plain `pg` connection that hands every value over as PostgreSQL's text, so the JSON is
 * exact: timestamps to the microsecond, bigints and numerics without rounding.
 */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser: (() => (value: string) => value) as typeof pg.types.getTypeParser },
  });
  await client.connect();
  return client;
}

export async function columnsOf(
  client: pg.Client,
  tables: EntityTable[],
): Promise<Map<string, Columns>> {
  const { rows } = await client.query<{
    table_schema: string;
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
    identity_generation: string | null;
    is_generated: string;
  }>(
    `select table_schema, table_name, column_name, data_type, is_nullable, column_default,
            is_identity, identity_generation, is_generated
       from information_schema.columns
      where table_name = any($1) and table_schema = any($2)`,
    [tables.map((t) => t.tableName), [...new Set(tables.map((t) => t.schema ?? 'public'))]],
  );
  const result = new Map<string, Columns>();
  for (const table of tables) {
    const columns: Columns = new Map();
    for (const r of rows) {
      if (r.table_name !== table.tableName || r.table_schema !== (table.schema ?? 'public'))
        continue;
      columns.set(r.column_name, {
        dataType: r.data_type,
        nullable: r.is_nullable === 'YES',
        hasDefault: r.column_default !== null || r.is_identity === 'YES',
        identity: r.is_identity === 'YES' ? (r.identity_generation as 'ALWAYS') : undefined,
        serial: r.column_default?.startsWith('nextval(') ?? false,
        computed: r.is_generated === 'ALWAYS',
      });
    }
    if (!columns.size) {
      throw new Error(
        `Table ${table.tableName} (${table.name}) does not exist: run migrate first.`,
      );
    }
    result.set(table.name, columns);
  }
  return result;
}

export function columnInfo(columns: Columns, table: EntityTable, column: string): ColumnInfo {
  const info = columns.get(column);
  if (!info) throw new Error(`${table.name}: column ${column} is missing: run migrate first.`);
  return info;
}

/** The fields a fixture carries: persisted, not computed, secrets only when asked for. */
export function dumpedFields(table: EntityTable, columns: Columns, secrets: boolean): Field[] {
  return table.fields.filter(
    (f) =>
      !f.generated &&
      (secrets || !f.secret) &&
      !f.columns.some((c) => columnInfo(columns, table, c).computed),
  );
}

/** A column's text (as `connect` hands it over, or `selectExpression` made it) → its JSON value. */
export function fromText(text: string | null, info: ColumnInfo): unknown {
  if (text === null) return null;
  switch (info.dataType) {
    case 'boolean':
      return text === 't';
    case 'smallint':
    case 'integer':
      return Number(text);
    case 'real':
    case 'double precision': {
      const n = Number(text);
      return Number.isFinite(n) ? n : text;
    }
    case 'json':
    case 'jsonb':
    case 'ARRAY':
      return JSON.parse(text);
    case 'bytea':
      return Buffer.from(text, 'hex').toString('base64');
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      // Milliseconds when that is all there is (what JavaScript dates hold), else microseconds.
      return text.replace(/\.(\d{3})000(Z?)$/, '.$1$2');
    default:
      // bigint and numeric stay strings: exact.
      return text;
  }
}
