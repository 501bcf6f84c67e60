import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery } from '#porch/core';

/**
 * Runs a hand-written query (reads that need window functions, lateral counts or percentiles)
 * inside the EntityManager's transaction when it has one. Placeholders are `?`.
 */
export function query<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return rawQuery<T>(em, sql, params);
}

/** `?ordering=` (already whitelisted by `IsOrdering`) → SQL, with a unique tie-breaker. */
export function orderSql(
  ordering: Record<string, 'asc' | 'desc'>,
  columns: Record<string, string>,
  tieBreaker: string,
): string {
  const parts = Object.entries(ordering).map(([field, dir]) => {
    const column = columns[field];
    if (!column) throw new Error(`ordering on ${field} is not mapped to a column`);
    return `${column} ${dir} nulls last`;
  });
  const lastDir = Object.values(ordering).at(-1) ?? 'asc';
  return [...parts, `${tieBreaker} ${lastDir}`].join(', ');
}
