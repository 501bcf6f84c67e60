import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { IsOrdering, IsTimestamp, PageQueryDto } from '#porch/core';
import { OPERATORS, type Operator } from '../operator.js';

/** An unencoded `+` in a query string arrives as a space; it can only have meant `+`. */
const plusFromSpace = ({ value }: { value: unknown }) => (value === ' ' ? '+' : value);

export class TaskFilterQueryDto extends PageQueryDto {
  /**
   * Only tasks the server stored at or after this instant (ISO 8601). The server's clock, not
   * the device's: a sync cursor that never misses a session uploaded late.
   */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  since?: string;

  /** `+`, `-`, `*` or `/` (URL-encode `+` as `%2B`). */
  @ApiPropertyOptional({ enum: [...OPERATORS], enumName: 'Operator' })
  @IsOptional()
  @Transform(plusFromSpace)
  @IsIn(OPERATORS, { message: 'operator must be one of +, -, *, /' })
  operator?: Operator;

  /** `createdAt` or `answeredAt`, `-` for descending. Default `-createdAt`. */
  @IsOptional()
  @IsOrdering(['createdAt', 'answeredAt'])
  ordering?: string;
}

export class ListTasksQueryDto extends TaskFilterQueryDto {
  /** Only the tasks of this session. */
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  sessionId?: string;
}
