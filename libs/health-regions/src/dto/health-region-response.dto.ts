import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import type { HealthRegionFields } from '../health-regions.records.js';
import { ProvinceSummaryDto } from './province-response.dto.js';

export class HealthRegionResponseDto {
  /** Official health region id. @example 3595 */
  hrUid!: number;
  // Nested DTOs: `@ApiHideProperty()` only stops the Swagger CLI plugin, whose ESM output for a
  // class-typed property is an `await import()` that does not compile (nestjs/swagger#4079); it
  // does nothing at run time, so `@ApiProperty` documents the property.
  @ApiHideProperty()
  @ApiProperty({ type: () => ProvinceSummaryDto })
  province!: ProvinceSummaryDto;
  /** @example "City of Toronto Health Unit" */
  nameEn!: string;
  /** @example "Circonscription sanitaire de la cité de Toronto" */
  nameFr!: string;
  /** @example "Toronto" */
  shortNameEn!: string;
  /** @example "Toronto" */
  shortNameFr!: string;
  /** 2018 population. @example 2956024 */
  population!: number | null;
  /** @example "https://www.toronto.ca/community-people/health-wellness-care/" */
  websiteEn!: string | null;
  /** @example "https://www.toronto.ca/fr/" */
  websiteFr!: string | null;
  /** Number of FSAs (wholly or partly) in this region. @example 118 */
  fsaCount!: number;
}

/** One FSA of a region: how many of its people live in this region, and what share that is. */
export class HealthRegionFsaResponseDto {
  /** @example "M5V" */
  fsa!: string;
  /** @example 48426 */
  estimatedPopulation!: number | null;
  /** Share of the FSA's population living in this region (0–1). @example 1 */
  share!: number;
}

export function toHealthRegionResponse(
  r: HealthRegionFields,
  province: ProvinceSummaryDto,
  fsaCount: number,
): HealthRegionResponseDto {
  return {
    hrUid: r.hrUid,
    province,
    nameEn: r.nameEn,
    nameFr: r.nameFr,
    shortNameEn: r.shortNameEn,
    shortNameFr: r.shortNameFr,
    population: r.population,
    websiteEn: r.websiteEn,
    websiteFr: r.websiteFr,
    fsaCount,
  };
}
