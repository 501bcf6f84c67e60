export * from './health-regions.module.js';
export * from './province.entity.js';
export * from './health-region.entity.js';
export * from './fsa-health-region.entity.js';
export * from './reference-data-version.entity.js';
export * from './health-regions.catalog.js';
export * from './health-regions.loader.js';
export {
  HEALTH_REGIONS_DATA_DIR,
  HEALTH_REGIONS_DATASET,
  DatasetError,
} from './health-regions.dataset.js';
export * from './dto/fsa-lookup-response.dto.js';
export * from './dto/province-response.dto.js';
export * from './dto/health-region-response.dto.js';
export * from './health-regions.service.js';
export * from './health-regions.pipes.js';
export * from './dto/health-regions-query.dto.js';
