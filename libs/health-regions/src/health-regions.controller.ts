import { Get, Param, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  ApiPageResponse,
  ApiProblems,
  HttpCache,
  type HttpCacheReply,
  type JsonText,
  PageCache,
  PageQueryDto,
} from '#porch/core';
import {
  HealthRegionFsaResponseDto,
  HealthRegionResponseDto,
} from './dto/health-region-response.dto.js';
import { HealthRegionsQueryDto } from './dto/health-regions-query.dto.js';
import { ParseHrUidPipe } from './health-regions.pipes.js';
import { HealthRegionsService } from './health-regions.service.js';
import { ReferenceController } from './reference-api.js';

const HR_UID = {
  name: 'hrUid',
  type: 'integer',
  description: 'Official health region id',
  example: 3595,
};

@ReferenceController('health-regions')
@ApiProblems({ 400: 'Malformed parameter' })
export class HealthRegionsController {
  /** Serialized pages per normalized query, made once per data version. */
  private readonly pages = new PageCache();
  private readonly fsaPages = new PageCache();

  constructor(private readonly service: HealthRegionsService) {}

  /** List health regions, by province and/or searched by name (English or French) */
  @Get()
  @ApiPageResponse(HealthRegionResponseDto)
  list(
    @Query() query: HealthRegionsQueryDto,
    @Req() req: Request,
    @HttpCache() cache: HttpCacheReply,
  ): JsonText {
    const { search, ordering } = query;
    const province = query.province?.toUpperCase();
    const page = this.pages.page(
      req,
      this.service.version,
      query,
      { province, search, ordering },
      () => this.service.listHealthRegions(query),
    );
    return cache.reply(page);
  }

  /** A health region, with its province and FSA count */
  @Get(':hrUid')
  @ApiParam(HR_UID)
  @ApiOkResponse({ type: HealthRegionResponseDto })
  @ApiProblems({ 404: 'No such health region' })
  get(@Param('hrUid', ParseHrUidPipe) hrUid: number, @HttpCache() cache: HttpCacheReply): JsonText {
    return cache.reply(this.service.getHealthRegion(hrUid));
  }

  /** The FSAs of a health region, with the share of each FSA's population living in it */
  @Get(':hrUid/fsas')
  @ApiParam(HR_UID)
  @ApiPageResponse(HealthRegionFsaResponseDto)
  @ApiProblems({ 404: 'No such health region' })
  fsas(
    @Param('hrUid', ParseHrUidPipe) hrUid: number,
    @Query() query: PageQueryDto,
    @Req() req: Request,
    @HttpCache() cache: HttpCacheReply,
  ): JsonText {
    const page = this.fsaPages.page(req, this.service.version, query, {}, () =>
      this.service.listHealthRegionFsas(hrUid, query),
    );
    return cache.reply(page);
  }
}
