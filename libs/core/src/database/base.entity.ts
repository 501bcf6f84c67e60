import { Filter, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { v7 as uuidv7 } from 'uuid';

/**
 * Rows that keep no update stamp (tokens, audit entries): a time-ordered UUIDv7 id made by the
 * app, and the creation timestamp.
 */
export abstract class CreatedEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = uuidv7();

  @Property({ type: 'timestamptz' })
  createdAt: Date & Opt = new Date();
}

/** Every other entity: a `CreatedEntity` with an update timestamp too. */
export abstract class BaseEntity extends CreatedEntity {
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}

/** Name of the default filter that hides soft-deleted rows from every read and relation. */
export const NOT_DELETED = 'notDeleted';

/**
 * Entities a user can delete: deleting sets `deletedAt`, and the default `notDeleted` filter hides
 * the row everywhere (disable it with `filters: { notDeleted: false }`, as the admin panel does).
 */
@Filter({ name: NOT_DELETED, cond: { deletedAt: null }, default: true })
export abstract class SoftDeletableEntity extends BaseEntity {
  @Property({ type: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  get isDeleted(): boolean {
    return this.deletedAt != null;
  }
}
