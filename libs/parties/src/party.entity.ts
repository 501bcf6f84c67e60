import {
  Check,
  Entity,
  EntityRepositoryType,
  Enum,
  Index,
  ManyToOne,
  Opt,
  Property,
  type Rel,
} from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { SoftDeletableEntity } from '#porch/core';
import { PartiesRepository } from './parties.repository.js';

/**
 * Enums here are const objects with a union type of the same name, not TS `enum`s: DTOs can then
 * type properties with them and the Swagger CLI plugin (ESM) inlines the values instead of
 * emitting an `await import()` it cannot run.
 */
export const Vibe = {
  Chill: 'chill',
  Party: 'party',
  Rager: 'rager',
} as const;
export type Vibe = (typeof Vibe)[keyof typeof Vibe];

/** How many people each vibe means, as the party app showed it. */
export const VIBE_LABELS: Record<Vibe, string> = {
  [Vibe.Chill]: '5–10 people',
  [Vibe.Party]: '20–30 people',
  [Vibe.Rager]: '50+ people',
};

export function vibeLabel(vibe: Vibe): string {
  return VIBE_LABELS[vibe];
}

/** A party lasts twelve hours from its first entry: `lastEntry` is derived, stored for indexing. */
export const PARTY_DURATION_MS = 12 * 3600 * 1000;

/**
 * A flat party. `lastEntry` = `firstEntry` + 12 h, held by a check constraint. A host's parties
 * never overlap in time (an exclusion constraint over non-deleted parties), which is the
 * database's half of "one live party per host"; the service adds the stricter "no second
 * upcoming party" under a per-host lock.
 */
@Entity({ tableName: 'parties', repository: () => PartiesRepository })
@Check({
  name: 'parties_last_entry_12h',
  expression: `first_entry + '12:00:00'::interval = last_entry`,
})
@Check({ name: 'parties_flat_not_blank', expression: `btrim(flat) <> ''` })
@Check({
  name: 'parties_postal_code_format',
  expression: `postal_code ~ '^[ABCEGHJ-NPRSTVXY][0-9][A-Z]( [0-9][A-Z][0-9])?$'`,
})
@Index({ name: 'parties_host_last_entry_index', properties: ['host', 'lastEntry'] })
@Index({ name: 'parties_last_entry_index', properties: ['lastEntry'] })
@Index({
  name: 'parties_host_no_overlap',
  // Needs btree_gist (for `host_id with =`); the migration creates the extension.
  expression:
    'alter table "parties" add constraint "parties_host_no_overlap" exclude using gist ' +
    '("host_id" with =, tstzrange("first_entry", "last_entry") with &&) where ("deleted_at" is null)',
})
export class Party extends SoftDeletableEntity {
  [EntityRepositoryType]?: PartiesRepository;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  host: Rel<User>;

  /** The flat's name or number. */
  @Property({ type: 'varchar', length: 50 })
  flat: string;

  @Property({ type: 'timestamptz' })
  firstEntry!: Date;

  @Property({ type: 'timestamptz' })
  lastEntry!: Date;

  @Enum({ items: () => Vibe, default: Vibe.Chill })
  vibe: Vibe & Opt = Vibe.Chill;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** Normalized `A1A 1A1`, or just the FSA `A1A`. */
  @Property({ type: 'varchar', length: 7, nullable: true })
  postalCode?: string | null;

  constructor(host: Rel<User>, flat: string, firstEntry: Date) {
    super();
    this.host = host;
    this.flat = flat;
    this.schedule(firstEntry);
  }

  /** Sets the first entry and the derived last entry together. */
  schedule(firstEntry: Date): void {
    this.firstEntry = firstEntry;
    this.lastEntry = lastEntryFor(firstEntry);
  }
}

export function lastEntryFor(firstEntry: Date): Date {
  return new Date(firstEntry.getTime() + PARTY_DURATION_MS);
}

/** Live: the doors are open (first entry reached, last entry not yet passed). */
export function isLive(party: { firstEntry: Date; lastEntry: Date }, now = new Date()): boolean {
  return party.firstEntry <= now && now < party.lastEntry;
}

/** Over: the last entry has passed. */
export function isOver(party: { lastEntry: Date }, now = new Date()): boolean {
  return party.lastEntry <= now;
}
