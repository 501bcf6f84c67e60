import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { FsaHealthRegionShareDto } from '#porch/health-regions';
import { InviteStatus } from '../invite.entity.js';
import { isLive, isOver, Vibe, vibeLabel } from '../party.entity.js';
import { userPhotoUrl } from '../user-photo.js';

/** A user in brief: a party's host, an invite's guest. */
export class UserSummaryDto {
  id!: string;
  name!: string;
  /** Null when the host has no photo. */
  photoUrl!: string | null;
}

/** How many invites a party has in each status (guests who deleted their account not counted). */
export class InviteCountsDto {
  invited!: number;
  confirmed!: number;
  canceled!: number;
  checked_in!: number;
  no_show!: number;
}

export class PartyResponseDto {
  id!: string;
  /** The flat's name or number. */
  flat!: string;
  firstEntry!: Date;
  /** `firstEntry` + 12 hours. */
  lastEntry!: Date;
  /** The doors are open: between first and last entry. */
  isLive!: boolean;
  /** The last entry has passed. */
  isOver!: boolean;
  @ApiProperty({ enum: Vibe, enumName: 'Vibe' })
  vibe!: Vibe;
  /** What the vibe means, e.g. "20–30 people". */
  vibeLabel!: string;
  description!: string | null;
  /** `A1A 1A1`, or just the FSA `A1A`. */
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
  createdAt!: Date;
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

export function toPartyResponse(
  party: PartyView,
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
    host: toUserSummary(party.host),
    inviteCounts: { ...counts },
    healthRegions,
    createdAt: party.createdAt,
    updatedAt: party.updatedAt,
  };
}

export function toUserSummary(user: {
  id: string;
  name: string;
  photoHash?: string | null;
}): UserSummaryDto {
  return { id: user.id, name: user.name, photoUrl: userPhotoUrl(user) };
}
