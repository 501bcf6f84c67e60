import { IsString, Length } from 'class-validator';
import { Trim } from '#porch/core';

export class CreateGroupDto {
  /** 1–100 characters (trimmed), unique among the groups you own. @example "Grade 4 – Room 12" */
  @Trim()
  @IsString()
  @Length(1, 100)
  name!: string;
}
