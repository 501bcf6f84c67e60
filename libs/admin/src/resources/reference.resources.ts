import { FsaHealthRegion, HealthRegion, Province } from '#porch/health-regions';
import type { AdminResourceDefinition } from './resource-definition.js';

/** Reference data is loaded from the shipped CSVs at start: read-only in the panel. */
export const healthRegionsResources: AdminResourceDefinition[] = [
  {
    entity: Province,
    navigation: 'Health regions',
    label: 'Provinces',
    titleProperty: 'nameEn',
    searchFields: ['nameEn', 'nameFr', 'alphaCode'],
    readOnly: true,
    listProperties: ['geoCode', 'alphaCode', 'nameEn', 'nameFr', 'regionEn'],
    filterProperties: ['alphaCode', 'nameEn', 'regionEn'],
    exportName: 'provinces',
  },
  {
    entity: HealthRegion,
    navigation: 'Health regions',
    label: 'Health regions',
    titleProperty: 'nameEn',
    searchFields: ['nameEn', 'nameFr', 'shortNameEn', 'shortNameFr'],
    readOnly: true,
    listProperties: ['hrUid', 'nameEn', 'shortNameEn', 'province', 'population'],
    filterProperties: ['nameEn', 'shortNameEn', 'province'],
    exportName: 'health-regions',
  },
  {
    entity: FsaHealthRegion,
    navigation: 'Health regions',
    label: 'FSA health regions',
    titleProperty: 'fsa',
    searchFields: ['fsa', 'healthRegion.nameEn'],
    readOnly: true,
    listProperties: ['fsa', 'healthRegion', 'province', 'estimatedPopulation'],
    filterProperties: ['fsa', 'healthRegion', 'province'],
    exportName: 'fsa-health-regions',
  },
];
