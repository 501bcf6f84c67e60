/** Filters an export may accept (SPEC §8). Each definition lists the ones it supports. */
export interface ExportFilters {
  /** Only rows of these users. */
  userIds?: string[];
  /** Only rows of this group (the measurements app's groups). */
  groupId?: string;
  /** Rows at or after this instant (what "at" means is the definition's choice). */
  since?: Date;
  /** Rows before this instant. */
  until?: Date;
  /**
   * Only rows whose key is in this subquery (not an API filter: the admin panel's list, with its
   * filters, search or selection). Definitions add `inScope('<key column>', f.scope)`.
   */
  scope?: SqlQuery;
}

export type ExportFilterName = Exclude<keyof ExportFilters, 'scope'>;
export const EXPORT_FILTERS: readonly ExportFilterName[] = ['userIds', 'groupId', 'since', 'until'];

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/**
 * One CSV export: a parameterized SQL query over tables (no entity classes needed) whose result
 * columns, in order, are `columns`; they become the header row. Never select secrets.
 */
export interface ExportDefinition {
  /** URL name: `/api/v1/exports/<name>.csv`. */
  name: string;
  /** Result columns, in CSV order. */
  columns: readonly string[];
  filters: readonly ExportFilterName[];
  sql(filters: ExportFilters): SqlQuery;
}

/** An export as a definition file writes it: each column beside the SQL that selects it. */
export interface ExportSpec {
  name: string;
  filters: readonly ExportFilterName[];
  /** CSV column → its SQL expression over `from` (selected `as "<column>"`), in CSV order. */
  columns: Readonly<Record<string, string>>;
  /** Tables and joins. */
  from: string;
  /** The row key: the admin panel's scope is matched on it (`inScope`), and rows come in its order. */
  key: string;
  /** `order by` when it is not `key`. */
  orderBy?: string;
  /** Conditions of the filters (and the definition's own, such as `deleted_at is null`). */
  where?: (filters: ExportFilters) => Condition[];
}

export function defineExport(spec: ExportSpec): ExportDefinition {
  const select = `select ${Object.entries(spec.columns)
    .map(([column, sql]) => `${sql} as "${column}"`)
    .join(', ')} from ${spec.from}`;
  return {
    name: spec.name,
    filters: spec.filters,
    columns: Object.keys(spec.columns),
    sql: (f) =>
      where(
        select,
        [...(spec.where?.(f) ?? []), inScope(spec.key, f.scope)],
        `order by ${spec.orderBy ?? spec.key}`,
      ),
  };
}

export type Condition =
  | string
  | readonly [sql: string, value: unknown]
  | SqlQuery
  | undefined
  | false
  | '';

/** `key in (<scope>)`: the condition a definition adds for the admin panel's scope. */
export function inScope(key: string, scope: SqlQuery | undefined): Condition {
  return scope && { text: `${key} in (${scope.text})`, values: scope.values };
}

/** `userIds`: rows whose `column` is one of those users. */
export const ofUsers = (column: string, f: ExportFilters): Condition =>
  f.userIds && [`${column} = any(?::uuid[])`, f.userIds];

/** `since` and `until` on `column`: at or after the one, before the other. */
export const during = (column: string, f: ExportFilters): Condition[] => [
  f.since && [`${column} >= ?`, f.since],
  f.until && [`${column} < ?`, f.until],
];

/**
 * Builds `<select> where <conditions> <tail>` with numbered parameters. A condition is plain
 * SQL, or `[sql, value]` with one `?` for the value, or `{ text, values }` numbered `$1…` (a
 * subquery, renumbered to follow), or falsy to leave it out:
 *
 *   where('select … from users u', [
 *     'u.deleted_at is null',
 *     f.userIds && ['u.id = any(?::uuid[])', f.userIds],
 *     f.since && ['u.created_at >= ?', f.since],
 *   ], 'order by u.id')
 */
export function where(select: string, conditions: Condition[], tail = ''): SqlQuery {
  const values: unknown[] = [];
  const parts: string[] = [];
  for (const condition of conditions) {
    if (!condition) continue;
    if (typeof condition === 'string') {
      parts.push(condition);
      continue;
    }
    if ('text' in condition) {
      // A subquery numbered from $1 (as MikroORM's query builder renders it for PostgreSQL).
      const offset = values.length;
      values.push(...condition.values);
      parts.push(condition.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`));
      continue;
    }
    const [sql, value] = condition;
    values.push(value);
    parts.push(sql.replace('?', `$${values.length}`));
  }
  const text = [select, parts.length ? `where ${parts.join(' and ')}` : '', tail]
    .filter(Boolean)
    .join('\n');
  return { text, values };
}
