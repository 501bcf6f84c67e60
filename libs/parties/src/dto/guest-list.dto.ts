import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { PageQueryDto } from '#porch/core';
import { InviteStatus } from '../invite.entity.js';
import { PublicProfileDto } from './public-profile.dto.js';

export class GuestListQueryDto extends PageQueryDto {
  /** Only invites in this status. */
  @ApiPropertyOptional({ enum: InviteStatus, enumName: 'InviteStatus' })
  @IsOptional()
  @IsEnum(InviteStatus)
  status?: InviteStatus;
}

/** One invite of the guest list, with the guest's public profile. */
export class GuestListEntryDto {
  /** The invite's id. */
  id!: string;
  @ApiProperty({ enum: InviteStatus, enumName: 'InviteStatus' })
  status!: InviteStatus;
  plusOnes!: number;
  respondedAt!: Date | null;
  /** When the guest was invited. */
  createdAt!: Date;
  // @ApiHideProperty() keeps the Swagger CLI plugin off this class-typed property (see
  // party-response.dto.ts); @ApiProperty documents it.
  @ApiHideProperty()
  @ApiProperty({ type: () => PublicProfileDto })
  guest!: PublicProfileDto;
}
