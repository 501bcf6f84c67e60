import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { queryPage, type PageOf, type Principal, rawQuery } from '#porch/core';
import type { ListTasksQueryDto } from './dto/list-tasks-query.dto.js';
import { toTaskResponse, type TaskResponseDto, type TaskRow } from './dto/task-response.dto.js';
import type {
  OperatorStatsDto,
  TaskStatsDto,
  TaskStatsResponseDto,
} from './dto/task-stats-response.dto.js';
import { OPERATORS, type Operator } from './operator.js';
import { TASK_COLUMNS, taskFilters, taskOrder } from './task-queries.js';

interface StatsRow {
  operator: Operator | null;
  overall: boolean;
  count: number;
  answered: number;
  correct: number;
  medianAnswerMs: number | null;
}

/** The caller's own tasks: every query here filters on the caller's id. */
@Injectable()
export class TasksService {
  constructor(private readonly em: EntityManager) {}

  async list(principal: Principal, q: ListTasksQueryDto): Promise<PageOf<TaskResponseDto>> {
    const em = this.em.fork();
    const { where, params } = taskFilters(q);
    where.unshift('t.user_id = ?');
    params.unshift(principal.id);
    if (q.sessionId) {
      where.push('t.session_id = ?');
      params.push(q.sessionId.toLowerCase());
    }
    const { count, results } = await queryPage<TaskRow>(
      em,
      {
        columns: TASK_COLUMNS,
        from: `tasks t where ${where.join(' and ')}`,
        params,
        orderBy: taskOrder(q),
      },
      q,
    );
    return { count, results: results.map(toTaskResponse) };
  }

  /**
   * Count, accuracy and median answer time (of answered tasks), overall and per operator, in one
   * statement over the caller's tasks. Answer times are derived at upload (Task.answerMs).
   */
  async stats(principal: Principal): Promise<TaskStatsResponseDto> {
    const rows = await rawQuery<StatsRow>(
      this.em.fork(),
      `select t.operator, grouping(t.operator) = 1 as overall,
              count(*)::int as count,
              count(t.user_answer)::int as answered,
              (count(*) filter (where t.is_correct))::int as correct,
              percentile_cont(0.5) within group (order by t.answer_ms)
                filter (where t.user_answer is not null) as "medianAnswerMs"
         from tasks t where t.user_id = ?
        group by grouping sets ((t.operator), ())`,
      [principal.id],
    );
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

function toStats(row: StatsRow | undefined): TaskStatsDto {
  if (!row) return { count: 0, answered: 0, correct: 0, accuracy: null, medianAnswerMs: null };
  return {
    count: row.count,
    answered: row.answered,
    correct: row.correct,
    accuracy: row.answered ? row.correct / row.answered : null,
    medianAnswerMs: row.medianAnswerMs,
  };
}
