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
  paginate,
  ProblemDetails,
  Public,
} from '#porch/core';
import { ProvincesQueryDto } from './dto/health-regions-query.dto.js';
import { ProvinceResponseDto } from './dto/province-response.dto.js';
import { HealthRegionsService } from './health-regions.service.js';

@ApiTags('health-regions')
@Public()
@HttpCacheable()
@ApiBadRequestResponse({ description: 'Malformed parameter', type: ProblemDetails })
@Controller('provinces')
export class ProvincesController {
  constructor(private readonly service: HealthRegionsService) {}

  /** List the provinces and territories (all 13 fit on the default page) */
  @Get()
  @ApiPageResponse(ProvinceResponseDto)
  list(
    @Query() query: ProvincesQueryDto,
    @Req() req: Request,
    @HttpCache() cache: HttpCacheReply,
  ): JsonText {
    const { count, results } = this.service.listProvinces(query);
    return cache.reply(paginate(req, query, count, results));
  }

  /** A province or territory, by abbreviation (`ON`, any case) or SGC code (`35`) */
  @Get(':code')
  @ApiParam({ name: 'code', description: 'Abbreviation or SGC code', example: 'ON' })
  @ApiOkResponse({ type: ProvinceResponseDto })
  @ApiNotFoundResponse({ description: 'No such province', type: ProblemDetails })
  get(@Param('code') code: string, @HttpCache() cache: HttpCacheReply): JsonText {
    return cache.reply(this.service.getProvince(code));
  }
}
