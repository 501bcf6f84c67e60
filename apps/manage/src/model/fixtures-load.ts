import { randomBytes } from 'node:crypto';
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

// Loading: upserting fixture records, references first, natural keys resolved.

function toParameter(value: unknown, info: ColumnInfo): unknown {
  if (value === null || value === undefined) return null;
  switch (info.dataType) {
    case 'bytea':
      return Buffer.from(String(value), 'base64');
    case 'json':
    case 'jsonb':
      return JSON.stringify(value);
    default:
      return value;
  }
}

/** Django's "unusable password": no hash starts with `!`, so no password ever matches it. */
function unusable(): string {
  return `!${randomBytes(20).toString('base64url')}`;
}

function parseFixture(data: unknown): FixtureRecord[] {
  if (!Array.isArray(data)) throw new Error('A fixture is a JSON array of { model, pk, fields }.');
  return data.map((r: unknown, i) => {
    const record = r as Partial<FixtureRecord> | null;
    if (
      !record ||
      typeof record.model !== 'string' ||
      record.pk === undefined ||
      typeof record.fields !== 'object' ||
      record.fields === null ||
      Array.isArray(record.fields)
    ) {
      throw new Error(`Fixture item ${i}: expected { model, pk, fields }.`);
    }
    return record as FixtureRecord;
  });
}

/**
 * Upserts a fixture (by primary key), referenced tables first, inside the caller's transaction.
 * Columns a record leaves out keep their value on update; on insert, a secret NOT NULL column
 * (a password dumped without --include-secrets) gets an unusable value. Returns the row count.
 */
