import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import {
  InviteStatus,
  isLive,
  isOver,
  toUserSummary,
  UserSummaryDto,
  timestamp,
  timestampOrNull,
  Vibe,
  vibeLabel,
  type RawTimestamp,
} from '#porch/parties';

/** The party an invite is for, in brief. */
export class InvitePartyDto {
  id!: string;
  /** The flat's name or number. */
  flat!: string;
  firstEntry!: Date;
  lastEntry!: Date;
  /** The doors are open: between first and last entry. */
  isLive!: boolean;
  /** The last entry has passed. */
  isOver!: boolean;
  @ApiProperty({ enum: Vibe, enumName: 'Vibe' })
  vibe!: Vibe;
  /** What the vibe means, e.g. "20–30 people". */
  vibeLabel!: string;
  // Class-typed properties: @ApiHideProperty() keeps the Swagger CLI plugin off them (its ESM
  // output for a class reference is an `await import()` in a sync function); at run time it is a
  // no-op, and @ApiProperty documents the property.
  @ApiHideProperty()
  @ApiProperty({ type: () => UserSummaryDto })
  host!: UserSummaryDto;
}

export class InviteResponseDto {
  id!: string;
  @ApiProperty({ enum: InviteStatus, enumName: 'InviteStatus' })
  status!: InviteStatus;
  /** Friends the guest brings (0–5). */
  plusOnes!: number;
  /** When the guest last answered (confirmed or canceled). */
  respondedAt!: Date | null;
  /** When the guest was invited. */
  createdAt!: Date;
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

export function toInviteResponse(row: InviteRow, now = new Date()): InviteResponseDto {
  const firstEntry = timestamp(row.first_entry);
  const lastEntry = timestamp(row.last_entry);
  const times = { firstEntry, lastEntry };
  return {
    id: row.id,
    status: row.status,
    plusOnes: row.plus_ones,
    respondedAt: timestampOrNull(row.responded_at),
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.updated_at),
    guest: toUserSummary({
      id: row.guest_id,
      name: row.guest_name,
      photoHash: row.guest_photo_hash,
    }),
    party: {
      id: row.party_id,
      flat: row.flat,
      firstEntry,
      lastEntry,
      isLive: isLive(times, now),
      isOver: isOver(times, now),
      vibe: row.vibe,
      vibeLabel: vibeLabel(row.vibe),
      host: toUserSummary({ id: row.host_id, name: row.host_name, photoHash: row.host_photo_hash }),
    },
  };
}
