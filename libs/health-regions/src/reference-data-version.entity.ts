import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Which version of a reference data set the tables hold: the SHA-256 of its source files. The
 * loader skips an unchanged set, and every API instance polls this one row to know when to
 * refresh its in-memory copy. Bookkeeping only: `loadedAt` is its only timestamp.
 */
@Entity({ tableName: 'reference_data_version' })
export class ReferenceDataVersion {
  /** Name of the data set, e.g. `health-regions`. */
  @PrimaryKey({ type: 'string', length: 50 })
  name: string;

  /** Hex SHA-256 over the data set's files. */
  @Property({ type: 'string', columnType: 'char(64)' })
  checksum: string;

  @Property({ type: 'timestamptz' })
  loadedAt: Date;

  constructor(name: string, checksum: string, loadedAt = new Date()) {
    this.name = name;
    this.checksum = checksum;
    this.loadedAt = loadedAt;
  }
}
