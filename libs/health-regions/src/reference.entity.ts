import { Opt, Property } from '@mikro-orm/core';

/**
 * Reference rows keep their official codes as primary keys (SPEC §2), so unlike `BaseEntity`
 * there is no uuid `id`; the timestamps stay. The loader writes these tables with SQL, so the
 * columns also default to `now()` in the database.
 */
export abstract class ReferenceEntity {
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
