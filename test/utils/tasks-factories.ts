import { v7 as uuidv7 } from 'uuid';
import type { User } from '#porch/accounts';
import { bearer, createUser } from './factories.js';
import type { TestApp } from './test-app.js';

export interface TaskBody {
  firstNumber: number;
  secondNumber: number;
  operator: string;
  userAnswer?: number | null;
  answeredAt?: string | null;
  visualHelp?: boolean;
}

export interface SessionBody {
  id: string;
  startedAt: string;
  endedAt: string;
  durationMs?: number;
  appVersion: string;
  device: { platform: string; model: string; osVersion: string; details?: Record<string, unknown> };
  tasks: TaskBody[];
  keypresses: { key: string; at: string }[];
}

export interface SessionBodyOptions extends Partial<Omit<SessionBody, 'tasks' | 'keypresses'>> {
  /** How many generated tasks (cycling + - * /, each answered correctly one second apart). */
  tasks?: number | TaskBody[];
  /** How many generated keypresses (10 ms apart), or the list itself. */
  keypresses?: number | SessionBody['keypresses'];
}

const OPS = ['+', '-', '*', '/'] as const;

/** Task `i` of a generated session: `first op ? = second`, solved by `(i % 9) + 1`. */
export function generatedTask(i: number, answeredAt: Date | null): TaskBody {
  const x = (i % 9) + 1;
  const op = OPS[i % 4];
  const [first, second] =
    op === '+' ? [i, i + x] : op === '-' ? [x + 10, 10] : op === '*' ? [3, 3 * x] : [6 * x, 6];
  return {
    firstNumber: first,
    secondNumber: second,
    operator: op,
    userAnswer: answeredAt ? x : null,
    answeredAt: answeredAt?.toISOString() ?? null,
    visualHelp: i % 5 === 0,
  };
}

/**
 * A valid `POST /sessions` body: by default 3 tasks and 5 keypresses, a fresh UUIDv7 id, and a
 * window that holds every generated timestamp.
 */
export function sessionBody(options: SessionBodyOptions = {}): SessionBody {
  const { tasks = 3, keypresses = 5, ...fields } = options;
  const startedAt = new Date(fields.startedAt ?? '2026-11-22T20:00:00.000Z');
  const taskList =
    typeof tasks === 'number'
      ? Array.from({ length: tasks }, (_, i) =>
          generatedTask(i, new Date(startedAt.getTime() + (i + 1) * 1000)),
        )
      : tasks;
  const keyList =
    typeof keypresses === 'number'
      ? Array.from({ length: keypresses }, (_, i) => ({
          key: i % 7 === 6 ? 'backspace' : String(i % 10),
          at: new Date(startedAt.getTime() + i * 10).toISOString(),
        }))
      : keypresses;
  const latest = Math.max(
    startedAt.getTime(),
    ...taskList.map((t) => (t.answeredAt ? Date.parse(t.answeredAt) : 0)),
    ...keyList.map((k) => Date.parse(k.at)),
  );
  const span = Math.max((taskList.length + 1) * 1000, latest - startedAt.getTime() + 1000);
  return {
    id: uuidv7(),
    appVersion: '2.4.0',
    device: {
      platform: 'android',
      model: 'SM-T510',
      osVersion: '11',
      details: { locale: 'en-CA' },
    },
    ...fields,
    startedAt: startedAt.toISOString(),
    endedAt: fields.endedAt ?? new Date(startedAt.getTime() + span).toISOString(),
    tasks: taskList,
    keypresses: keyList,
  };
}

/** A user and their `Authorization` header. */
export async function learner(
  t: TestApp,
  overrides: Parameters<typeof createUser>[1] = {},
): Promise<{ user: User; auth: string }> {
  const user = await createUser(t, overrides);
  return { user, auth: await bearer(t, user) };
}

/** Uploads a session as the given caller; resolves to the supertest response. */
export function postSession(t: TestApp, auth: string, body: SessionBody | Record<string, unknown>) {
  return t.http.post('/api/v1/sessions').set('Authorization', auth).send(body);
}

/** Row counts of the measurement tables for one user (what an upload may have written). */
export async function storedCounts(t: TestApp, userId: string) {
  const [row] = await t
    .em()
    .getConnection()
    .execute<{ devices: number; sessions: number; tasks: number; keypresses: number }[]>(
      `select (select count(*)::int from devices where user_id = ?) as devices,
              (select count(*)::int from sessions where user_id = ?) as sessions,
              (select count(*)::int from tasks where user_id = ?) as tasks,
              (select count(*)::int from keypresses k join sessions s on s.id = k.session_id
                where s.user_id = ?) as keypresses`,
      [userId, userId, userId, userId],
    );
  return row;
}
