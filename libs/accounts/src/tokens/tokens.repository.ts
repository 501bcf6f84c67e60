import { EntityRepository } from '@mikro-orm/postgresql';
import { rawQuery, type ExpiredRowsSweep } from '#porch/core';
import { entityManagerOf } from '../entity-manager-of.js';
import { User } from '../users/user.entity.js';
import { AuthToken, TokenKind } from './auth-token.entity.js';

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

/** A token to store: its SHA-256 and when it expires. */
export interface NewToken {
  hash: string;
  expiresAt: Date;
}

/** A refresh token as `rotate` judges it; every time comparison was made in SQL. */
export interface RefreshRow {
  id: string;
  family: string;
  user_id: string;
  used: boolean;
  revoked: boolean;
  expired: boolean;
  active: boolean;
  verified: boolean;
}

/** The caller a live access token stands for. */
export interface AccessRow {
  id: string;
  email: string;
  is_staff: boolean;
  is_superuser: boolean;
  family: string;
}

/**
 * Bearer tokens (`auth_tokens`): the statements of TokensService. Tokens are looked up by
 * their hash only. Entity writes run on `entityManagerOf(this.em)` (a fork per call on the
 * injected repository, the transaction on `em.getRepository(AuthToken)`).
 */
export class TokensRepository extends EntityRepository<AuthToken> {
  /** An access and a refresh token of one family, in one INSERT. */
  async insertPair(userId: string, family: string, access: NewToken, refresh: NewToken) {
    const em = entityManagerOf(this.em);
    const user = em.getReference(User, userId);
    const token = (kind: TokenKind, { hash, expiresAt }: NewToken) =>
      new AuthToken({ user, family, kind, tokenHash: hash, expiresAt });
    await em.insertMany(AuthToken, [
      token(TokenKind.Access, access),
      token(TokenKind.Refresh, refresh),
    ]);
  }

  /**
   * The refresh token with this hash and its user's state, its row locked until the
   * transaction ends: call it on the transaction's repository. Timestamps are compared in SQL:
   * raw rows carry them as strings, and the database clock is the one the bearer check uses too.
   */
  async lockRefresh(hash: string): Promise<RefreshRow | undefined> {
    const [row] = await rawQuery<RefreshRow>(
      this.em,
      `select t.id, t.family, t.user_id,
                t.used_at is not null as used,
                t.revoked_at is not null as revoked,
                t.expires_at <= now() as expired,
                (u.is_active and u.deleted_at is null) as active,
                u.email_verified_at is not null as verified
           from auth_tokens t join users u on u.id = t.user_id
          where t.token_hash = ? and t.kind = 'refresh'
          for update of t`,
      [hash],
    );
    return row;
  }

  async markUsed(id: string): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(AuthToken, { id }, { usedAt: new Date() });
  }

  /**
   * The bearer check of every authenticated request: one indexed query (a prepared statement,
   * `rawQuery`) that the token is a live access token and its user exists, is active and not
   * deleted.
   */
  async findLiveAccess(hash: string): Promise<AccessRow | undefined> {
    const rows = await rawQuery<AccessRow>(
      this.em,
      `select u.id, u.email, u.is_staff, u.is_superuser, t.family
         from auth_tokens t join users u on u.id = t.user_id
        where t.token_hash = ? and t.kind = 'access' and t.revoked_at is null and t.expires_at > now()
          and u.is_active and u.deleted_at is null`,
      [hash],
    );
    return rows[0];
  }

  /** Any token with this hash, whatever its state: its id, family and kind. */
  async findByHash(hash: string): Promise<Pick<AuthToken, 'id' | 'family' | 'kind'> | null> {
    return entityManagerOf(this.em).findOne(
      AuthToken,
      { tokenHash: hash },
      { fields: ['id', 'family', 'kind'] },
    );
  }

  async revokeToken(id: string): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(
      AuthToken,
      { id, revokedAt: null },
      { revokedAt: new Date() },
    );
  }

  async revokeFamily(family: string): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(
      AuthToken,
      { family, revokedAt: null },
      { revokedAt: new Date() },
    );
  }

  async revokeAllOf(userId: string): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(
      AuthToken,
      { user: userId, revokedAt: null },
      { revokedAt: new Date() },
    );
  }
}
