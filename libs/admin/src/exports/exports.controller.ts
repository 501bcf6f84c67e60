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
  @StaffOnly({ permission: 'export.read' })
  @ApiOperation({
    description:
      "RFC 4180 with a header row, UTF-8 (`bom=1` adds a byte order mark for Excel), streamed from a database cursor. Text cells a spreadsheet would run as a formula (starting with = + - @, tab or CR, unless a plain number or a lone operator) are prefixed with `'`. Each export accepts only the filters that make sense for it; any other is a 400.",
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

  /** Download a resource as an Excel workbook */
  @Get(':resource.xlsx')
  @StaffOnly({ permission: 'export.read' })
  @ApiOperation({
    description:
      'The same rows and columns as the CSV, as one .xlsx worksheet with a header row, streamed (exceljs streaming writer) in constant memory. Numbers and booleans are typed cells, timestamps ISO 8601 text; text cells are never formulas, so nothing is rewritten. `bom` applies to CSV only and is ignored here.',
  })
  @ApiParam({ name: 'resource', enum: EXPORT_DEFINITIONS.map((d) => d.name) })
  @ApiBadRequestResponse({ description: 'Bad or unsupported filter', type: ProblemDetails })
  @ApiNotFoundResponse({ description: 'No such export', type: ProblemDetails })
  @ApiOkResponse({
    description: 'The workbook (Content-Disposition: attachment)',
    content: {
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
        schema: { type: 'string', format: 'binary' },
      },
    },
  })
  async downloadXlsx(
    @Param('resource') resource: string,
    @Query() query: ExportQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    await sendCsv(res, await this.exports.open(resource, query, { format: 'xlsx' }));
  }
}
