import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CounterStore, MailService, UnprocessableProblem } from '#porch/core';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-validators.js';
import { TokensService } from '../tokens/tokens.service.js';
import { normalizeEmail, User } from '../users/user.entity.js';
import { PasswordResetCode } from './password-reset-code.entity.js';

export const RESET_CODE_TTL_SECONDS = 15 * 60;
export const RESET_CODE_MAX_ATTEMPTS = 5;
/** Codes mailed per address per window; more requests are accepted and silently dropped. */
const MAX_REQUESTS_PER_WINDOW = 5;

const hashCode = (salt: string, code: string) =>
  createHash('sha256').update(`${salt}:${code}`).digest('hex');

const invalidCode = () =>
  new UnprocessableProblem('The code is wrong, expired or used up; ask for a new one', {
    errors: [{ field: 'code', message: 'invalid or expired code' }],
  });

/**
 * Password reset by a 6-digit emailed code (SPEC §3). Only a user's newest code counts; it lives
 * 15 minutes and survives 5 wrong tries. Requests answer at once, whatever the address: the
 * lookup and the email happen after the response, so neither the answer nor its timing tells
 * whether the address has an account.
 */
@Injectable()
export class PasswordResetService implements OnApplicationShutdown {
  private readonly logger = new Logger('PasswordReset');
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly em: EntityManager,
    private readonly mail: MailService,
    private readonly counters: CounterStore,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly tokens: TokensService,
  ) {}

  /** Accepts the request; the code (if the address has an account) is mailed in the background. */
  request(email: string): void {
    const job = this.deliver(normalizeEmail(email))
      .catch((error: unknown) => this.logger.error({ err: error }, 'password reset mail failed'))
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  /** Checks the code, sets the new password, spends the code and revokes every token. */
  async confirm(email: string, code: string, newPassword: string): Promise<void> {
    const outcome = await this.em.fork().transactional(async (em) => {
      const user = await em.findOne(User, { email: normalizeEmail(email), isActive: true });
      const row = user
        ? await em.findOne(
            PasswordResetCode,
            { user },
            { orderBy: { createdAt: 'desc', id: 'desc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
          )
        : null;
      const live =
        row &&
        !row.usedAt &&
        row.attempts < RESET_CODE_MAX_ATTEMPTS &&
        row.expiresAt.getTime() > Date.now();
      const expected = Buffer.from(live ? row.codeHash : hashCode('decoy', '000000'), 'hex');
      const given = Buffer.from(hashCode(live ? row.salt : 'decoy', code), 'hex');
      if (!live || !user || !timingSafeEqual(expected, given)) {
        if (live) row.attempts += 1; // flushed on commit: the failed try counts
        return 'invalid' as const;
      }
      // A right code with a weak password: say so, and keep the code for the next try.
      this.policy.assertValid(newPassword, user, 'newPassword');
      user.password = await this.hasher.hash(newPassword);
      row.usedAt = new Date();
      await em.flush();
      await this.tokens.revokeAllForUser(user.id, em);
      return 'done' as const;
    });
    if (outcome === 'invalid') throw invalidCode();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async deliver(email: string): Promise<void> {
    const throttleKey = `password-reset:${createHash('sha256').update(email).digest('hex')}`;
    if ((await this.counters.hit(throttleKey, RESET_CODE_TTL_SECONDS)) > MAX_REQUESTS_PER_WINDOW)
      return;
    const em = this.em.fork();
    const user = await em.findOne(User, { email, isActive: true });
    if (!user) return;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const salt = randomBytes(16).toString('hex');
    await em.transactional(async (tx) => {
      // Only the newest code is valid: retire the others.
      await tx.nativeUpdate(PasswordResetCode, { user, usedAt: null }, { usedAt: new Date() });
      tx.persist(
        new PasswordResetCode(
          tx.getReference(User, user.id),
          salt,
          hashCode(salt, code),
          new Date(Date.now() + RESET_CODE_TTL_SECONDS * 1000),
        ),
      );
    });
    // In the background: the answer takes about as long whether or not the address has an account.
    this.mail.sendLater({
      to: user.email,
      subject: 'Your Porch password reset code',
      text:
        `Hello ${user.name},\n\n` +
        `Your password reset code is ${code}. It is valid for 15 minutes.\n\n` +
        `If you did not ask to reset your password, ignore this email: your password stays as it is.\n`,
    });
  }
}
