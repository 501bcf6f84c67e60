import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictProblem, CounterStore, MailService } from '#porch/core';
import { CodeMailer } from '../codes/code-mailer.js';
import { invalidCode, isLive, matchCode, newCode } from '../codes/one-time-code.js';
import { normalizeEmail } from '../users/emails.js';
import { User } from '../users/user.entity.js';
import { EmailVerificationCode } from './email-verification-code.entity.js';

export const emailTaken = () =>
  new ConflictProblem('A user with this email already exists', {
    errors: [{ field: 'email', message: 'email is already registered' }],
  });

/** Whether a code mailed to `address` still stands for `user`: the address is still in play. */
const awaits = (user: User, address: string) =>
  user.isActive &&
  (user.pendingEmail === address || (user.email === address && !user.emailVerifiedAt));

/**
 * Email verification by a 6-digit emailed code, with the password reset's code rules and caps
 * (`CodeThrottle`, own counters). A code proves the address it was mailed to: the user's own
 * (sign-up) or the pending new one (an email change, which takes effect only then). Resend
 * answers at once whatever the address, and the lookup and mail happen after the response.
 */
@Injectable()
export class EmailVerificationService extends CodeMailer {
  constructor(em: EntityManager, mail: MailService, counters: CounterStore) {
    super(em, mail, counters, {
      prefix: 'email-verification',
      tooMany: 'Too many email-verification attempts; try again later',
      logger: 'EmailVerification',
      mailFailed: 'verification mail failed',
    });
  }

  /** Mails `user` a code for `address` in the background (dropped past the address's caps). */
  send(userId: string, address: string): void {
    this.background(() => this.deliver(userId, normalizeEmail(address)));
  }

  /**
   * A new code for every account awaiting `email` (its unverified address, or a pending change
   * to it). 429 past the client IP's hourly cap; otherwise accepted whatever the address.
   */
  async resend(email: string, ip: string | undefined): Promise<void> {
    await this.throttle.request(ip);
    const address = normalizeEmail(email);
    this.background(async () => {
      const users = await this.em.getRepository(User).findAwaiting(address);
      for (const user of users) await this.deliver(user.id, address);
    });
  }

  /**
   * Checks the code against every live code mailed to `email` (several accounts may await the
   * same new address); the one it matches verifies its account: a pending email becomes the
   * email (409 when another account took it first: the unique index decides). A wrong code is a
   * try on each live code for the address. Throttled before anything is looked at.
   */
  async verify(email: string, code: string, ip: string | undefined): Promise<void> {
    const address = normalizeEmail(email);
    await this.throttle.guess(address, ip);
    const outcome = await this.em
      .fork()
      .transactional(async (em) => {
        const rows = await em.getRepository(EmailVerificationCode).unusedForUpdate(address);
        const users = rows.length
          ? await em.getRepository(User).findByIds(rows.map((r) => r.user.id))
          : [];
        const byId = new Map(users.map((u) => [u.id, u]));
        const candidates = rows.filter((r) => {
          const user = byId.get(r.user.id);
          return isLive(r) && !!user && awaits(user, address);
        });
        // Compare against each (a decoy when none), so no early exit tells how many there are.
        const matched = candidates.length
          ? candidates.filter((r) => matchCode(r, code, { countMiss: false }))
          : (matchCode(null, code), []);
        const row = matched.at(0);
        const user = row && byId.get(row.user.id);
        if (!row || !user) {
          for (const r of candidates) r.attempts += 1; // flushed on commit: the failed try counts
          return 'invalid' as const;
        }
        const now = new Date();
        if (user.pendingEmail === address) {
          user.email = address;
          user.pendingEmail = null;
        }
        user.emailVerifiedAt = now;
        row.usedAt = now;
        return 'done' as const; // flushed on commit, where the unique index on email decides
      })
      .catch((error: unknown) => {
        // The new email was taken meanwhile (a sign-up, or another account's verification).
        if (error instanceof UniqueConstraintViolationException) throw emailTaken();
        throw error;
      });
    if (outcome === 'invalid') throw invalidCode();
  }

  private async deliver(userId: string, address: string): Promise<void> {
    if (!(await this.throttle.mayMail(address))) return;
    const em = this.em.fork();
    const user = await em.getRepository(User).findById(userId);
    if (!user || !awaits(user, address)) return;
    const { code, ...stored } = newCode();
    await em.transactional(async (tx) => {
      const codes = tx.getRepository(EmailVerificationCode);
      // Only the newest code for an address counts: retire this user's others for it.
      await codes.retireAll(user.id, address);
      codes.add(user.id, address, stored);
    });
    this.mail.sendLater({
      to: address,
      subject: 'Confirm your Porch email address',
      text:
        `Hello ${user.name},\n\n` +
        `Your verification code is ${code}. It is valid for 15 minutes.\n\n` +
        `If you did not sign up for Porch or change your email to this address, ignore this email.\n`,
    });
  }
}
