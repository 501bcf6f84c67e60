import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsBoolean, IsISO8601, IsOptional, IsUUID } from 'class-validator';

const toList = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value])
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
    .map((v) => (typeof v === 'string' ? v.trim() : v))
    .filter((v) => v !== '');

/** Filters of a CSV export; each export accepts only some of them (400 otherwise). */
export class ExportQueryDto {
  /** Comma-separated user ids (or the parameter repeated). */
  @IsOptional()
  @Transform(toList)
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  userIds?: string[];

  /** A group id (measurement exports). */
  @IsOptional()
  @IsUUID('all')
  groupId?: string;

  /** ISO 8601 instant, inclusive, e.g. `2026-11-01T00:00:00Z`. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  since?: string;

  /** `1`: start the CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === '1' || value === 'true' ? true : value === '0' || value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'bom must be 1 or 0' })
  bom?: boolean;

  /** ISO 8601 instant, exclusive. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  until?: string;
}
