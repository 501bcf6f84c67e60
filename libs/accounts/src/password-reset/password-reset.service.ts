import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CounterStore, MailService } from '#porch/core';
import { CodeMailer } from '../codes/code-mailer.js';
import { CODE_LIMITS, invalidCode, matchCode, newCode } from '../codes/one-time-code.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-validators.js';
import { TokensService } from '../tokens/tokens.service.js';
import { normalizeEmail } from '../users/emails.js';
import { User } from '../users/user.entity.js';
import { PasswordResetCode } from './password-reset-code.entity.js';

/** The caps of every emailed code (`CODE_LIMITS`), under this name for the reset endpoints. */
export const RESET_LIMITS = CODE_LIMITS;

/**
 * Password reset by a 6-digit emailed code (SPEC §3). Only a user's newest code counts; it lives
 * 15 minutes and survives 5 wrong tries. Requests answer at once, whatever the address: the
 * lookup and the email happen after the response, so neither the answer nor its timing tells
 * whether the address has an account.
 */
@Injectable()
export class PasswordResetService extends CodeMailer {
  constructor(
    em: EntityManager,
    mail: MailService,
    counters: CounterStore,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly tokens: TokensService,
  ) {
    super(em, mail, counters, {
      prefix: 'password-reset',
      tooMany: 'Too many password-reset attempts; try again later',
      logger: 'PasswordReset',
      mailFailed: 'password reset mail failed',
    });
  }

  /**
   * Accepts the request (429 past the client IP's hourly cap); the code, if the address has an
   * account and is under its caps, is mailed in the background.
   */
  async request(email: string, ip: string | undefined): Promise<void> {
    await this.throttle.request(ip);
    this.background(() => this.deliver(normalizeEmail(email)));
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
    await this.throttle.guess(address, ip);
    const outcome = await this.em.fork().transactional(async (em) => {
      const user = await em.getRepository(User).findActiveByEmail(address);
      const row = user ? await em.getRepository(PasswordResetCode).newestForUpdate(user) : null;
      const right = matchCode(row, code); // a wrong try counts on commit
      if (!user || !row || !right) return 'invalid' as const;
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

  private async deliver(email: string): Promise<void> {
    if (!(await this.throttle.mayMail(email))) return;
    const em = this.em.fork();
    const user = await em.getRepository(User).findActiveByEmail(email);
    if (!user) return;
    const { code, ...stored } = newCode();
    await em.transactional(async (tx) => {
      const codes = tx.getRepository(PasswordResetCode);
      // Only the newest code is valid: retire the others.
      await codes.retireAll(user);
      codes.add(user.id, stored);
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
