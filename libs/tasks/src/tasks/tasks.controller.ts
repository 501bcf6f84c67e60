import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse, Authenticated, CurrentUser, Pager, type Principal } from '#porch/core';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto.js';
import { TaskResponseDto } from './dto/task-response.dto.js';
import { TaskStatsResponseDto } from './dto/task-stats-response.dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** My tasks, filtered by store time, operator or session */
  @Get()
  @Authenticated()
  @ApiPageResponse(TaskResponseDto)
  list(@CurrentUser() user: Principal, @Query() query: ListTasksQueryDto, @Pager() pager: Pager) {
    return pager.page(query, this.tasks.list(user, query));
  }

  /** My count, accuracy and median answer time, overall and per operator */
  @Get('stats')
  @Authenticated()
  @ApiOkResponse({ type: TaskStatsResponseDto })
  stats(@CurrentUser() user: Principal): Promise<TaskStatsResponseDto> {
    return this.tasks.stats(user);
  }
}
