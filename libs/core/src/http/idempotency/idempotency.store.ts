import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { ExpiredRowsSweep } from '../../database/expired-rows.js';
import { rawQuery } from '../../database/raw-query.js';
import { IDEMPOTENCY_LEASE_SECONDS, IDEMPOTENCY_TTL_SECONDS } from './idempotency-key.js';

/** Keys past their 24 h (ExpiredRowsCleaner; `idempotency_keys_expires_at_index`). */
export const IDEMPOTENCY_KEYS_SWEEP: ExpiredRowsSweep = {
  table: 'idempotency_keys',
  sql: `delete from idempotency_keys where ctid in (
          select ctid from idempotency_keys where expires_at <= now()
           limit ? for update skip locked)`,
};

/** Which key: the caller (`user:<id>` or `anonymous`), the route (`POST /api/v1/invites`), the key. */
export interface IdempotencyScope {
  scope: string;
  route: string;
  key: string;
}

/** A first answer, as stored and replayed. */
export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  /** This request holds the key: run it, then `complete` or `release` with this claim. */
  | { kind: 'claimed'; claim: string }
  | { kind: 'replay'; answer: StoredAnswer }
  /** The key was first used with another request (method, path or body). */
  | { kind: 'mismatch' }
  /** The first request with this key is still running. */
  | { kind: 'in-progress' };

interface ExistingRow {
  fingerprint: string;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
}

/**
 * The `idempotency_keys` table (core's, shared by every instance). The database decides who runs:
 * one INSERT … ON CONFLICT claims a key, or takes over one that expired or whose first request
 * died (lease over, nothing stored; same fingerprint only), and only one concurrent caller gets
 * the row back.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly em: EntityManager) {}

  async claim(id: IdempotencyScope, fingerprint: string): Promise<Claim> {
    // A row released (deleted) between the two statements: claim again, a few times at most.
    for (let attempt = 0; attempt < 3; attempt++) {
      const claim = randomUUID();
      const won = await rawQuery<{ claim: string }>(
        this.em,
        `insert into idempotency_keys
                (scope, route, key, fingerprint, claim, locked_until, expires_at, created_at)
         values (?, ?, ?, ?, ?, now() + make_interval(secs => ?), now() + make_interval(secs => ?), now())
         on conflict (scope, route, key) do update
            set fingerprint = excluded.fingerprint, claim = excluded.claim, status = null,
                headers = null, body = null, locked_until = excluded.locked_until,
                expires_at = excluded.expires_at, created_at = excluded.created_at
          where idempotency_keys.expires_at <= now()
             or (idempotency_keys.status is null and idempotency_keys.locked_until <= now()
                 and idempotency_keys.fingerprint = excluded.fingerprint)
         returning claim`,
        [
          id.scope,
          id.route,
          id.key,
          fingerprint,
          claim,
          IDEMPOTENCY_LEASE_SECONDS,
          IDEMPOTENCY_TTL_SECONDS,
        ],
      );
      if (won[0]?.claim === claim) return { kind: 'claimed', claim };
      const [row] = await rawQuery<ExistingRow>(
        this.em,
        `select fingerprint, status, headers, body from idempotency_keys
          where scope = ? and route = ? and key = ? and expires_at > now()`,
        [id.scope, id.route, id.key],
      );
      if (!row) continue;
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.status === null) return { kind: 'in-progress' };
      return {
        kind: 'replay',
        answer: { status: row.status, headers: row.headers ?? {}, body: row.body ?? '' },
      };
    }
    return { kind: 'in-progress' };
  }

  /** Stores the first answer (only while this request still holds the key). */
  async complete(id: IdempotencyScope, claim: string, answer: StoredAnswer): Promise<void> {
    await rawQuery(
      this.em,
      `update idempotency_keys set status = ?, headers = ?::jsonb, body = ?
        where scope = ? and route = ? and key = ? and claim = ?`,
      [
        answer.status,
        JSON.stringify(answer.headers),
        answer.body,
        id.scope,
        id.route,
        id.key,
        claim,
      ],
    );
  }

  /** Gives the key up (the first request failed on our side): a retry may run. */
  async release(id: IdempotencyScope, claim: string): Promise<void> {
    await rawQuery(
      this.em,
      `delete from idempotency_keys
        where scope = ? and route = ? and key = ? and claim = ? and status is null`,
      [id.scope, id.route, id.key, claim],
    );
  }
}
