import { Injectable, type PipeTransform } from '@nestjs/common';
import { normalizeFsa, ValidationProblem } from '#porch/core';
import { PROVINCE_CODE_MESSAGE, PROVINCE_CODE_PATTERN } from './dto/health-regions-query.dto.js';

/** `:hrUid`: a positive integer of at most nine digits, else 400. */
@Injectable()
export class ParseHrUidPipe implements PipeTransform<string, number> {
  transform(raw: string): number {
    if (!/^\d{1,9}$/.test(raw))
      throw new ValidationProblem([
        { field: 'hrUid', message: 'hrUid must be a positive integer' },
      ]);
    return Number(raw);
  }
}

/** `:code` of a province: an abbreviation (any case) or a two-digit SGC code, upper-cased. */
@Injectable()
export class ParseProvinceCodePipe implements PipeTransform<string, string> {
  transform(raw: string): string {
    if (!PROVINCE_CODE_PATTERN.test(raw))
      throw new ValidationProblem([{ field: 'code', message: `code ${PROVINCE_CODE_MESSAGE}` }]);
    return raw.toUpperCase();
  }
}

/** `:code` of the FSA lookup: an FSA or a whole postal code (any case, spacing), as its FSA. */
@Injectable()
export class ParseFsaPipe implements PipeTransform<string, string> {
  transform(raw: string): string {
    const fsa = normalizeFsa(raw);
    if (!fsa)
      throw new ValidationProblem([
        { field: 'code', message: 'code must be an FSA (A1A) or a postal code (A1A 1A1)' },
      ]);
    return fsa;
  }
}
