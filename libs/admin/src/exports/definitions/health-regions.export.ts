import { byKey, defineExport, inScope, where } from '../export-definition.js';

/** Reference data: no filters apply. */
export const provincesExport = defineExport({
  name: 'provinces',
  filters: [],
  columns: ['geoCode', 'alphaCode', 'nameEn', 'nameFr', 'regionEn', 'regionFr'],
  sql: (f) =>
    byKey(
      `select geo_code as "geoCode", alpha_code as "alphaCode", name_en as "nameEn", name_fr as "nameFr",
              region_en as "regionEn", region_fr as "regionFr"
         from province`,
      'geo_code',
      f,
    ),
});

export const healthRegionsExport = defineExport({
  name: 'health-regions',
  filters: [],
  columns: [
    'hrUid',
    'provinceGeoCode',
    'nameEn',
    'nameFr',
    'shortNameEn',
    'shortNameFr',
    'population',
    'websiteEn',
    'websiteFr',
  ],
  sql: (f) =>
    byKey(
      `select hr_uid as "hrUid", province_geo_code as "provinceGeoCode", name_en as "nameEn", name_fr as "nameFr",
              short_name_en as "shortNameEn", short_name_fr as "shortNameFr", population,
              website_en as "websiteEn", website_fr as "websiteFr"
         from health_region`,
      'hr_uid',
      f,
    ),
});

export const fsaHealthRegionsExport = defineExport({
  name: 'fsa-health-regions',
  filters: [],
  columns: ['fsa', 'hrUid', 'provinceGeoCode', 'estimatedPopulation'],
  sql: (f) =>
    where(
      `select fsa, hr_uid as "hrUid", province_geo_code as "provinceGeoCode",
              estimated_population as "estimatedPopulation"
         from fsa_health_region`,
      [inScope('(fsa, hr_uid)', f.scope)],
      'order by fsa, hr_uid',
    ),
});
