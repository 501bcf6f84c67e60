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
