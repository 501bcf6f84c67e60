import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ProblemDetails, StaffOnly } from '#porch/core';
import { EXPORT_DEFINITIONS } from './definitions/index.js';
import { ExportQueryDto } from './dto/export-query.dto.js';
import { ExportsService } from './exports.service.js';
import { sendCsv } from './send-csv.js';

@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  /** Download a resource as CSV */
  @Get(':resource.csv')
  @StaffOnly()
  @ApiOperation({
    description:
      "RFC 4180 with a header row, UTF-8, streamed from a database cursor. Cells a spreadsheet would run as a formula are prefixed with `'`. Each export accepts only the filters that make sense for it; any other is a 400.",
  })
  @ApiParam({ name: 'resource', enum: EXPORT_DEFINITIONS.map((d) => d.name) })
  @ApiBadRequestResponse({ description: 'Bad or unsupported filter', type: ProblemDetails })
  @ApiNotFoundResponse({ description: 'No such export', type: ProblemDetails })
  @ApiOkResponse({
    description: 'The CSV file (Content-Disposition: attachment)',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async download(
    @Param('resource') resource: string,
    @Query() query: ExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    await sendCsv(res, await this.exports.open(resource, query));
  }
}
