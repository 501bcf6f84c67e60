import type { EntityManager } from '@mikro-orm/postgresql';
import { rawQuery } from '#porch/core';
import { v7 as uuidv7 } from 'uuid';
import type { PreparedUpload } from './session-upload.js';

/*
 * The bulk rows of an upload, one INSERT … SELECT per table: the rows travel as a single JSON
 * parameter that PostgreSQL expands with json_to_recordset. MikroORM inlines every bind value
 * into the SQL text client-side, so a 5,000-row `insertMany` means 30,000 values formatted and
 * escaped one by one; one JSON string is escaped in a single pass and parsed by the server.
 * The column lists mirror the Task and Keypress entities (the e2e specs read the rows back).
 */

export async function insertTasks(
  em: EntityManager,
  u: PreparedUpload,
  userId: string,
  now: Date,
): Promise<void> {
  if (!u.tasks.length) return;
  const rows = u.tasks.map((t) => ({
    id: uuidv7(),
    position: t.position,
    first_number: t.firstNumber,
    second_number: t.secondNumber,
    operator: t.operator,
    user_answer: t.userAnswer,
    answered_at: t.answeredAt,
    answer_ms: t.answerMs,
    visual_help: t.visualHelp,
    is_correct: t.isCorrect,
  }));
  await rawQuery(
    em,
    `insert into tasks (id, session_id, user_id, position, first_number, second_number, operator,
                        user_answer, answered_at, answer_ms, visual_help, is_correct,
                        created_at, updated_at)
     select r.id, ?, ?, r.position, r.first_number, r.second_number, r.operator, r.user_answer,
            r.answered_at, r.answer_ms, r.visual_help, r.is_correct, ?, ?
       from json_to_recordset(?::json) as r(id uuid, position smallint, first_number int,
            second_number int, operator text, user_answer int, answered_at timestamptz,
            answer_ms int, visual_help boolean, is_correct boolean)`,
    [u.id, userId, now, now, JSON.stringify(rows)],
  );
}

export async function insertKeypresses(
  em: EntityManager,
  u: PreparedUpload,
  now: Date,
): Promise<void> {
  if (!u.keypresses.length) return;
  const rows = u.keypresses.map((k) => ({ id: uuidv7(), key: k.key, at: k.at }));
  await rawQuery(
    em,
    `insert into keypresses (id, session_id, key, at, created_at, updated_at)
     select r.id, ?, r.key, r.at, ?, ?
       from json_to_recordset(?::json) as r(id uuid, key text, at timestamptz)`,
    [u.id, now, now, JSON.stringify(rows)],
  );
}
