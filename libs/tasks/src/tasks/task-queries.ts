import type { TaskFilterQueryDto } from './dto/list-tasks-query.dto.js';
import { toOrderBy } from '#porch/core';
import { orderSql } from '../sql.js';

/** The columns of a TaskRow, from `tasks t`. */
export const TASK_COLUMNS = `
  t.id, t.session_id as "sessionId", t.position, t.first_number as "firstNumber", t.operator,
  t.second_number as "secondNumber", t.user_answer as "userAnswer", t.answered_at as "answeredAt",
  t.answer_ms as "answerMs",
  t.visual_help as "visualHelp", t.is_correct as "isCorrect", t.created_at as "createdAt"`;

/** `?since=`, `?operator=` as SQL conditions on `tasks t`. */
export function taskFilters(q: TaskFilterQueryDto): { where: string[]; params: unknown[] } {
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
export function taskOrder(q: TaskFilterQueryDto): string {
  return orderSql(
    toOrderBy(q.ordering, { createdAt: 'desc' }),
    { createdAt: 't.created_at', answeredAt: 't.answered_at' },
    't.id',
  );
}
