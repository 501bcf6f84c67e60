import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery } from '#porch/core';

/** One page of a list query, as its parts: `select <columns> from <from> order by <orderBy>`. */
export interface PageSql {
  columns: string;
  /** Tables, joins and the where clause. */
  from: string;
  params: unknown[];
  orderBy: string;
}

/**
 * A page and the total in one statement (`count(*) over()`), mapped straight from rows. Only a
 * page past the end (no row to carry the total) costs a second, count-only query.
 */
export async function queryPage<R extends object>(
  em: EntityManager,
  sql: PageSql,
  page: { limit: number; offset: number },
): Promise<{ count: number; rows: R[] }> {
  const rows = await rawQuery<R & { total: number }>(
    em,
    `select ${sql.columns}, count(*) over()::int as total from ${sql.from} order by ${sql.orderBy} limit ? offset ?`,
    [...sql.params, page.limit, page.offset],
  );
  if (rows.length) return { count: rows[0]!.total, rows };
  if (page.offset === 0) return { count: 0, rows: [] };
  const [row] = await rawQuery<{ total: number }>(
    em,
    `select count(*)::int as total from ${sql.from}`,
    sql.params,
  );
  return { count: row?.total ?? 0, rows: [] };
}

/** A `LIKE` pattern matching `term` anywhere, with `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A raw timestamp as MikroORM's pg connection returns it (text, `2026-11-22 20:00:00+00`). */
export type RawTimestamp = string | Date;

/** Parses a raw timestamp (ISO-normalized first, so parsing does not rest on engine leniency). */
export function timestamp(value: RawTimestamp): Date {
  if (value instanceof Date) return value;
  return new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

export function timestampOrNull(value: RawTimestamp | null): Date | null {
  return value === null ? null : timestamp(value);
}
