import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsOrdering, PageQueryDto } from '#porch/core';

/** A province by postal abbreviation (any case) or SGC code. */
export const PROVINCE_CODE_PATTERN = /^(?:[A-Za-z]{2}|\d{2})$/;
export const PROVINCE_CODE_MESSAGE =
  'must be a province abbreviation such as ON, or its two-digit code such as 35';

export const HEALTH_REGION_ORDERING = ['hrUid', 'nameEn', 'nameFr', 'population'] as const;

export class HealthRegionsQueryDto extends PageQueryDto {
  /**
   * Only the regions of this province: abbreviation (`ON`, any case) or SGC code (`35`). A
   * well-formed code no province has gives an empty page.
   */
  @IsOptional()
  @Matches(PROVINCE_CODE_PATTERN, { message: `province ${PROVINCE_CODE_MESSAGE}` })
  province?: string;

  /**
   * Words to find in the English or French names (official or short), ignoring case and accents:
   * `montreal` finds `Montréal`. Every word must occur.
   */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  /** `hrUid` (default), `nameEn`, `nameFr` or `population`; `-` first for descending. */
  @IsOptional()
  @IsOrdering(HEALTH_REGION_ORDERING)
  ordering?: string;
}

export const PROVINCE_ORDERING = ['geoCode', 'alphaCode', 'nameEn', 'nameFr'] as const;

export class ProvincesQueryDto extends PageQueryDto {
  /** `geoCode` (default), `alphaCode`, `nameEn` or `nameFr`; `-` first for descending. */
  @IsOptional()
  @IsOrdering(PROVINCE_ORDERING)
  ordering?: string;
}
