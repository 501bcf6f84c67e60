import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { toUserSummary, UserSummaryDto } from '#porch/accounts';
import { FsaHealthRegionShareDto } from '#porch/health-regions';
import { InviteStatus } from '../invite.entity.js';
import { isLive, isOver, Vibe, vibeLabel } from '../party.entity.js';

/** How many invites a party has in each status (guests who deleted their account not counted). */
export class InviteCountsDto {
  /** @example 3 */
  invited!: number;
  /** @example 2 */
  confirmed!: number;
  /** @example 1 */
  canceled!: number;
  /** @example 0 */
  checked_in!: number;
  /** @example 0 */
  no_show!: number;
}

export class PartyResponseDto {
  /** @example "0193a5f3-0b2c-7e4f-a1b2-c3d4e5f60718" */
  id!: string;
  /** The flat's name or number. @example "Flat 4B" */
  flat!: string;
  /** @example "2026-12-24T20:00:00.000Z" */
  firstEntry!: Date;
  /** `firstEntry` + 12 hours. @example "2026-12-25T08:00:00.000Z" */
  lastEntry!: Date;
  /** The doors are open: between first and last entry. @example false */
  isLive!: boolean;
  /** The last entry has passed. @example false */
  isOver!: boolean;
  @ApiProperty({ enum: Vibe, enumName: 'Vibe' })
  vibe!: Vibe;
  /** What the vibe means, e.g. "20–30 people". @example "20–30 people" */
  vibeLabel!: string;
  /** @example "Board games and too much pizza" */
  description!: string | null;
  /** `A1A 1A1`, or just the FSA `A1A`. @example "M5V 2T6" */
  postalCode!: string | null;
  // Class-typed properties: @ApiHideProperty() keeps the Swagger CLI plugin off them (its ESM
  // output for a class reference is an `await import()` in a sync function); at run time it is a
  // no-op, and @ApiProperty documents the property.
  @ApiHideProperty()
  @ApiProperty({ type: () => UserSummaryDto })
  host!: UserSummaryDto;
  /** Invites per status (guests who deleted their account not counted). */
  @ApiHideProperty()
  @ApiProperty({ type: () => InviteCountsDto })
  inviteCounts!: InviteCountsDto;
  /**
   * The health regions of the postal code's FSA, largest share first (SPEC §6); empty without a
   * postal code or for an FSA the reference data does not know.
   */
  @ApiHideProperty()
  @ApiProperty({ type: () => [FsaHealthRegionShareDto] })
  healthRegions!: FsaHealthRegionShareDto[];
  /** @example "2026-12-01T10:00:00.000Z" */
  createdAt!: Date;
  /** @example "2026-12-01T10:00:00.000Z" */
  updatedAt!: Date;
}

/** What the mapper needs of a party: the entity (host loaded) or a row of a list query. */
export interface PartyView {
  id: string;
  flat: string;
  firstEntry: Date;
  lastEntry: Date;
  vibe: Vibe;
  description?: string | null;
  postalCode?: string | null;
  createdAt: Date;
  updatedAt: Date;
  host: { id: string; name: string; photoHash?: string | null };
}

export type InviteCounts = Record<InviteStatus, number>;

export function emptyInviteCounts(): InviteCounts {
  return { invited: 0, confirmed: 0, canceled: 0, checked_in: 0, no_show: 0 };
}

/** `origin`: the request's `scheme://host`, for the host's absolute photo URL. */
export function toPartyResponse(
  party: PartyView,
  origin: string,
  counts: InviteCounts = emptyInviteCounts(),
  now = new Date(),
  healthRegions: FsaHealthRegionShareDto[] = [],
): PartyResponseDto {
  return {
    id: party.id,
    flat: party.flat,
    firstEntry: party.firstEntry,
    lastEntry: party.lastEntry,
    isLive: isLive(party, now),
    isOver: isOver(party, now),
    vibe: party.vibe,
    vibeLabel: vibeLabel(party.vibe),
    description: party.description ?? null,
    postalCode: party.postalCode ?? null,
    host: toUserSummary(party.host, origin),
    inviteCounts: { ...counts },
    healthRegions,
    createdAt: party.createdAt,
    updatedAt: party.updatedAt,
  };
}
