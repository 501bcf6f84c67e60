import { EntityRepository } from '@mikro-orm/postgresql';
import { queryPage, rawQuery, toOrderBy, type PageOf } from '#porch/core';
import type { TaskUserDto } from '../groups/dto/group-response.dto.js';
import { consentingMember } from '../groups/groups.repository.js';
import { orderSql } from '../sql.js';
import type { ListTasksQueryDto, TaskFilterQueryDto } from './dto/list-tasks-query.dto.js';
import type { TaskRow } from './dto/task-response.dto.js';
import type { Operator } from './operator.js';
import type { Task } from './task.entity.js';

/** The columns of a TaskRow, from `tasks t`. */
const TASK_COLUMNS = `
  t.id, t.session_id as "sessionId", t.position, t.first_number as "firstNumber", t.operator,
  t.second_number as "secondNumber", t.user_answer as "userAnswer", t.answered_at as "answeredAt",
  t.answer_ms as "answerMs",
  t.visual_help as "visualHelp", t.is_correct as "isCorrect", t.created_at as "createdAt"`;

/** `?since=`, `?operator=` as SQL conditions on `tasks t`. */
function taskFilters(q: TaskFilterQueryDto): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.since) {
    where.push('t.created_at >= ?');
    params.push(new Date(q.since));
  }
  if (q.operator) {
    where.push('t.operator = ?');
    params.push(q.operator);
  }
  return { where, params };
}

/** `?ordering=` on tasks; default newest stored first. Ties (one upload) break on the id. */
function taskOrder(q: TaskFilterQueryDto): string {
  return orderSql(
    toOrderBy(q.ordering, { createdAt: 'desc' }),
    { createdAt: 't.created_at', answeredAt: 't.answered_at' },
    't.id',
  );
}

/** One line of `statsOf`: an operator's figures, or the overall ones (`overall`). */
export interface TaskStatsRow {
  operator: Operator | null;
  overall: boolean;
  count: number;
  answered: number;
  correct: number;
  medianAnswerMs: number | null;
}

/** A task of a group member, with who did it. */
export type GroupTaskRow = TaskRow & { user: TaskUserDto };

/**
 * The reads of tasks (they are written with their session: `SessionsRepository.insertUpload`).
 * Every query filters on a user: the caller's own tasks, or a group's consenting members'.
 */
export class TasksRepository extends EntityRepository<Task> {
  /** A page of one user's tasks, filtered and ordered as `GET /tasks` asks. */
  async pageOf(userId: string, q: ListTasksQueryDto): Promise<PageOf<TaskRow>> {
    const { where, params } = taskFilters(q);
    where.unshift('t.user_id = ?');
    params.unshift(userId);
    if (q.sessionId) {
      where.push('t.session_id = ?');
      params.push(q.sessionId.toLowerCase());
    }
    return queryPage<TaskRow>(
      this.em,
      {
        columns: TASK_COLUMNS,
        from: `tasks t where ${where.join(' and ')}`,
        params,
        orderBy: taskOrder(q),
      },
      q,
    );
  }

  /**
   * A page of the tasks of group `groupId`'s owner and accepted members (`consentingMember`),
   * but not `callerId`'s own nor those of deleted accounts.
   */
  async pageOfGroup(
    groupId: string,
    callerId: string,
    q: TaskFilterQueryDto,
  ): Promise<PageOf<GroupTaskRow>> {
    const filters = taskFilters(q);
    const where = [
      `exists (select 1 from groups g where g.id = ? and ${consentingMember('g', 't.user_id')})`,
      't.user_id <> ?',
      ...filters.where,
    ].join(' and ');
    return queryPage<GroupTaskRow>(
      this.em,
      {
        columns: `${TASK_COLUMNS}, json_build_object('id', u.id, 'name', u.name) as "user"`,
        from: `tasks t join users u on u.id = t.user_id and u.deleted_at is null where ${where}`,
        params: [groupId, callerId, ...filters.params],
        orderBy: taskOrder(q),
      },
      q,
    );
  }

  /**
   * Count, answered, correct and median answer time (of answered tasks) of one user's tasks,
   * per operator and overall, in one statement (`grouping sets`). Operators without tasks have
   * no row.
   */
  async statsOf(userId: string): Promise<TaskStatsRow[]> {
    return rawQuery<TaskStatsRow>(
      this.em,
      `select t.operator, grouping(t.operator) = 1 as overall,
              count(*)::int as count,
              count(t.user_answer)::int as answered,
              (count(*) filter (where t.is_correct))::int as correct,
              percentile_cont(0.5) within group (order by t.answer_ms)
                filter (where t.user_answer is not null) as "medianAnswerMs"
         from tasks t where t.user_id = ?
        group by grouping sets ((t.operator), ())`,
      [userId],
    );
  }
}
