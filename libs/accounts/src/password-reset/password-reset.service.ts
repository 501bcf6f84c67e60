import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  CounterStore,
  MailService,
  TooManyRequestsProblem,
  UnprocessableProblem,
} from '#porch/core';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-validators.js';
import { TokensService } from '../tokens/tokens.service.js';
import { normalizeEmail } from '../users/emails.js';
import { User } from '../users/user.entity.js';
import { PasswordResetCode } from './password-reset-code.entity.js';

export const RESET_CODE_TTL_SECONDS = 15 * 60;
export const RESET_CODE_MAX_ATTEMPTS = 5;

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * How often a code may be asked for and tried. Per address, requests over the limit are accepted
 * and dropped (a 429 would tell that the address has been asked for); per client IP, and for
 * code guesses, the answer is a 429. With 5 tries per code, a code is one in a million, so an
 * address's daily guess cap is what bounds an attacker: 20 guesses a day, whatever the IPs.
 */
export const RESET_LIMITS = {
  requestsPerAddressWindow: 5,
  requestsPerAddressDay: 10,
  requestsPerIpHour: 20,
  guessesPerIpHour: 30,
  guessesPerAddressDay: 20,
} as const;

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

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

  /**
   * Accepts the request (429 past the client IP's hourly cap); the code, if the address has an
   * account and is under its caps, is mailed in the background.
   */
  async request(email: string, ip: string | undefined): Promise<void> {
    await this.take(`password-reset:ip:${ip ?? 'unknown'}`, HOUR, RESET_LIMITS.requestsPerIpHour);
    const job = this.deliver(normalizeEmail(email))
      .catch((error: unknown) => this.logger.error({ err: error }, 'password reset mail failed'))
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  /**
   * Checks the code, sets the new password, spends the code and revokes every token. Each try
   * first takes a slot of the client IP's hourly and the address's daily budget (atomic counters,
   * before the code is looked at): past either, 429 and nothing is checked.
   */
  async confirm(
    email: string,
    code: string,
    newPassword: string,
    ip: string | undefined,
  ): Promise<void> {
    const address = normalizeEmail(email);
    await this.take(
      `password-reset-guess:ip:${ip ?? 'unknown'}`,
      HOUR,
      RESET_LIMITS.guessesPerIpHour,
    );
    await this.take(
      `password-reset-guess:address:${digest(address)}`,
      DAY,
      RESET_LIMITS.guessesPerAddressDay,
    );
    const outcome = await this.em.fork().transactional(async (em) => {
      const user = await em.findOne(User, { email: address, isActive: true });
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

  /** One hit on a windowed counter; 429 (with the window's rest) once it is past `limit`. */
  private async take(key: string, windowSeconds: number, limit: number): Promise<void> {
    if ((await this.counters.hit(key, windowSeconds)) <= limit) return;
    const { retryAfter } = await this.counters.get(key);
    throw new TooManyRequestsProblem(
      retryAfter,
      'Too many password-reset attempts; try again later',
    );
  }

  private async deliver(email: string): Promise<void> {
    const address = digest(email);
    // The day counts the codes the window let through, not every request.
    const inWindow = await this.counters.hit(`password-reset:${address}`, RESET_CODE_TTL_SECONDS);
    if (inWindow > RESET_LIMITS.requestsPerAddressWindow) return;
    const inDay = await this.counters.hit(`password-reset:day:${address}`, DAY);
    if (inDay > RESET_LIMITS.requestsPerAddressDay) return;
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
