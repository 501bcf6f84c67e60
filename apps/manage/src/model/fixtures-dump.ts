import type pg from 'pg';
import { qualified, quote, type EntityTable, type Field } from './entity-tables.js';
import {
  columnInfo,
  columnsOf,
  dumpedFields,
  fromText,
  type ColumnInfo,
  type FixtureRecord,
} from './fixtures.js';

// Dumping: every row of the tables as fixture records, values exact.

function selectExpression(column: string, info: ColumnInfo): string {
  const c = `t.${quote(column)}`;
  switch (info.dataType) {
    case 'timestamp with time zone':
      return `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case 'timestamp without time zone':
      return `to_char(${c}, 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    case 'date':
      return `to_char(${c}, 'YYYY-MM-DD')`;
    case 'bytea':
      return `encode(${c}, 'hex')`;
    case 'ARRAY':
      return `to_json(${c})::text`;
    default:
      return c;
  }
}

export interface DumpOptions {
  includeSecrets: boolean;
  /** Write references to entities with a natural key as that key. */
  natural: boolean;
  batchSize?: number;
}

/**
 * Yields every row of the tables, in their order then by primary key, from one consistent
 * snapshot. Soft-deleted rows included: this is the database, not the API.
 */
export async function* dumpRecords(
  client: pg.Client,
  tables: EntityTable[],
  all: EntityTable[],
  options: DumpOptions,
): AsyncGenerator<FixtureRecord> {
  const byName = new Map(all.map((t) => [t.name, t]));
  const info = await columnsOf(client, tables);
  const batch = options.batchSize ?? 5000;
  await client.query('begin isolation level repeatable read read only');
  try {
    for (const table of tables) {
      const columns = info.get(table.name)!;
      const fields = dumpedFields(table, columns, options.includeSecrets);
      const select: string[] = [];
      const readers = new Map<Field, (row: string[]) => unknown>();
      for (const field of fields) {
        const target = field.target ? byName.get(field.target) : undefined;
        if (
          options.natural &&
          target?.naturalKey &&
          target.primaryKey.length === 1 &&
          target.primaryKey[0].columns.length === field.columns.length
        ) {
          const on = field.columns
            .map((c, i) => `n.${quote(target.primaryKey[0].columns[i])} = t.${quote(c)}`)
            .join(' and ');
          const key = target.naturalKey.flatMap((f) => f.columns.map((c) => `n.${quote(c)}`));
          const at = select.push(
            `(select json_build_array(${key.join(', ')})::text from ${qualified(target)} n where ${on})`,
          );
          readers.set(field, (row) => (row[at - 1] === null ? null : JSON.parse(row[at - 1])));
          continue;
        }
        const positions = field.columns.map((c) => {
          const ci = columnInfo(columns, table, c);
          return [select.push(selectExpression(c, ci)) - 1, ci] as const;
        });
        readers.set(field, (row) => {
          const values = positions.map(([i, ci]) => fromText(row[i], ci));
          return values.length === 1 ? values[0] : values;
        });
      }
      const pkFields = table.primaryKey;
      const order = pkFields.flatMap((f) => f.columns.map((c) => `t.${quote(c)}`)).join(', ');
      for (let offset = 0; ; offset += batch) {
        const { rows } = await client.query<string[]>({
          text: `select ${select.join(', ')} from ${qualified(table)} t order by ${order} limit ${batch} offset ${offset}`,
          rowMode: 'array',
        });
        for (const row of rows) {
          const values = new Map(fields.map((f) => [f, readers.get(f)!(row)]));
          const pk = pkFields.map((f) => values.get(f));
          const record: FixtureRecord = {
            model: table.name,
            pk: pk.length === 1 ? pk[0] : pk,
            fields: {},
          };
          for (const f of fields) if (!f.primary) record.fields[f.property] = values.get(f);
          yield record;
        }
        if (rows.length < batch) break;
      }
    }
  } finally {
    await client.query('commit');
  }
}
