import type { EntityMetadata, EntityProperty, FilterQuery } from '@mikro-orm/core';
import type { Filter } from 'adminjs';
import { columnKind, isReference } from './property.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID.test(value);

/** True when the column (or the primary key a relation points to) is a PostgreSQL uuid. */
export function isUuidProperty(prop: EntityProperty): boolean {
  if (isReference(prop)) {
    const target = prop.targetMeta?.getPrimaryProps()[0];
    return target ? isUuidProperty(target) : false;
  }
  return prop.columnTypes?.[0] === 'uuid' || prop.type === 'uuid';
}

/** Escapes LIKE wildcards so a search for `50%` finds that text, not everything. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A condition no row meets: MikroORM renders `$in: []` as `1 = 0`. */
const nothing = (meta: EntityMetadata) => ({ [meta.primaryKeys[0]]: { $in: [] } });

function parseBoolean(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

function parseDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The list's search box (Django's `search_fields`): `filters.q`. */
export const SEARCH_PARAM = 'q';

/** A list's filters as plain values: `{ path: value }`, date ranges as `{ from, to }`. */
export type FilterValues = Record<string, unknown>;

/** AdminJS's Filter (or any `{ filters: { path: { value } } }`) → plain values. */
export function filterValues(filter: Filter | undefined): FilterValues {
  const out: FilterValues = {};
  for (const [path, element] of Object.entries(filter?.filters ?? {})) out[path] = element.value;
  return out;
}

/** The property at the end of `host.name`, through relations. */
function resolve(meta: EntityMetadata, path: string): EntityProperty | undefined {
  let current: EntityMetadata | undefined = meta;
  let prop: EntityProperty | undefined;
  for (const key of path.split('.')) {
    prop = current?.properties[key];
    if (!prop) return undefined;
    current = prop.targetMeta;
  }
  return prop;
}

/**
 * One search term over `fields` (paths, `host.name` through a relation): a case-insensitive
 * contains on each, OR-ed; a uuid also matches the primary key. Every word must match
 * somewhere, as in Django's admin search.
 */
function searchCondition<T extends object>(
  meta: EntityMetadata<T>,
  fields: readonly string[],
  term: string,
): Record<string, unknown> | null {
  const words = term.trim().split(/\s+/).filter(Boolean);
  if (!words.length || !fields.length) return null;
  const pk = meta.primaryKeys[0];
  const perWord = words.map((word) => {
    const or: Record<string, unknown>[] = [];
    for (const path of fields) {
      const prop = resolve(meta, path);
      if (!prop) continue;
      // uuid columns: equality with a whole uuid (PostgreSQL has no LIKE on uuid).
      const uuid = isUuidProperty(prop);
      if (uuid && !isUuid(word)) continue;
      const pattern = uuid ? word.toLowerCase() : { $ilike: `%${likeEscape(word)}%` };
      or.push(
        path
          .split('.')
          .reduceRight<
            Record<string, unknown>
          >((inner, key) => ({ [key]: inner }), pattern as never),
      );
    }
    if (isUuid(word) && isUuidProperty((meta.properties as Record<string, EntityProperty>)[pk])) {
      or.push({ [pk]: word.toLowerCase() });
    }
    return or.length ? { $or: or } : nothing(meta);
  });
  return perWord.length === 1 ? perWord[0] : { $and: perWord };
}

/**
 * List filters → a MikroORM where clause. Unlike @adminjs/mikroorm's convertFilter: uuid
 * columns and relations compare by equality (an invalid uuid matches nothing instead of failing
 * in SQL), text is a case-insensitive contains (Django's `icontains`) with wildcards escaped,
 * unparseable values match nothing, and `q` searches the resource's search fields.
 */
export function toWhere<T extends object>(
  meta: EntityMetadata<T>,
  filters: FilterValues,
  searchFields: readonly string[] = [],
): FilterQuery<T> {
  const where: Record<string, unknown>[] = [];
  for (const [path, value] of Object.entries(filters)) {
    if (value === undefined || value === '' || value === null) continue;
    if (path === SEARCH_PARAM) {
      const condition = searchCondition(meta, searchFields, String(value));
      if (condition) where.push(condition);
      continue;
    }
    const prop = (meta.properties as Record<string, EntityProperty | undefined>)[path];
    if (!prop) continue;
    const kind = columnKind(prop);
    if (typeof value === 'object') {
      // ranges: { from, to }
      const { from, to } = value as { from?: string; to?: string };
      const parse = kind === 'integer' || kind === 'number' ? parseNumber : parseDate;
      const range: Record<string, unknown> = {};
      const low = parse(from);
      const high = parse(to);
      if (low !== undefined) range.$gte = low;
      if (high !== undefined) range.$lte = high;
      if (Object.keys(range).length) where.push({ [path]: range });
      continue;
    }
    const text = String(value);
    if (isUuidProperty(prop)) {
      where.push(isUuid(text) ? { [path]: text.toLowerCase() } : nothing(meta));
    } else if (kind === 'boolean') {
      const bool = parseBoolean(text);
      where.push(bool === undefined ? nothing(meta) : { [path]: bool });
    } else if (kind === 'integer' || kind === 'number') {
      const number = parseNumber(text);
      where.push(number !== undefined ? { [path]: number } : nothing(meta));
    } else if (kind === 'date') {
      const date = /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0];
      where.push(date ? { [path]: date } : nothing(meta));
    } else if (kind === 'datetime') {
      const date = parseDate(text);
      where.push(date ? { [path]: date } : nothing(meta));
    } else if (kind === 'enum' || kind === 'reference') {
      where.push({ [path]: text });
    } else if (kind === 'json' || kind === 'bytes') {
      continue;
    } else {
      where.push({ [path]: { $ilike: `%${likeEscape(text)}%` } });
    }
  }
  return (where.length ? { $and: where } : {}) as FilterQuery<T>;
}

function parseNumber(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}
