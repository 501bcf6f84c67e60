import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { AppConfig, ExpiredRowsCleaner, type Principal } from '#porch/core';
import { AuthToken, TokenKind } from './auth-token.entity.js';
import { AUTH_TOKENS_SWEEP, TokensRepository } from './tokens.repository.js';

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
 * Issues, rotates, checks and revokes opaque bearer tokens. Only SHA-256 hashes are stored.
 */
@Injectable()
export class TokensService implements OnModuleInit {
  constructor(
    private readonly em: EntityManager,
    private readonly tokenRepository: TokensRepository,
    private readonly config: AppConfig,
    private readonly expiredRows: ExpiredRowsCleaner,
  ) {}

  onModuleInit(): void {
    this.expiredRows.register(AUTH_TOKENS_SWEEP);
  }

  /**
   * A new access + refresh pair; a new family unless one is given (rotation). `em`, and in
   * `revokeFamily` and `revokeAllForUser`: the caller's transaction, if any.
   */
  async issue(userId: string, family: string = uuidv7(), em?: EntityManager): Promise<TokenPair> {
    const access = newToken();
    const refresh = newToken();
    const now = Date.now();
    const accessTtl = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const refreshTtl = this.config.REFRESH_TOKEN_TTL_SECONDS;
    await this.repository(em).insertPair(
      userId,
      family,
      { hash: hashToken(access), expiresAt: new Date(now + accessTtl * 1000) },
      { hash: hashToken(refresh), expiresAt: new Date(now + refreshTtl * 1000) },
    );
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
      const tokens = em.getRepository(AuthToken);
      const row = await tokens.lockRefresh(hashToken(refreshToken));
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
      await tokens.markUsed(row.id);
      return { ok: true, pair: await this.issue(row.user_id, row.family, em) } as const;
    });
  }

  /** The bearer check of every authenticated request (`TokensRepository.findLiveAccess`). */
  async authenticate(accessToken: string): Promise<Principal | null> {
    const row = await this.tokenRepository.findLiveAccess(hashToken(accessToken));
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
    const found = await this.tokenRepository.findByHash(hashToken(token));
    if (!found) return;
    if (found.kind === TokenKind.Refresh) await this.revokeFamily(found.family);
    else await this.tokenRepository.revokeToken(found.id);
  }

  async revokeFamily(family: string, em?: EntityManager): Promise<void> {
    await this.repository(em).revokeFamily(family);
  }

  async revokeAllForUser(userId: string, em?: EntityManager): Promise<void> {
    await this.repository(em).revokeAllOf(userId);
  }

  /** The transaction's repository when there is one, else the injected one (a fork per call). */
  private repository(em: EntityManager | undefined): TokensRepository {
    return em ? em.getRepository(AuthToken) : this.tokenRepository;
  }
}
