import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '#porch/core';

export class InvitableQueryDto extends PageQueryDto {
  /** Part of a name or email address, case-insensitive. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}
