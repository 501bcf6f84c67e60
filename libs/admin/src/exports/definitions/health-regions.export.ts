import { defineExport } from '../export-definition.js';

/** Reference data: no filters apply. */
export const provincesExport = defineExport({
  name: 'provinces',
  filters: [],
  columns: {
    geoCode: 'geo_code',
    alphaCode: 'alpha_code',
    nameEn: 'name_en',
    nameFr: 'name_fr',
    regionEn: 'region_en',
    regionFr: 'region_fr',
  },
  from: 'province',
  key: 'geo_code',
});

export const healthRegionsExport = defineExport({
  name: 'health-regions',
  filters: [],
  columns: {
    hrUid: 'hr_uid',
    provinceGeoCode: 'province_geo_code',
    nameEn: 'name_en',
    nameFr: 'name_fr',
    shortNameEn: 'short_name_en',
    shortNameFr: 'short_name_fr',
    population: 'population',
    websiteEn: 'website_en',
    websiteFr: 'website_fr',
  },
  from: 'health_region',
  key: 'hr_uid',
});

export const fsaHealthRegionsExport = defineExport({
  name: 'fsa-health-regions',
  filters: [],
  columns: {
    fsa: 'fsa',
    hrUid: 'hr_uid',
    provinceGeoCode: 'province_geo_code',
    estimatedPopulation: 'estimated_population',
  },
  from: 'fsa_health_region',
  key: '(fsa, hr_uid)',
  orderBy: 'fsa, hr_uid',
});
