import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  AppConfig,
  ExpiredRowsCleaner,
  type ExpiredRowsSweep,
  rawQuery,
  type Principal,
} from '#porch/core';
import { User } from '../users/user.entity.js';
import { AuthToken, TokenKind } from './auth-token.entity.js';

/** RFC 6749 §5.1 success body. */
export interface TokenPair {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
}

export type RefreshOutcome =
  | { ok: true; pair: TokenPair }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' | 'revoked' | 'inactive' | 'unverified' };

/** 256 bits of randomness, URL-safe. */
const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Tokens past use: expired access tokens, and expired refresh tokens of a login whose refresh
 * tokens have all expired. A spent refresh token is kept while its family still has a live one,
 * so that its reuse is still recognized (and revokes the family) rather than being unknown.
 */
export const AUTH_TOKENS_SWEEP: ExpiredRowsSweep = {
  table: 'auth_tokens',
  sql: `delete from auth_tokens where id in (
          select t.id from auth_tokens t
           where t.expires_at <= now()
             and (t.kind = 'access' or not exists (
                  select 1 from auth_tokens o
                   where o.family = t.family and o.kind = 'refresh' and o.expires_at > now()))
           limit ? for update of t skip locked)`,
};

/**
 * Issues, rotates, checks and revokes opaque bearer tokens. Only SHA-256 hashes are stored.
 */
@Injectable()
export class TokensService implements OnModuleInit {
  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly expiredRows: ExpiredRowsCleaner,
  ) {}

  onModuleInit(): void {
    this.expiredRows.register(AUTH_TOKENS_SWEEP);
  }

  /** A new access + refresh pair; a new family unless one is given (rotation). */
  async issue(
    userId: string,
    family: string = uuidv7(),
    em: EntityManager = this.em.fork(),
  ): Promise<TokenPair> {
    const access = newToken();
    const refresh = newToken();
    const now = Date.now();
    const user = em.getReference(User, userId);
    const accessTtl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const refreshTtl = this.config.REFRESH_TOKEN_TTL_SECONDS;
    await em.insertMany(AuthToken, [
      new AuthToken(
        user,
        family,
        TokenKind.Access,
        hashToken(access),
        new Date(now + accessTtl * 1000),
      ),
      new AuthToken(
        user,
        family,
        TokenKind.Refresh,
        hashToken(refresh),
        new Date(now + refreshTtl * 1000),
      ),
    ]);
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: accessTtl,
      refresh_token: refresh,
      refresh_expires_in: refreshTtl,
    };
  }

  /**
   * Exchanges a refresh token for a new pair in the same family. The row is locked, so two
   * concurrent uses of one token cannot both succeed; a second use revokes the whole family.
   */
  async rotate(refreshToken: string): Promise<RefreshOutcome> {
    return this.em.fork().transactional(async (em) => {
      // Every time comparison happens in SQL: raw rows carry timestamps as strings, and the
      // database clock is the one the bearer check uses too.
      const rows = await em.getConnection().execute<
        {
          id: string;
          family: string;
          user_id: string;
          used: boolean;
          revoked: boolean;
          expired: boolean;
          active: boolean;
          verified: boolean;
        }[]
      >(
        `select t.id, t.family, t.user_id,
                t.used_at is not null as used,
                t.revoked_at is not null as revoked,
                t.expires_at <= now() as expired,
                (u.is_active and u.deleted_at is null) as active,
                u.email_verified_at is not null as verified
           from auth_tokens t join users u on u.id = t.user_id
          where t.token_hash = ? and t.kind = 'refresh'
          for update of t`,
        [hashToken(refreshToken)],
        'all',
        em.getTransactionContext(),
      );
      const row = rows[0];
      if (!row) return { ok: false, reason: 'unknown' } as const;
      if (row.used) {
        await this.revokeFamily(row.family, em);
        return { ok: false, reason: 'reused' } as const;
      }
      if (row.revoked) return { ok: false, reason: 'revoked' } as const;
      if (row.expired) return { ok: false, reason: 'expired' } as const;
      if (!row.active) return { ok: false, reason: 'inactive' } as const;
      // Tokens from before REQUIRE_VERIFIED_EMAIL was turned on do not outlive it.
      if (this.config.REQUIRE_VERIFIED_EMAIL && !row.verified)
        return { ok: false, reason: 'unverified' } as const;
      await em.nativeUpdate(AuthToken, { id: row.id }, { usedAt: new Date() });
      return { ok: true, pair: await this.issue(row.user_id, row.family, em) } as const;
    });
  }

  /**
   * The bearer check of every authenticated request: one indexed query that the token is a live
   * access token and its user exists, is active and not deleted.
   */
  async authenticate(accessToken: string): Promise<Principal | null> {
    const rows = await rawQuery<{
      id: string;
      email: string;
      is_staff: boolean;
      is_superuser: boolean;
      family: string;
    }>(
      this.em,
      `select u.id, u.email, u.is_staff, u.is_superuser, t.family
         from auth_tokens t join users u on u.id = t.user_id
        where t.token_hash = ? and t.kind = 'access' and t.revoked_at is null and t.expires_at > now()
          and u.is_active and u.deleted_at is null`,
      [hashToken(accessToken)],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          email: row.email,
          isStaff: row.is_staff,
          isSuperuser: row.is_superuser,
          tokenFamily: row.family,
        }
      : null;
  }

  /** RFC 7009: revokes the token (a refresh token takes its family with it). Unknown: no-op. */
  async revoke(token: string): Promise<void> {
    const found = await this.em
      .fork()
      .findOne(AuthToken, { tokenHash: hashToken(token) }, { fields: ['id', 'family', 'kind'] });
    if (!found) return;
    if (found.kind === TokenKind.Refresh) await this.revokeFamily(found.family);
    else
      await this.em
        .fork()
        .nativeUpdate(AuthToken, { id: found.id, revokedAt: null }, { revokedAt: new Date() });
  }

  async revokeFamily(family: string, em: EntityManager = this.em.fork()): Promise<void> {
    await em.nativeUpdate(AuthToken, { family, revokedAt: null }, { revokedAt: new Date() });
  }

  async revokeAllForUser(userId: string, em: EntityManager = this.em.fork()): Promise<void> {
    await em.nativeUpdate(AuthToken, { user: userId, revokedAt: null }, { revokedAt: new Date() });
  }
}
