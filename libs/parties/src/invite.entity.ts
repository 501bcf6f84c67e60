import {
  Check,
  Entity,
  Enum,
  Index,
  ManyToOne,
  Opt,
  Property,
  Unique,
  type Rel,
} from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { BaseEntity } from '#porch/core';
import { Party } from './party.entity.js';

/** A const object and union type, as `Vibe` (see party.entity.ts). */
export const InviteStatus = {
  Invited: 'invited',
  Confirmed: 'confirmed',
  Canceled: 'canceled',
  CheckedIn: 'checked_in',
  NoShow: 'no_show',
} as const;
export type InviteStatus = (typeof InviteStatus)[keyof typeof InviteStatus];

/** The statuses a guest can still act on (confirm, cancel, change plus-ones). */
export const OPEN_INVITE_STATUSES: readonly InviteStatus[] = [
  InviteStatus.Invited,
  InviteStatus.Confirmed,
];

export const MAX_PLUS_ONES = 5;

/**
 * A guest's invite to a party. It lives with the party (the invites module owns its endpoints
 * and state machine; the parties module needs it for counts, guest lists and visibility), so the
 * entity sits here and the dependency between the two libs runs one way: invites → parties.
 * Canceling is a status, not a deletion, so invites are not soft-deletable.
 */
@Entity({ tableName: 'invites' })
@Unique({ name: 'invites_party_guest_unique', properties: ['party', 'guest'] })
@Index({ name: 'invites_guest_status_index', properties: ['guest', 'status'] })
@Check({ name: 'invites_plus_ones_range', expression: 'plus_ones >= 0 and plus_ones <= 5' })
export class Invite extends BaseEntity {
  @ManyToOne(() => Party, { deleteRule: 'cascade' })
  party: Rel<Party>;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  guest: Rel<User>;

  @Enum({ items: () => InviteStatus, default: InviteStatus.Invited })
  status: InviteStatus & Opt = InviteStatus.Invited;

  @Property({ type: 'smallint', default: 0 })
  plusOnes: number & Opt = 0;

  /** When the guest last answered (confirmed or canceled). */
  @Property({ type: 'timestamptz', nullable: true })
  respondedAt?: Date | null;

  constructor(party: Rel<Party>, guest: Rel<User>, plusOnes = 0) {
    super();
    this.party = party;
    this.guest = guest;
    this.plusOnes = plusOnes;
  }
}
