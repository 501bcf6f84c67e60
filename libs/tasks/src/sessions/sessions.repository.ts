import { EntityRepository } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { queryPage, rawQuery, toOrderBy, type PageOf } from '#porch/core';
import { orderSql } from '../sql.js';
import type { ListSessionsQueryDto } from './dto/list-sessions-query.dto.js';
import type { DeviceRow, SessionRow } from './dto/session-response.dto.js';
import { Session } from './session.entity.js';
import type { PreparedUpload } from './session-upload.js';

/** A session with its device and the counts of its tasks and keypresses; `s` is the session. */
const SUMMARY_COLUMNS = `
  s.id, s.user_id as "userId", s.body_hash as "bodyHash", s.started_at as "startedAt",
  s.ended_at as "endedAt", s.duration_ms as "durationMs", s.app_version as "appVersion",
  s.created_at as "createdAt",
  json_build_object('id', d.id, 'platform', d.platform, 'model', d.model,
                    'osVersion', d.os_version, 'details', d.details) as device,
  tc."taskCount", tc."correctCount",
  (select count(*)::int from keypresses k where k.session_id = s.id) as "keypressCount"`;
const SUMMARY_JOINS = `
  join devices d on d.id = s.device_id
  cross join lateral (
    select count(*)::int as "taskCount", (count(*) filter (where t.is_correct))::int as "correctCount"
      from tasks t where t.session_id = s.id) tc`;

const SESSION_ORDER_COLUMNS = { startedAt: 's.started_at', createdAt: 's.created_at' };

const DEVICE_COLUMNS = `id, platform, model, os_version as "osVersion", details`;

/** The device row `findDevice` found, and whether the upload's `details` would add nothing. */
export type FoundDevice = DeviceRow & { unchanged: boolean };

/**
 * Sessions with their devices, tasks and keypresses (an upload writes them together).
 *
 * Every statement runs on the repository's own EntityManager through `rawQuery`, which needs no
 * fork: on the injected (global) one it joins a surrounding `em.transactional()` if any, else
 * takes a pooled connection. For the writes (`exists`, the device statements, `insertUpload`)
 * take the repository from the transaction's EntityManager (`em.getRepository(Session)` inside
 * `em.transactional`) so that they join it.
 */
export class SessionsRepository extends EntityRepository<Session> {
  /** One session's summary (device, counts), whoever's it is. */
  async findSummary(id: string): Promise<SessionRow | undefined> {
    const [row] = await rawQuery<SessionRow>(
      this.em,
      `select ${SUMMARY_COLUMNS} from sessions s ${SUMMARY_JOINS} where s.id = ?`,
      [id],
    );
    return row;
  }

  /** A page of one user's session summaries; the joins and counts run on the page's rows only. */
  async pageOf(userId: string, q: ListSessionsQueryDto): Promise<PageOf<SessionRow>> {
    const order = orderSql(
      toOrderBy(q.ordering, { startedAt: 'desc' }),
      SESSION_ORDER_COLUMNS,
      's.id',
    );
    return queryPage<SessionRow>(
      this.em,
      {
        columns: 's.*',
        from: 'sessions s where s.user_id = ?',
        params: [userId],
        orderBy: order,
        around: (page) =>
          `with page as (${page})
           select ${SUMMARY_COLUMNS}, s.total from page s ${SUMMARY_JOINS} order by ${order}`,
      },
      q,
    );
  }

  /** The id of the session's user (for `session.read`), if the session exists. */
  async ownerOf(id: string): Promise<string | undefined> {
    const [row] = await rawQuery<{ user_id: string }>(
      this.em,
      'select user_id from sessions where id = ?',
      [id],
    );
    return row?.user_id;
  }

  /** Whether a session with this id is stored. */
  async exists(id: string): Promise<boolean> {
    const [row] = await rawQuery(this.em, 'select 1 from sessions where id = ?', [id]);
    return row !== undefined;
  }

  /** The user's device with this platform, model and OS version, if known. */
  async findDevice(
    userId: string,
    device: PreparedUpload['device'],
  ): Promise<FoundDevice | undefined> {
    const [found] = await rawQuery<FoundDevice>(
      this.em,
      `select ${DEVICE_COLUMNS}, (details || ?::jsonb) = details as unchanged from devices
        where user_id = ? and platform = ? and model = ? and os_version = ?`,
      [JSON.stringify(device.details), userId, device.platform, device.model, device.osVersion],
    );
    return found;
  }

  /** Merges `details` into a device's (newer values win). */
  async mergeDeviceDetails(
    id: string,
    details: PreparedUpload['device']['details'],
    now: Date,
  ): Promise<DeviceRow> {
    const [updated] = await rawQuery<DeviceRow>(
      this.em,
      `update devices set details = details || ?::jsonb, updated_at = ? where id = ?
         returning ${DEVICE_COLUMNS}`,
      [JSON.stringify(details), now, id],
    );
    return updated!;
  }

  /**
   * A new device row for the user; undefined when a concurrent upload inserted the same one
   * first (ON CONFLICT waited for it to commit: the next statement sees it).
   */
  async insertDevice(
    userId: string,
    device: PreparedUpload['device'],
    now: Date,
  ): Promise<DeviceRow | undefined> {
    const [inserted] = await rawQuery<DeviceRow>(
      this.em,
      `insert into devices (id, user_id, platform, model, os_version, details, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
       on conflict on constraint devices_user_platform_model_os_unique do nothing
       returning ${DEVICE_COLUMNS}`,
      [
        uuidv7(),
        userId,
        device.platform,
        device.model,
        device.osVersion,
        JSON.stringify(device.details),
        now,
        now,
      ],
    );
    return inserted;
  }

  /**
   * The session row first (so a racing duplicate blocks on its primary key before the bulk
   * inserts), then its tasks and keypresses, one INSERT … SELECT per table: the rows travel as
   * a single JSON parameter that PostgreSQL expands with json_to_recordset. MikroORM inlines
   * every bind value into the SQL text client-side, so a 5,000-row `insertMany` means 30,000
   * values formatted and escaped one by one; one JSON string is escaped in a single pass and
   * parsed by the server. The column lists mirror the Task and Keypress entities (the e2e specs
   * read the rows back).
   */
  async insertUpload(
    u: PreparedUpload,
    userId: string,
    deviceId: string,
    now: Date,
  ): Promise<void> {
    await this.em.insert(Session, {
      id: u.id,
      user: userId,
      device: deviceId,
      startedAt: u.startedAt,
      endedAt: u.endedAt,
      durationMs: u.durationMs,
      appVersion: u.appVersion,
      bodyHash: u.bodyHash,
      createdAt: now,
      updatedAt: now,
    });
    await this.insertTasks(u, userId, now);
    await this.insertKeypresses(u, now);
  }

  private async insertTasks(u: PreparedUpload, userId: string, now: Date): Promise<void> {
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
      this.em,
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

  private async insertKeypresses(u: PreparedUpload, now: Date): Promise<void> {
    if (!u.keypresses.length) return;
    const rows = u.keypresses.map((k) => ({ id: uuidv7(), key: k.key, at: k.at }));
    await rawQuery(
      this.em,
      `insert into keypresses (id, session_id, key, at, created_at, updated_at)
     select r.id, ?, r.key, r.at, ?, ?
       from json_to_recordset(?::json) as r(id uuid, key text, at timestamptz)`,
      [u.id, now, now, JSON.stringify(rows)],
    );
  }
}
