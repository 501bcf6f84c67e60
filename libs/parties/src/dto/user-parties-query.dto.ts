import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { IsOrdering, PageQueryDto } from '#porch/core';

export const PartyWhen = { Upcoming: 'upcoming', Past: 'past', All: 'all' } as const;
export type PartyWhen = (typeof PartyWhen)[keyof typeof PartyWhen];

export class UserPartiesQueryDto extends PageQueryDto {
  /**
   * `upcoming` (default): last entry still ahead, live parties included; `past`: last entry
   * passed; `all`.
   */
  @ApiPropertyOptional({ enum: PartyWhen, enumName: 'PartyWhen', default: PartyWhen.Upcoming })
  @IsOptional()
  @IsEnum(PartyWhen)
  when: PartyWhen = PartyWhen.Upcoming;

  /** `firstEntry` (default) or `-firstEntry`. */
  @IsOptional()
  @IsOrdering(['firstEntry'])
  ordering?: string;
}
