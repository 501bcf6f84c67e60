import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  ConflictProblem,
  NotFoundProblem,
  type PageOf,
  queryPage,
  toOrderBy,
  rawQuery,
  type Principal,
} from '#porch/core';
import { orderSql } from '../sql.js';
import { insertKeypresses, insertTasks } from './bulk-insert.js';
import { Session } from './session.entity.js';
import { prepareUpload, type PreparedUpload } from './session-upload.js';
import type { CreateSessionDto } from './dto/create-session.dto.js';
import type { ListSessionsQueryDto } from './dto/list-sessions-query.dto.js';
import {
  toSessionResponse,
  type DeviceRow,
  type SessionResponseDto,
  type SessionRow,
} from './dto/session-response.dto.js';

export interface UploadOutcome {
  /** False when the upload was a retry of a stored session (nothing was written). */
  created: boolean;
  session: SessionResponseDto;
}

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

/**
 * Session uploads and the caller's own session reads. Lists filter on the caller's id; one
 * session is read by a caller holding `session.read` on it (the route's permission: TasksAccess
 * answers 404 for anyone else's).
 */
@Injectable()
export class SessionsService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Stores a session with its device, tasks and keypresses in one transaction, or recognizes a
   * retry. Same id + same user + same canonical body: the stored session, nothing written. Same
   * id otherwise: 409 (without saying whose it is). Two identical uploads racing: the primary key
   * lets one insert win; the loser rolls back and answers as a retry.
   */
  async upload(principal: Principal, dto: CreateSessionDto): Promise<UploadOutcome> {
    const userId = principal.id;
    const upload = prepareUpload(dto);
    const stored = await this.findStored(upload.id);
    if (stored) return this.replay(stored, userId, upload.bodyHash);
    try {
      const session = await this.em.fork().transactional((em) => this.store(em, userId, upload));
      return { created: true, session };
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (error instanceof UniqueConstraintViolationException && constraint === 'sessions_pkey') {
        const raced = await this.findStored(upload.id);
        if (raced) return this.replay(raced, userId, upload.bodyHash);
      }
      throw error;
    }
  }

  async list(principal: Principal, q: ListSessionsQueryDto): Promise<PageOf<SessionResponseDto>> {
    const em = this.em.fork();
    const order = orderSql(
      toOrderBy(q.ordering, { startedAt: 'desc' }),
      SESSION_ORDER_COLUMNS,
      's.id',
    );
    // The summary's joins and counts run on the page's rows only.
    const { count, results } = await queryPage<SessionRow>(
      em,
      {
        columns: 's.*',
        from: 'sessions s where s.user_id = ?',
        params: [principal.id],
        orderBy: order,
        around: (page) =>
          `with page as (${page})
           select ${SUMMARY_COLUMNS}, s.total from page s ${SUMMARY_JOINS} order by ${order}`,
      },
      q,
    );
    return { count, results: results.map(toSessionResponse) };
  }

  async get(id: string): Promise<SessionResponseDto> {
    const row = await this.findStored(id.toLowerCase());
    if (!row) throw new NotFoundProblem('Session not found');
    return toSessionResponse(row);
  }

  private async findStored(id: string): Promise<SessionRow | undefined> {
    const [row] = await rawQuery<SessionRow>(
      this.em.fork(),
      `select ${SUMMARY_COLUMNS} from sessions s ${SUMMARY_JOINS} where s.id = ?`,
      [id],
    );
    return row;
  }

  private replay(stored: SessionRow, userId: string, bodyHash: string): UploadOutcome {
    if (stored.userId !== userId || stored.bodyHash !== bodyHash)
      throw new ConflictProblem(
        'This session id is already used by a different upload; retries must resend the same body',
      );
    return { created: false, session: toSessionResponse(stored) };
  }

  /**
   * Stores an upload inside the caller's transaction (the demo data); a session id already
   * stored is left alone. Returns whether it wrote.
   */
  async storeIn(
    em: EntityManager,
    owner: Pick<Principal, 'id'>,
    dto: CreateSessionDto,
  ): Promise<boolean> {
    const [exists] = await rawQuery(em, 'select 1 from sessions where id = ?', [dto.id]);
    if (exists) return false;
    await this.store(em, owner.id, prepareUpload(dto));
    return true;
  }

  /** The writes: the session row first, so a racing duplicate blocks before the bulk inserts. */
  private async store(
    em: EntityManager,
    userId: string,
    u: PreparedUpload,
  ): Promise<SessionResponseDto> {
    const device = await this.resolveDevice(em, userId, u.device);
    const now = new Date();
    await em.insert(Session, {
      id: u.id,
      user: userId,
      device: device.id,
      startedAt: u.startedAt,
      endedAt: u.endedAt,
      durationMs: u.durationMs,
      appVersion: u.appVersion,
      bodyHash: u.bodyHash,
      createdAt: now,
      updatedAt: now,
    });
    await insertTasks(em, u, userId, now);
    await insertKeypresses(em, u, now);
    return toSessionResponse({
      id: u.id,
      userId,
      bodyHash: u.bodyHash,
      startedAt: u.startedAt,
      endedAt: u.endedAt,
      durationMs: u.durationMs,
      appVersion: u.appVersion,
      createdAt: now,
      device,
      taskCount: u.tasks.length,
      correctCount: u.tasks.filter((t) => t.isCorrect).length,
      keypressCount: u.keypresses.length,
    });
  }

  /**
   * The user's row for this (platform, model, OS version), created on first sight. Devices are
   * deduplicated so "sessions per device" means something; new `details` keys are merged in
   * (newer values win). The common case — a known device with nothing new — is one lock-free
   * SELECT, so concurrent uploads from one device don't queue on its row.
   */
  private async resolveDevice(
    em: EntityManager,
    userId: string,
    device: PreparedUpload['device'],
    retry = true,
  ): Promise<DeviceRow> {
    const details = JSON.stringify(device.details);
    const key = [userId, device.platform, device.model, device.osVersion];
    const columns = `id, platform, model, os_version as "osVersion", details`;
    const [found] = await rawQuery<DeviceRow & { unchanged: boolean }>(
      em,
      `select ${columns}, (details || ?::jsonb) = details as unchanged from devices
        where user_id = ? and platform = ? and model = ? and os_version = ?`,
      [details, ...key],
    );
    if (found?.unchanged) return found;
    const now = new Date();
    if (found) {
      const [updated] = await rawQuery<DeviceRow>(
        em,
        `update devices set details = details || ?::jsonb, updated_at = ? where id = ?
         returning ${columns}`,
        [details, now, found.id],
      );
      return updated;
    }
    const [inserted] = await rawQuery<DeviceRow>(
      em,
      `insert into devices (id, user_id, platform, model, os_version, details, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
       on conflict on constraint devices_user_platform_model_os_unique do nothing
       returning ${columns}`,
      [uuidv7(), ...key, details, now, now],
    );
    if (inserted) return inserted;
    // A concurrent first upload from this device inserted the row (ON CONFLICT waited for it to
    // commit); the next statement sees it.
    if (!retry) throw new Error('device row vanished while resolving it');
    return this.resolveDevice(em, userId, device, false);
  }
}
