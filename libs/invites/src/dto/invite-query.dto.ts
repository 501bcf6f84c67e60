import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '#porch/core';
import { InviteStatus } from '#porch/parties';

export class InviteQueryDto extends PageQueryDto {
  /** Only invites in this status (the "Invited" and "Confirmed" screens). */
  @ApiPropertyOptional({ enum: InviteStatus, enumName: 'InviteStatus' })
  @IsOptional()
  @IsEnum(InviteStatus)
  status?: InviteStatus;

  /** `past` also lists invites to parties whose last entry has passed. */
  @IsOptional()
  @IsIn(['past'])
  include?: 'past';
}
