import {
  ReferenceKind,
  type EntityMetadata,
  type EntityProperty,
  type MetadataStorage,
} from '@mikro-orm/core';
import { isSecretEntity, isSecretProperty, naturalKeyOf } from '#porch/core';

/** One persisted property: a scalar, or a foreign key (possibly over several columns). */
export interface Field {
  property: string;
  columns: string[];
  columnTypes: string[];
  primary: boolean;
  nullable: boolean;
  unique: boolean;
  /** Computed by the database (`generated`): shown in diagrams, never dumped or loaded. */
  generated: boolean;
  secret: boolean;
  enumItems?: string[];
  /** Class name of the referenced entity, for foreign keys. */
  target?: string;
  /** One-to-one (at most one row per target) rather than many-to-one. */
  oneToOne?: boolean;
}

/** An entity as its table: what dumpdata, loaddata and graph-models work from. */
export interface EntityTable {
  name: string;
  tableName: string;
  schema?: string;
  /** Join tables MikroORM makes for many-to-many relations. */
  pivot: boolean;
  fields: Field[];
  primaryKey: Field[];
  secret: boolean;
  naturalKey?: Field[];
  /** Class names of the entities this one references (itself excluded). */
  dependsOn: string[];
}

function persisted(prop: EntityProperty): boolean {
  if (!prop.fieldNames?.length || prop.persist === false || prop.formula) return false;
  switch (prop.kind) {
    case ReferenceKind.SCALAR:
    case ReferenceKind.MANY_TO_ONE:
      return true;
    case ReferenceKind.ONE_TO_ONE:
      return !!prop.owner;
    case ReferenceKind.EMBEDDED:
      return !!prop.object; // inline embeddables appear as their own flattened properties
    default:
      return false;
  }
}

function isTable(meta: EntityMetadata): boolean {
  return (
    !meta.abstract &&
    !meta.embeddable &&
    !meta.virtual &&
    !meta.expression &&
    !!meta.tableName &&
    // Single-table inheritance: the root describes the whole table.
    (!meta.root || meta.root.className === meta.className)
  );
}

function toTable(meta: EntityMetadata): EntityTable {
  const seen = new Set<string>();
  const fields: Field[] = [];
  for (const prop of meta.props) {
    if (!persisted(prop) || prop.fieldNames.some((c) => seen.has(c))) continue;
    prop.fieldNames.forEach((c) => seen.add(c));
    const reference =
      prop.kind === ReferenceKind.MANY_TO_ONE || prop.kind === ReferenceKind.ONE_TO_ONE;
    const uniqueByIndex = meta.uniques.some(
      (u) =>
        !u.expression &&
        (u.properties === prop.name ||
          (Array.isArray(u.properties) &&
            u.properties.length === 1 &&
            u.properties[0] === prop.name)),
    );
    fields.push({
      property: prop.name,
      columns: [...prop.fieldNames],
      columnTypes: [...(prop.columnTypes ?? [])],
      primary: !!prop.primary,
      nullable: !!prop.nullable,
      unique: !!prop.unique || uniqueByIndex,
      generated: !!prop.generated,
      secret: isSecretProperty(meta.class, prop.name),
      enumItems:
        prop.enum && Array.isArray(prop.items) ? prop.items.map((i) => String(i)) : undefined,
      target: reference ? (prop.targetMeta?.root.className ?? prop.type) : undefined,
      oneToOne: prop.kind === ReferenceKind.ONE_TO_ONE || undefined,
    });
  }
  const byName = new Map(fields.map((f) => [f.property, f]));
  const primaryKey = meta.primaryKeys.map((k) => {
    const field = byName.get(k);
    if (!field) throw new Error(`${meta.className}: primary key ${k} has no column`);
    return field;
  });
  const natural = naturalKeyOf(meta.class)?.map((k) => {
    const field = byName.get(k);
    if (!field) throw new Error(`${meta.className}: natural key ${k} is not a column`);
    return field;
  });
  const dependsOn = [
    ...new Set(fields.flatMap((f) => (f.target && f.target !== meta.className ? [f.target] : []))),
  ].sort();
  return {
    name: meta.className,
    tableName: meta.tableName,
    schema: meta.schema && meta.schema !== '*' ? meta.schema : undefined,
    pivot: !!meta.pivotTable,
    fields,
    primaryKey,
    secret: isSecretEntity(meta.class),
    naturalKey: natural?.length ? natural : undefined,
    dependsOn,
  };
}

/**
 * Every table-backed entity, referenced entities first (ties by name; any cycle is broken by
 * name): a deterministic order that loads without breaking foreign keys.
 */
export function entityTables(metadata: MetadataStorage): EntityTable[] {
  const tables = Object.values(metadata.getAll())
    .filter(isTable)
    .map(toTable)
    .sort((a, b) => compare(a.name, b.name));
  const pending = new Map(tables.map((t) => [t.name, t]));
  const ordered: EntityTable[] = [];
  while (pending.size) {
    const ready =
      [...pending.values()].find((t) => t.dependsOn.every((d) => !pending.has(d))) ??
      pending.values().next().value!;
    ordered.push(ready);
    pending.delete(ready.name);
  }
  return ordered;
}

/** Finds entities by class or table name, case-insensitively; an unknown name is an error. */
export function selectTables(tables: EntityTable[], names: string[]): EntityTable[] {
  if (!names.length) return tables;
  const wanted = new Set<EntityTable>();
  for (const name of names) {
    const key = name.toLowerCase();
    const table = tables.find(
      (t) => t.name.toLowerCase() === key || t.tableName.toLowerCase() === key,
    );
    if (!table) {
      throw new Error(`Unknown entity "${name}". Known: ${tables.map((t) => t.name).join(', ')}.`);
    }
    wanted.add(table);
  }
  return tables.filter((t) => wanted.has(t));
}

/** `"schema"."table"`, quoted. */
export function qualified(table: EntityTable): string {
  return table.schema ? `${quote(table.schema)}.${quote(table.tableName)}` : quote(table.tableName);
}

export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** Code-point order: the same on every machine, whatever its locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
