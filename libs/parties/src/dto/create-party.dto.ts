import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimestamp, POSTAL_CODE_PATTERN, Trim } from '#porch/core';
import { IsEnum, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Vibe } from '../party.entity.js';

export class CreatePartyDto {
  /** The flat's name or number. @example "Flat 4B" */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  flat!: string;

  /**
   * When the doors open; not in the past. The last entry is 12 hours later.
   * @example "2026-12-24T20:00:00.000Z"
   */
  @IsTimestamp({ asDate: true })
  firstEntry!: Date;

  /** How big it gets (default `chill`). */
  @ApiPropertyOptional({ enum: Vibe, enumName: 'Vibe', default: Vibe.Chill })
  @IsOptional()
  @IsEnum(Vibe)
  vibe?: Vibe;

  /** @example "Board games and too much pizza" */
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  /**
   * A Canadian postal code or FSA, any case, space optional; stored as `A1A 1A1` or `A1A`.
   * @example "M5V 2T6"
   */
  @Trim()
  @IsOptional()
  @IsString()
  @Matches(POSTAL_CODE_PATTERN, {
    message:
      'postalCode must be a Canadian postal code (A1A 1A1) or its first three characters (A1A)',
  })
  postalCode?: string | null;
}
