import type { EntityMetadata, EntityProperty, FilterQuery } from '@mikro-orm/core';
import { ReferenceKind } from '@mikro-orm/core';
import type { Filter } from 'adminjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID.test(value);

/** True when the column (or the primary key a relation points to) is a PostgreSQL uuid. */
export function isUuidProperty(prop: EntityProperty): boolean {
  if (prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE) {
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

/**
 * AdminJS list filters → a MikroORM where clause. Unlike @adminjs/mikroorm's convertFilter:
 * uuid columns and relations compare by equality (an invalid uuid matches nothing instead of
 * failing in SQL), text is a case-insensitive contains (Django's `icontains`) with wildcards
 * escaped, and unparseable values match nothing.
 */
export function toWhere<T extends object>(
  meta: EntityMetadata<T>,
  filter: Filter | undefined,
): FilterQuery<T> {
  const where: Record<string, unknown>[] = [];
  for (const [path, element] of Object.entries(filter?.filters ?? {})) {
    const prop = (meta.properties as Record<string, EntityProperty | undefined>)[path];
    if (!prop || element.value === undefined || element.value === '') continue;
    const value = element.value;
    const kind = element.property?.type?.() ?? 'string';
    if (typeof value === 'object' && value !== null) {
      // date ranges: { from, to }
      const from = parseDate(value.from);
      const to = parseDate(value.to);
      const range: Record<string, Date> = {};
      if (from) range.$gte = from;
      if (to) range.$lte = to;
      if (Object.keys(range).length) where.push({ [path]: range });
      continue;
    }
    const text = String(value);
    if (isUuidProperty(prop)) {
      where.push(isUuid(text) ? { [path]: text.toLowerCase() } : nothing(meta));
    } else if (kind === 'boolean') {
      const bool = parseBoolean(text);
      where.push(bool === undefined ? nothing(meta) : { [path]: bool });
    } else if (kind === 'number') {
      const number = Number(text);
      where.push(Number.isFinite(number) ? { [path]: number } : nothing(meta));
    } else if (kind === 'date' || kind === 'datetime') {
      const date = parseDate(text);
      where.push(date ? { [path]: date } : nothing(meta));
    } else if (
      prop.enum ||
      prop.kind === ReferenceKind.MANY_TO_ONE ||
      prop.kind === ReferenceKind.ONE_TO_ONE
    ) {
      where.push({ [path]: text });
    } else if (kind === 'mixed') {
      continue;
    } else {
      where.push({ [path]: { $ilike: `%${likeEscape(text)}%` } });
    }
  }
  return (where.length ? { $and: where } : {}) as FilterQuery<T>;
}
