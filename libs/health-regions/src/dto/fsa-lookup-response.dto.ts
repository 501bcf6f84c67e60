import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { withShares } from '../fsa-shares.js';
import type { HealthRegionFields } from '../health-regions.records.js';
import { ProvinceSummaryDto } from './province-response.dto.js';

/** One health region an FSA lies in, with the share of the FSA's population living there. */
export class FsaHealthRegionShareDto {
  /** @example 3595 */
  hrUid!: number;
  /** @example "City of Toronto Health Unit" */
  nameEn!: string;
  /** @example "Circonscription sanitaire de la cité de Toronto" */
  nameFr!: string;
  /** @example "Toronto" */
  shortNameEn!: string;
  /** @example "Toronto" */
  shortNameFr!: string;
  /** People of this FSA living in this region; null where the source has no estimate. @example 48426 */
  estimatedPopulation!: number | null;
  /**
   * This region's estimate over the sum of the FSA's known estimates (a missing estimate counts
   * 0); equal shares when nothing is known. The shares of an FSA add up to 1. @example 1
   */
  share!: number;
}

export class FsaLookupResponseDto {
  /** The forward sortation area (first three characters of the postal code). @example "M5V" */
  fsa!: string;
  // Nested DTOs: `@ApiHideProperty()` only stops the Swagger CLI plugin, whose ESM output for a
  // class-typed property is an `await import()` that does not compile (nestjs/swagger#4079); it
  // does nothing at run time, so `@ApiProperty` documents the property.
  @ApiHideProperty()
  @ApiProperty({ type: () => ProvinceSummaryDto })
  province!: ProvinceSummaryDto;
  @ApiHideProperty()
  @ApiProperty({
    type: () => [FsaHealthRegionShareDto],
    description: 'Ordered by share, largest first, then by `hrUid`.',
  })
  healthRegions!: FsaHealthRegionShareDto[];
}

/** The lookup answer for one FSA: its province and each region it lies in with its estimate. */
export function toFsaLookupResponse(
  fsa: string,
  province: ProvinceSummaryDto,
  parts: ReadonlyArray<{ region: HealthRegionFields; estimatedPopulation: number | null }>,
): FsaLookupResponseDto {
  const healthRegions = withShares(
    parts.map(({ region, estimatedPopulation }) => ({
      hrUid: region.hrUid,
      nameEn: region.nameEn,
      nameFr: region.nameFr,
      shortNameEn: region.shortNameEn,
      shortNameFr: region.shortNameFr,
      estimatedPopulation,
    })),
  );
  return { fsa, province, healthRegions };
}
