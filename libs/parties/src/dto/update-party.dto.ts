import { ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsEnum, ValidateIf } from 'class-validator';
import { Vibe } from '../party.entity.js';
import { CreatePartyDto } from './create-party.dto.js';

/**
 * Only the fields given change, by the create rules; `description` and `postalCode` may be set
 * to null to clear them, the other fields may not (`skipNullProperties: false`: absent is not
 * null). A new first entry must not be in the past; the last entry moves with it.
 */
export class UpdatePartyDto extends PartialType(OmitType(CreatePartyDto, ['vibe'] as const), {
  skipNullProperties: false,
}) {
  // Creating without a vibe means `chill`; on update null is no vibe at all, so it is refused.
  @ApiPropertyOptional({ enum: Vibe, enumName: 'Vibe' })
  @ValidateIf((_, value) => value !== undefined)
  @IsEnum(Vibe)
  vibe?: Vibe;
}