export async function loadRecords(
  client: pg.Client,
  data: unknown,
  all: EntityTable[],
): Promise<number> {
  const records = parseFixture(data);
  const byName = new Map(all.map((t) => [t.name, t]));
  const byLower = new Map(
    all.flatMap((t) => [
      [t.name.toLowerCase(), t],
      [t.tableName.toLowerCase(), t],
    ]),
  );
  const groups = new Map<EntityTable, FixtureRecord[]>();
  for (const record of records) {
    const table = byName.get(record.model) ?? byLower.get(record.model.toLowerCase());
    if (!table) {
      throw new Error(
        `Unknown model "${record.model}". Known: ${all.map((t) => t.name).join(', ')}.`,
      );
    }
    groups.set(table, [...(groups.get(table) ?? []), record]);
  }
  const tables = all.filter((t) => groups.has(t));
  const info = await columnsOf(client, tables);
  const naturalCache = new Map<string, unknown>();

  const resolveNatural = async (target: EntityTable, key: unknown[]): Promise<unknown> => {
    const cacheKey = `${target.name}:${JSON.stringify(key)}`;
    if (naturalCache.has(cacheKey)) return naturalCache.get(cacheKey);
    const keyColumns = target.naturalKey!.flatMap((f) => f.columns);
    const pkColumns = target.primaryKey[0].columns;
    const { rows } = await client.query<string[]>({
      text: `select ${pkColumns.map(quote).join(', ')} from ${qualified(target)} where ${keyColumns
        .map((c, i) => `${quote(c)} = $${i + 1}`)
        .join(' and ')}`,
      values: key,
      rowMode: 'array',
    });
    if (rows.length !== 1) {
      throw new Error(`No ${target.name} with natural key ${JSON.stringify(key)}.`);
    }
    const targetColumns =
      info.get(target.name) ?? (await columnsOf(client, [target])).get(target.name)!;
    const values = pkColumns.map((c, i) =>
      fromText(rows[0][i], columnInfo(targetColumns, target, c)),
    );
    const pk = values.length === 1 ? values[0] : values;
    naturalCache.set(cacheKey, pk);
    return pk;
  };

  let count = 0;
  for (const table of tables) {
    const columns = info.get(table.name)!;
    const fieldsByName = new Map(table.fields.map((f) => [f.property, f]));
    const loadable = new Set(dumpedFields(table, columns, true));
    // Rows are grouped by the set of fields they carry: one statement shape per group.
    const shapes = new Map<string, { fields: Field[]; rows: unknown[][] }>();
    for (const record of groups.get(table)!) {
      const fields = [...table.primaryKey];
      for (const name of Object.keys(record.fields)) {
        const field = fieldsByName.get(name);
        if (!field || field.primary || !loadable.has(field)) {
          throw new Error(`${table.name} has no loadable field "${name}".`);
        }
        fields.push(field);
      }
      const pk = table.primaryKey.length === 1 ? [record.pk] : (record.pk as unknown[]);
      if (!Array.isArray(pk) || pk.length !== table.primaryKey.length) {
        throw new Error(`${table.name}: malformed pk ${JSON.stringify(record.pk)}.`);
      }
      const values: unknown[] = [
        ...pk,
        ...fields.slice(table.primaryKey.length).map((f) => record.fields[f.property]),
      ];
      const signature = fields.map((f) => f.property).join(',');
      const shape = shapes.get(signature) ?? { fields, rows: [] };
      shape.rows.push(values);
      shapes.set(signature, shape);
    }

    for (const { fields, rows } of shapes.values()) {
      // Secret NOT NULL columns the fixture left out: an unusable value on insert only.
      const given = new Set(fields.flatMap((f) => f.columns));
      const fillers = table.fields
        .filter((f) => f.secret && !f.target && loadable.has(f))
        .flatMap((f) => f.columns)
        .filter((c) => {
          const ci = columnInfo(columns, table, c);
          return !given.has(c) && !ci.nullable && !ci.hasDefault;
        });
      const targetColumns = [...fields.flatMap((f) => f.columns), ...fillers];
      const params: unknown[] = [];
      const tuples: string[] = [];
      const flush = async () => {
        if (!tuples.length) return;
        const conflict = table.primaryKey
          .flatMap((f) => f.columns)
          .map(quote)
          .join(', ');
        const updates = fields
          .filter((f) => !f.primary)
          .flatMap((f) => f.columns)
          .map((c) => `${quote(c)} = excluded.${quote(c)}`);
        const overriding = targetColumns.some(
          (c) => columnInfo(columns, table, c).identity === 'ALWAYS',
        )
          ? ' overriding system value'
          : '';
        await client.query(
          `insert into ${qualified(table)} (${targetColumns.map(quote).join(', ')})${overriding} values ${tuples.join(', ')} on conflict (${conflict}) ${
            updates.length ? `do update set ${updates.join(', ')}` : 'do nothing'
          }`,
          params,
        );
        params.length = 0;
        tuples.length = 0;
      };
      for (const row of rows) {
        const placeholders: string[] = [];
        for (let i = 0; i < fields.length; i++) {
          const field = fields[i];
          let value = row[i];
          const target = field.target ? byName.get(field.target) : undefined;
          if (
            target?.naturalKey &&
            target.primaryKey.length === 1 &&
            !(target.primaryKey[0].columns.length > 1) &&
            Array.isArray(value)
          ) {
            value = await resolveNatural(target, value);
          }
          const parts =
            field.columns.length === 1
              ? [value]
              : ((value as unknown[] | null) ?? field.columns.map(() => null));
          if (!Array.isArray(parts) || parts.length !== field.columns.length) {
            throw new Error(
              `${table.name}.${field.property}: expected ${field.columns.length} values.`,
            );
          }
          field.columns.forEach((c, j) => {
            params.push(toParameter(parts[j], columnInfo(columns, table, c)));
            placeholders.push(`$${params.length}`);
          });
        }
        for (const _ of fillers) {
          params.push(unusable());
          placeholders.push(`$${params.length}`);
        }
        tuples.push(`(${placeholders.join(', ')})`);
        count++;
        if (params.length > 30000) await flush();
      }
      await flush();
    }

    // Explicit ids do not advance sequences: bring them past the loaded rows (Django does too).
    for (const field of table.fields) {
      for (const c of field.columns) {
        const ci = columns.get(c);
        if (!ci || !(ci.serial || ci.identity)) continue;
        await client.query(
          `select setval(pg_get_serial_sequence($1, $2), coalesce(max(${quote(c)}), 1), max(${quote(c)}) is not null) from ${qualified(table)}`,
          [
            table.schema
              ? `${quote(table.schema)}.${quote(table.tableName)}`
              : quote(table.tableName),
            c,
          ],
        );
      }
    }
  }
  return count;
}
