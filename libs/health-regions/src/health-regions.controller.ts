import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  ApiPageResponse,
  HttpCache,
  HttpCacheable,
  type HttpCacheReply,
  type JsonText,
  PageQueryDto,
  paginate,
  ProblemDetails,
  Public,
} from '#porch/core';
import {
  HealthRegionFsaResponseDto,
  HealthRegionResponseDto,
} from './dto/health-region-response.dto.js';
import { HealthRegionsQueryDto } from './dto/health-regions-query.dto.js';
import { HealthRegionsService } from './health-regions.service.js';

const HR_UID = { name: 'hrUid', description: 'Official health region id', example: 3595 };

@ApiTags('health-regions')
@Public()
@HttpCacheable()
@ApiBadRequestResponse({ description: 'Malformed parameter', type: ProblemDetails })
@Controller('health-regions')
export class HealthRegionsController {
  constructor(private readonly service: HealthRegionsService) {}

  /** List health regions, by province and/or searched by name (English or French) */
  @Get()
  @ApiPageResponse(HealthRegionResponseDto)
  list(
    @Query() query: HealthRegionsQueryDto,
    @Req() req: Request,
    @HttpCache() cache: HttpCacheReply,
  ): JsonText {
    const { count, results } = this.service.listHealthRegions(query);
    return cache.reply(paginate(req, query, count, results));
  }

  /** A health region, with its province and FSA count */
  @Get(':hrUid')
  @ApiParam(HR_UID)
  @ApiOkResponse({ type: HealthRegionResponseDto })
  @ApiNotFoundResponse({ description: 'No such health region', type: ProblemDetails })
  get(@Param('hrUid') hrUid: string, @HttpCache() cache: HttpCacheReply): JsonText {
    return cache.reply(this.service.getHealthRegion(hrUid));
  }

  /** The FSAs of a health region, with the share of each FSA's population living in it */
  @Get(':hrUid/fsas')
  @ApiParam(HR_UID)
  @ApiPageResponse(HealthRegionFsaResponseDto)
  @ApiNotFoundResponse({ description: 'No such health region', type: ProblemDetails })
  fsas(
    @Param('hrUid') hrUid: string,
    @Query() query: PageQueryDto,
    @Req() req: Request,
    @HttpCache() cache: HttpCacheReply,
  ): JsonText {
    const { count, results } = this.service.listHealthRegionFsas(hrUid, query);
    return cache.reply(paginate(req, query, count, results));
  }
}
