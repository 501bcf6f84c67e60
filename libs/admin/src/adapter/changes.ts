import { ReferenceKind, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import type { AuditChanges } from '../audit/audit-log.entity.js';

export const REDACTED = '[redacted]';

/** Columns whose churn says nothing about what an administrator did. */
const NOISE = new Set(['updatedAt']);

export type Snapshot = Record<string, unknown>;

const SCALAR_KINDS: ReferenceKind[] = [
  ReferenceKind.SCALAR,
  ReferenceKind.MANY_TO_ONE,
  ReferenceKind.ONE_TO_ONE,
  ReferenceKind.EMBEDDED,
];

function plain(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (typeof value === 'object') {
    // A relation (reference or loaded entity): its primary key.
    const id = (value as { id?: unknown }).id;
    if (id !== undefined) return id;
    return JSON.parse(JSON.stringify(value)) as unknown;
  }
  return value;
}

/**
 * The stored state of an entity, field by field, as JSON-safe values (relations as their ids).
 * Lazy properties that were never loaded are left out, so they never count as changed.
 */
export function snapshot<T extends object>(meta: EntityMetadata<T>, entity: T): Snapshot {
  const out: Snapshot = {};
  for (const prop of Object.values<EntityProperty<T>>(meta.properties)) {
    if (!SCALAR_KINDS.includes(prop.kind) || prop.persist === false) continue;
    const value = (entity as Record<string, unknown>)[prop.name];
    if (value === undefined && prop.lazy) continue;
    out[prop.name] = plain(value);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Field → { from, to } for every field that differs (`before` null: a new record; `after` null:
 * a removed one). Secrets show that they changed, never their values; a lazy secret that was not
 * loaded counts as set.
 */
export function diff(
  before: Snapshot | null,
  after: Snapshot | null,
  secrets: ReadonlySet<string>,
): AuditChanges {
  const changes: AuditChanges = {};
  if (after === null) {
    for (const [key, value] of Object.entries(before ?? {})) {
      if (NOISE.has(key) || value === null || value === undefined) continue;
      changes[key] = { from: secrets.has(key) ? REDACTED : value, to: null };
    }
    return changes;
  }
  for (const [key, value] of Object.entries(after)) {
    if (NOISE.has(key)) continue;
    const known = before !== null && key in before;
    const from = known ? (before[key] ?? null) : null;
    const to = value ?? null;
    if (before !== null && known && same(from, to)) continue;
    if (before === null && to === null) continue;
    if (secrets.has(key)) {
      const wasSet = before !== null && (!known || from !== null);
      changes[key] = { from: wasSet ? REDACTED : null, to: to === null ? null : REDACTED };
    } else {
      changes[key] = { from, to };
    }
  }
  return changes;
}
