import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsOrdering, PageQueryDto } from '#porch/core';
import { TaskFilterQueryDto } from '../../tasks/dto/list-tasks-query.dto.js';
import { Membership } from './group-response.dto.js';

export class ListGroupsQueryDto extends PageQueryDto {
  /** Only groups where your membership is this (e.g. `pending`: invitations to answer). */
  @ApiPropertyOptional({ enum: Object.values(Membership), enumName: 'GroupMembership' })
  @IsOptional()
  @IsIn(Object.values(Membership))
  membership?: Membership;

  /** `name` or `createdAt`, `-` for descending. Default `-createdAt`. */
  @IsOptional()
  @IsOrdering(['name', 'createdAt'])
  ordering?: string;
}

/** `?since=&operator=&ordering=` and the page, as on `GET /tasks`. */
export class GroupTasksQueryDto extends TaskFilterQueryDto {}
