import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { CachedJson, type HotRoute, paginate } from '#porch/core';
import { HealthRegionsQueryDto } from './dto/health-regions-query.dto.js';
import { FsaController } from './fsa.controller.js';
import { HealthRegionsCatalog } from './health-regions.catalog.js';
import { HealthRegionsController } from './health-regions.controller.js';
import { HealthRegionsService } from './health-regions.service.js';
import type { HealthRegionsSnapshot } from './health-regions.snapshot.js';
import { ProvincesController } from './provinces.controller.js';

/** First pages kept per origin (`http://host`): a few in practice, bounded against odd Host headers. */
const MAX_ORIGINS = 16;

/**
 * The reference reads the hot path answers (`HotPath` in core): the FSA lookup, one region, one
 * province, and the first page of regions, all from the in-memory catalog through the same
 * service calls as the controllers. Anything else (a query, a bad or unknown code) goes to them.
 */
@Injectable()
export class HealthRegionsHotRoutes {
  private readonly firstPages = new Map<string, CachedJson<unknown>>();
  private firstPagesOf?: HealthRegionsSnapshot;

  constructor(
    private readonly service: HealthRegionsService,
    private readonly catalog: HealthRegionsCatalog,
  ) {}

  routes(): HotRoute[] {
    return [
      {
        path: '/fsa/:code',
        controller: FsaController,
        method: 'lookup',
        resolve: (_req, code) => this.service.lookupFsa(code!),
      },
      {
        path: '/health-regions',
        controller: HealthRegionsController,
        method: 'list',
        resolve: (req) => this.firstPage(req),
      },
      {
        path: '/health-regions/:hrUid',
        controller: HealthRegionsController,
        method: 'get',
        resolve: (_req, hrUid) => this.service.getHealthRegion(hrUid!),
      },
      {
        path: '/provinces/:code',
        controller: ProvincesController,
        method: 'get',
        resolve: (_req, code) => this.service.getProvince(code!),
      },
    ];
  }

  /** `GET /health-regions` without a query: its links are absolute, so one body per origin. */
  private firstPage(req: Request): CachedJson<unknown> {
    const snapshot = this.catalog.snapshot;
    if (snapshot !== this.firstPagesOf) {
      this.firstPages.clear();
      this.firstPagesOf = snapshot;
    }
    const origin = `${req.protocol}://${req.get('host') ?? ''}`;
    let page = this.firstPages.get(origin);
    if (!page) {
      const query = new HealthRegionsQueryDto();
      const { count, results } = this.service.listHealthRegions(query);
      page = CachedJson.of(paginate(req, query, count, results));
      if (this.firstPages.size < MAX_ORIGINS) this.firstPages.set(origin, page);
    }
    return page;
  }
}
