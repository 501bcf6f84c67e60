import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictProblem, NotFoundProblem, type PageOf, type Principal } from '#porch/core';
import { Session } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';
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

/**
 * Session uploads and the caller's own session reads. Lists filter on the caller's id; one
 * session is read by a caller holding `session.read` on it (the route's permission: TasksAccess
 * answers 404 for anyone else's).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly sessionRepository: SessionsRepository,
  ) {}

  /**
   * Stores a session with its device, tasks and keypresses in one transaction, or recognizes a
   * retry. Same id + same user + same canonical body: the stored session, nothing written. Same
   * id otherwise: 409 (without saying whose it is). Two identical uploads racing: the primary key
   * lets one insert win; the loser rolls back and answers as a retry.
   */
  async upload(principal: Principal, dto: CreateSessionDto): Promise<UploadOutcome> {
    const userId = principal.id;
    const upload = prepareUpload(dto);
    const stored = await this.sessionRepository.findSummary(upload.id);
    if (stored) return this.replay(stored, userId, upload.bodyHash);
    try {
      const session = await this.em
        .fork()
        .transactional((em) => this.store(em.getRepository(Session), userId, upload));
      return { created: true, session };
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (error instanceof UniqueConstraintViolationException && constraint === 'sessions_pkey') {
        const raced = await this.sessionRepository.findSummary(upload.id);
        if (raced) return this.replay(raced, userId, upload.bodyHash);
      }
      throw error;
    }
  }

  async list(principal: Principal, q: ListSessionsQueryDto): Promise<PageOf<SessionResponseDto>> {
    const { count, results } = await this.sessionRepository.pageOf(principal.id, q);
    return { count, results: results.map(toSessionResponse) };
  }

  async get(id: string): Promise<SessionResponseDto> {
    const row = await this.sessionRepository.findSummary(id.toLowerCase());
    if (!row) throw new NotFoundProblem('Session not found');
    return toSessionResponse(row);
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
    const sessions = em.getRepository(Session);
    if (await sessions.exists(dto.id)) return false;
    await this.store(sessions, owner.id, prepareUpload(dto));
    return true;
  }

  /** The writes, on the transaction's repository: the device, then the session and its rows. */
  private async store(
    sessions: SessionsRepository,
    userId: string,
    u: PreparedUpload,
  ): Promise<SessionResponseDto> {
    const device = await this.resolveDevice(sessions, userId, u.device);
    const now = new Date();
    await sessions.insertUpload(u, userId, device.id, now);
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
    sessions: SessionsRepository,
    userId: string,
    device: PreparedUpload['device'],
    retry = true,
  ): Promise<DeviceRow> {
    const found = await sessions.findDevice(userId, device);
    if (found?.unchanged) return found;
    const now = new Date();
    if (found) return sessions.mergeDeviceDetails(found.id, device.details, now);
    const inserted = await sessions.insertDevice(userId, device, now);
    if (inserted) return inserted;
    // A concurrent first upload from this device inserted the row (ON CONFLICT waited for it to
    // commit); the next statement sees it.
    if (!retry) throw new Error('device row vanished while resolving it');
    return this.resolveDevice(sessions, userId, device, false);
  }
}
