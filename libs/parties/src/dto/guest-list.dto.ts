import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PublicProfileDto } from '#porch/accounts';
import { PageQueryDto } from '#porch/core';
import { InviteStatus } from '../invite.entity.js';

export class GuestListQueryDto extends PageQueryDto {
  /** Only invites in this status. */
  @ApiPropertyOptional({ enum: InviteStatus, enumName: 'InviteStatus' })
  @IsOptional()
  @IsEnum(InviteStatus)
  status?: InviteStatus;
}

/** One invite of the guest list, with the guest's public profile. */
export class GuestListEntryDto {
  /** The invite's id. @example "0193a5f3-1d3e-7f50-b2c3-d4e5f6071829" */
  id!: string;
  @ApiProperty({ enum: InviteStatus, enumName: 'InviteStatus' })
  status!: InviteStatus;
  /** @example 1 */
  plusOnes!: number;
  /** @example "2026-12-02T16:20:00.000Z" */
  respondedAt!: Date | null;
  /** When the guest was invited. @example "2026-12-01T10:05:00.000Z" */
  createdAt!: Date;
  // @ApiHideProperty() keeps the Swagger CLI plugin off this class-typed property (see
  // party-response.dto.ts); @ApiProperty documents it.
  @ApiHideProperty()
  @ApiProperty({ type: () => PublicProfileDto })
  guest!: PublicProfileDto;
}
