import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module, OnModuleInit, Optional } from '@nestjs/common';
import { HotRoutes } from '#porch/core';
import { FsaController } from './fsa.controller.js';
import { FsaHealthRegion } from './fsa-health-region.entity.js';
import { HealthRegion } from './health-region.entity.js';
import { HealthRegionsCatalog } from './health-regions.catalog.js';
import { HealthRegionsController } from './health-regions.controller.js';
import { HealthRegionsHotRoutes } from './health-regions.hot-routes.js';
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
  providers: [
    HealthRegionsLoader,
    HealthRegionsCatalog,
    HealthRegionsService,
    HealthRegionsHotRoutes,
  ],
  exports: [HealthRegionsLoader, HealthRegionsCatalog],
})
export class HealthRegionsModule implements OnModuleInit {
  constructor(
    private readonly loader: HealthRegionsLoader,
    private readonly catalog: HealthRegionsCatalog,
    private readonly hotRoutes: HealthRegionsHotRoutes,
    // Absent where there is no HTTP server (the manage CLI).
    @Optional() private readonly hot?: HotRoutes,
  ) {}

  /**
   * At start: bring the tables to the shipped CSVs, take the in-memory copy, watch for changes,
   * and hand the hottest reads to the hot path.
   */
  async onModuleInit(): Promise<void> {
    const { status } = await this.loader.load();
    if (status !== 'not-migrated') await this.catalog.refresh({ force: true });
    this.catalog.startPolling();
    this.hot?.add(...this.hotRoutes.routes());
  }
}
