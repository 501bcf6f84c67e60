import { IsString, MaxLength, MinLength } from 'class-validator';

export class JoinGroupDto {
  /** The group's join code, as its owner shared it (any case; spaces and dashes ignored). */
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  code!: string;
}
