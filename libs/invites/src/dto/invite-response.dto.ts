import { ApiHideProperty, ApiProperty, PickType } from '@nestjs/swagger';
import { toUserSummary, UserSummaryDto } from '#porch/accounts';
import { timestamp, type RawTimestamp } from '#porch/core';
import {
  InviteStatus,
  isLive,
  isOver,
  PartyResponseDto,
  type Vibe,
  vibeLabel,
} from '#porch/parties';

/** What an invite holds of its party: these fields of parties' own response. */
export const INVITE_PARTY_FIELDS = [
  'id',
  'flat',
  'firstEntry',
  'lastEntry',
  'isLive',
  'isOver',
  'vibe',
  'vibeLabel',
  'host',
] as const;

/** The party an invite is for, in brief. */
export class InvitePartyDto extends PickType(PartyResponseDto, INVITE_PARTY_FIELDS) {}

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
