import { IsOptional } from 'class-validator';
import { IsOrdering, PageQueryDto } from '#porch/core';

export class ListSessionsQueryDto extends PageQueryDto {
  /** `startedAt` or `createdAt`, `-` for descending. Default `-startedAt` (newest first). */
  @IsOptional()
  @IsOrdering(['startedAt', 'createdAt'])
  ordering?: string;
}
