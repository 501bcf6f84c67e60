import type { HealthRegion } from './health-region.entity.js';
import type { Province } from './province.entity.js';

/** A province's own columns: an entity, or a row read without hydrating one. */
export type ProvinceFields = Pick<
  Province,
  'geoCode' | 'alphaCode' | 'nameEn' | 'nameFr' | 'regionEn' | 'regionFr'
>;

/** A health region's own columns: an entity, or a row read without hydrating one. */
export type HealthRegionFields = Pick<
  HealthRegion,
  | 'hrUid'
  | 'nameEn'
  | 'nameFr'
  | 'shortNameEn'
  | 'shortNameFr'
  | 'population'
  | 'websiteEn'
  | 'websiteFr'
>;

/** Rows as the catalog reads them (property names, relations as their keys). */
export interface HealthRegionRecord extends HealthRegionFields {
  province: number;
}

export interface FsaHealthRegionRecord {
  fsa: string;
  healthRegion: number;
  province: number;
  estimatedPopulation: number | null;
}
