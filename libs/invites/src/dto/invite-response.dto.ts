import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { toUserSummary, UserSummaryDto } from '#porch/accounts';
import { timestamp, type RawTimestamp } from '#porch/core';
import { InviteStatus, isLive, isOver, Vibe, vibeLabel } from '#porch/parties';

/** The party an invite is for, in brief. */
export class InvitePartyDto {
  /** @example "0193a5f3-0b2c-7e4f-a1b2-c3d4e5f60718" */
  id!: string;
  /** The flat's name or number. @example "Flat 4B" */
  flat!: string;
  /** @example "2026-12-24T20:00:00.000Z" */
  firstEntry!: Date;
  /** @example "2026-12-25T08:00:00.000Z" */
  lastEntry!: Date;
  /** The doors are open: between first and last entry. @example false */
  isLive!: boolean;
  /** The last entry has passed. @example false */
  isOver!: boolean;
  @ApiProperty({ enum: Vibe, enumName: 'Vibe' })
  vibe!: Vibe;
  /** What the vibe means, e.g. "20–30 people". @example "20–30 people" */
  vibeLabel!: string;
  // Class-typed properties: @ApiHideProperty() keeps the Swagger CLI plugin off them (its ESM
  // output for a class reference is an `await import()` in a sync function); at run time it is a
  // no-op, and @ApiProperty documents the property.
  @ApiHideProperty()
  @ApiProperty({ type: () => UserSummaryDto })
  host!: UserSummaryDto;
}

export class InviteResponseDto {
  /** @example "0193a5f3-1d3e-7f50-b2c3-d4e5f6071829" */
  id!: string;
  @ApiProperty({ enum: InviteStatus, enumName: 'InviteStatus' })
  status!: InviteStatus;
  /** Friends the guest brings (0–5). @example 1 */
  plusOnes!: number;
  /** When the guest last answered (confirmed or canceled). @example "2026-12-02T16:20:00.000Z" */
  respondedAt!: Date | null;
  /** When the guest was invited. @example "2026-12-01T10:05:00.000Z" */
  createdAt!: Date;
  /** @example "2026-12-02T16:20:00.000Z" */
  updatedAt!: Date;
  @ApiHideProperty()
  @ApiProperty({ type: () => UserSummaryDto })
  guest!: UserSummaryDto;
  @ApiHideProperty()
  @ApiProperty({ type: () => InvitePartyDto })
  party!: InvitePartyDto;
}

/** One row of the invite read model: the invite joined with its party, host and guest. */
export type InviteRow = {
  id: string;
  status: InviteStatus;
  plus_ones: number;
  responded_at: RawTimestamp | null;
  created_at: RawTimestamp;
  updated_at: RawTimestamp;
  guest_id: string;
  guest_name: string;
  guest_photo_hash: string | null;
  party_id: string;
  flat: string;
  first_entry: RawTimestamp;
  last_entry: RawTimestamp;
  vibe: Vibe;
  host_id: string;
  host_name: string;
  host_photo_hash: string | null;
};

/** `origin`: the request's `scheme://host`, for absolute photo URLs. */
export function toInviteResponse(
  row: InviteRow,
  origin: string,
  now = new Date(),
): InviteResponseDto {
  const firstEntry = timestamp(row.first_entry);
  const lastEntry = timestamp(row.last_entry);
  const times = { firstEntry, lastEntry };
  return {
    id: row.id,
    status: row.status,
    plusOnes: row.plus_ones,
    respondedAt: timestamp(row.responded_at),
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.updated_at),
    guest: toUserSummary(
      { id: row.guest_id, name: row.guest_name, photoHash: row.guest_photo_hash },
      origin,
    ),
    party: {
      id: row.party_id,
      flat: row.flat,
      firstEntry,
      lastEntry,
      isLive: isLive(times, now),
      isOver: isOver(times, now),
      vibe: row.vibe,
      vibeLabel: vibeLabel(row.vibe),
      host: toUserSummary(
        { id: row.host_id, name: row.host_name, photoHash: row.host_photo_hash },
        origin,
      ),
    },
  };
}
