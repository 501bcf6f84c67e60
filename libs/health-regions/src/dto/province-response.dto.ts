import type { ProvinceFields } from '../health-regions.records.js';

/** A province as other resources embed it. */
export class ProvinceSummaryDto {
  /** Statistics Canada SGC code. @example 35 */
  geoCode!: number;
  /** Postal abbreviation. @example "ON" */
  alphaCode!: string;
  /** @example "Ontario" */
  nameEn!: string;
  /** @example "Ontario" */
  nameFr!: string;
}

export class ProvinceResponseDto extends ProvinceSummaryDto {
  /** Part of Canada it belongs to. @example "Ontario" */
  regionEn!: string;
  /** @example "Ontario" */
  regionFr!: string;
  /** Number of health regions in it. @example 34 */
  healthRegionCount!: number;
}

export function toProvinceSummary(p: ProvinceFields): ProvinceSummaryDto {
  return { geoCode: p.geoCode, alphaCode: p.alphaCode, nameEn: p.nameEn, nameFr: p.nameFr };
}

export function toProvinceResponse(
  p: ProvinceFields,
  healthRegionCount: number,
): ProvinceResponseDto {
  return { ...toProvinceSummary(p), regionEn: p.regionEn, regionFr: p.regionFr, healthRegionCount };
}
