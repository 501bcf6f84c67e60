import { Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { ApiProblems, HttpCache, type HttpCacheReply, type JsonText } from '#porch/core';
import { FsaLookupResponseDto } from './dto/fsa-lookup-response.dto.js';
import { ParseFsaPipe } from './health-regions.pipes.js';
import { HealthRegionsService } from './health-regions.service.js';
import { ReferenceController } from './reference-api.js';

@ReferenceController('fsa')
export class FsaController {
  constructor(private readonly service: HealthRegionsService) {}

  /** The health regions of a postal code or FSA, with the share of its population in each */
  @Get(':code')
  @ApiParam({
    name: 'code',
    description: 'An FSA (`M5V`) or a whole postal code (`M5V 2T6`, `m5v2t6`), any case',
    example: 'M5V 2T6',
  })
  @ApiOkResponse({ type: FsaLookupResponseDto })
  @ApiProblems({ 400: 'Not an FSA or postal code', 404: 'A well-formed FSA not in the data' })
  lookup(@Param('code', ParseFsaPipe) fsa: string, @HttpCache() cache: HttpCacheReply): JsonText {
    return cache.reply(this.service.lookupFsa(fsa));
  }
}
