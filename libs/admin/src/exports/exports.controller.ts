import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { StaffOnly } from '#porch/core';
import { EXPORT_DEFINITIONS } from './definitions/index.js';
import { ExportQueryDto } from './dto/export-query.dto.js';
import { ExportsService } from './exports.service.js';
import { sendCsv } from './send-csv.js';

@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  /**
   * Download a resource as CSV
   *
   * RFC 4180 with a header row, UTF-8, streamed from a database cursor. Cells that a spreadsheet
   * would run as a formula are prefixed with `'`. Each export accepts only the filters that make
   * sense for it; any other filter is a 400.
   */
  @Get(':resource.csv')
  @StaffOnly()
  @ApiParam({ name: 'resource', enum: EXPORT_DEFINITIONS.map((d) => d.name) })
  @ApiProduces('text/csv')
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
