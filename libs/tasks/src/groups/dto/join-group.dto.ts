import { IsString, MaxLength, MinLength } from 'class-validator';

export class JoinGroupDto {
  /** The group's join code, as its owner shared it (any case; spaces and dashes ignored).
   * @example "7KQ2-MXB9-TD"
   */
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  code!: string;
}
