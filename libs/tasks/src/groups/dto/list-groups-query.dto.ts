import { IsOptional } from 'class-validator';
import { IsOrdering, PageQueryDto } from '#porch/core';
import { TaskFilterQueryDto } from '../../tasks/dto/list-tasks-query.dto.js';

export class ListGroupsQueryDto extends PageQueryDto {
  /** `name` or `createdAt`, `-` for descending. Default `-createdAt`. */
  @IsOptional()
  @IsOrdering(['name', 'createdAt'])
  ordering?: string;
}

/** `?since=&operator=&ordering=` and the page, as on `GET /tasks`. */
export class GroupTasksQueryDto extends TaskFilterQueryDto {}
