import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsTimestamp, POSTAL_CODE_PATTERN, Trim } from '#porch/core';
import {
  IsEnum,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { Vibe } from '../party.entity.js';

/** Only the fields given change; `description` and `postalCode` may be set to null to clear them. */
export class UpdatePartyDto {
  /** The flat's name or number. @example "Flat 4C" */
  @ValidateIf((_, value) => value !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  flat?: string;

  /**
   * A new first entry (not in the past); the last entry moves with it.
   * @example "2026-12-24T21:00:00.000Z"
   */
  @ValidateIf((_, value) => value !== undefined)
  @IsTimestamp({ asDate: true })
  firstEntry?: Date;

  @ApiPropertyOptional({ enum: Vibe, enumName: 'Vibe' })
  @ValidateIf((_, value) => value !== undefined)
  @IsEnum(Vibe)
  vibe?: Vibe;

  /** @example "Board games, pizza, karaoke" */
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  /** A Canadian postal code or FSA; null clears it. @example "M5V" */
  @Trim()
  @IsOptional()
  @IsString()
  @Matches(POSTAL_CODE_PATTERN, {
    message:
      'postalCode must be a Canadian postal code (A1A 1A1) or its first three characters (A1A)',
  })
  postalCode?: string | null;
}
