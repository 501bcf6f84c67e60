import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '#porch/core';

export class InvitableQueryDto extends PageQueryDto {
  /** Part of a name, case-insensitive (staff: of a name or an email address). */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}
