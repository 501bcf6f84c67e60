import { Injectable } from '@nestjs/common';
import type { PageOf, Principal } from '#porch/core';
import type { ListTasksQueryDto } from './dto/list-tasks-query.dto.js';
import { toTaskResponse, type TaskResponseDto } from './dto/task-response.dto.js';
import type {
  OperatorStatsDto,
  TaskStatsDto,
  TaskStatsResponseDto,
} from './dto/task-stats-response.dto.js';
import { OPERATORS } from './operator.js';
import { TasksRepository, type TaskStatsRow } from './tasks.repository.js';

/** The caller's own tasks: every query here filters on the caller's id. */
@Injectable()
export class TasksService {
  constructor(private readonly taskRepository: TasksRepository) {}

  async list(principal: Principal, q: ListTasksQueryDto): Promise<PageOf<TaskResponseDto>> {
    const { count, results } = await this.taskRepository.pageOf(principal.id, q);
    return { count, results: results.map(toTaskResponse) };
  }

  /**
   * Count, accuracy and median answer time (of answered tasks), overall and per operator, in one
   * statement over the caller's tasks. Answer times are derived at upload (Task.answerMs).
   */
  async stats(principal: Principal): Promise<TaskStatsResponseDto> {
    const rows = await this.taskRepository.statsOf(principal.id);
    const overall = rows.find((r) => r.overall);
    return {
      overall: toStats(overall),
      operators: OPERATORS.map(
        (operator): OperatorStatsDto => ({
          operator,
          ...toStats(rows.find((r) => !r.overall && r.operator === operator)),
        }),
      ),
    };
  }
}

function toStats(row: TaskStatsRow | undefined): TaskStatsDto {
  if (!row) return { count: 0, answered: 0, correct: 0, accuracy: null, medianAnswerMs: null };
  return {
    count: row.count,
    answered: row.answered,
    correct: row.correct,
    accuracy: row.answered ? row.correct / row.answered : null,
    medianAnswerMs: row.medianAnswerMs,
  };
}
