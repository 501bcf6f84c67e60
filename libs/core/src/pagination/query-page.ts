import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery } from '../database/raw-query.js';
import type { PageOf } from './pagination.js';

/** One page of a list query, as its parts: `select <columns> from <from> order by <orderBy>`. */
export interface PageSql {
  columns: string;
  /** Values of placeholders in `columns`, which come before those of `from`. */
  columnParams?: unknown[];
  /** Tables, joins and the where clause. */
  from: string;
  params: unknown[];
  orderBy: string;
  /**
   * Builds the statement around the page query (given as text, its rows carrying `total`): for
   * joins that should run on the page's rows only, e.g.
   * `(page) => \`with page as (${page}) select …, s.total from page s join … order by …\``.
   */
  around?: (page: string) => string;
}

/**
 * A page and the total in one statement (`count(*) over()`), the rows as they come (the caller
 * maps them). Only a page past the end (no row to carry the total) costs a second, count-only
 * query.
 */
export async function queryPage<R extends object>(
  em: EntityManager,
  sql: PageSql,
  page: { limit: number; offset: number },
): Promise<PageOf<R>> {
  const text = `select ${sql.columns}, count(*) over()::int as total from ${sql.from} order by ${sql.orderBy} limit ? offset ?`;
  const rows = await rawQuery<R & { total: number }>(em, sql.around ? sql.around(text) : text, [
    ...(sql.columnParams ?? []),
    ...sql.params,
    page.limit,
    page.offset,
  ]);
  if (rows.length) return { count: rows[0]!.total, results: rows };
  if (page.offset === 0) return { count: 0, results: [] };
  const [row] = await rawQuery<{ total: number }>(
    em,
    `select count(*)::int as total from ${sql.from}`,
    sql.params,
  );
  return { count: row?.total ?? 0, results: [] };
}
