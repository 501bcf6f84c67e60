import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, OnModuleInit } from '@nestjs/common';
import { FsaController } from './fsa.controller.js';
import { FsaHealthRegion } from './fsa-health-region.entity.js';
import { HealthRegion } from './health-region.entity.js';
import { HealthRegionsCatalog } from './health-regions.catalog.js';
import { HealthRegionsController } from './health-regions.controller.js';
import { HealthRegionsLoader } from './health-regions.loader.js';
import { HealthRegionsService } from './health-regions.service.js';
import { Province } from './province.entity.js';
import { ProvincesController } from './provinces.controller.js';
import { ReferenceDataVersion } from './reference-data-version.entity.js';

/**
 * Provinces, health regions and the FSA → region lookup: reference data, public and read-only.
 * Core's migrations run in its own init hook, which Nest calls before this module's (the database
 * module is global, so it sits deeper in the graph than every domain module).
 */
@Module({
  imports: [
    MikroOrmModule.forFeature([Province, HealthRegion, FsaHealthRegion, ReferenceDataVersion]),
  ],
  controllers: [HealthRegionsController, FsaController, ProvincesController],
  providers: [HealthRegionsLoader, HealthRegionsCatalog, HealthRegionsService],
  exports: [HealthRegionsLoader, HealthRegionsCatalog, HealthRegionsService],
})
export class HealthRegionsModule implements OnModuleInit {
  constructor(
    private readonly loader: HealthRegionsLoader,
    private readonly catalog: HealthRegionsCatalog,
  ) {}

  /** At start: bring the tables to the shipped CSVs, take the in-memory copy, watch for changes. */
  async onModuleInit(): Promise<void> {
    const { status } = await this.loader.load();
    if (status !== 'not-migrated') await this.catalog.refresh({ force: true });
    this.catalog.startPolling();
  }
}
