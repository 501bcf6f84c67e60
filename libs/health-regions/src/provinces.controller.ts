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
} from '#porch/core';
import { ProvincesQueryDto } from './dto/health-regions-query.dto.js';
import { ProvinceResponseDto } from './dto/province-response.dto.js';
import { ParseProvinceCodePipe } from './health-regions.pipes.js';
import { HealthRegionsService } from './health-regions.service.js';
import { ReferenceController } from './reference-api.js';

@ReferenceController('provinces')
@ApiProblems({ 400: 'Malformed parameter' })
export class ProvincesController {
  /** Serialized pages per normalized query, made once per data version. */
  private readonly pages = new PageCache();

  constructor(private readonly service: HealthRegionsService) {}

  /** List the provinces and territories (all 13 fit on the default page) */
  @Get()
  @ApiPageResponse(ProvinceResponseDto)
  list(
    @Query() query: ProvincesQueryDto,
    @Req() req: Request,
    @HttpCache() cache: HttpCacheReply,
  ): JsonText {
    const page = this.pages.page(
      req,
      this.service.version,
      query,
      { ordering: query.ordering },
      () => this.service.listProvinces(query),
    );
    return cache.reply(page);
  }

  /** A province or territory, by abbreviation (`ON`, any case) or SGC code (`35`) */
  @Get(':code')
  @ApiParam({ name: 'code', description: 'Abbreviation or SGC code', example: 'ON' })
  @ApiOkResponse({ type: ProvinceResponseDto })
  @ApiProblems({ 404: 'No such province' })
  get(
    @Param('code', ParseProvinceCodePipe) code: string,
    @HttpCache() cache: HttpCacheReply,
  ): JsonText {
    return cache.reply(this.service.getProvince(code));
  }
}
