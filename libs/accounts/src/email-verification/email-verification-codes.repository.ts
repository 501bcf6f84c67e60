import { LockMode } from '@mikro-orm/core';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { OneTimeCode } from '../codes/one-time-code.js';
import { User } from '../users/user.entity.js';
import { EmailVerificationCode } from './email-verification-code.entity.js';

/**
 * Email-verification codes: the statements of EmailVerificationService. Each belongs to a
 * transaction: call them on its repository (`em.getRepository(EmailVerificationCode)`).
 */
export class EmailVerificationCodesRepository extends EntityRepository<EmailVerificationCode> {
  /** The 10 newest unused codes mailed to `address`, their rows locked until the end. */
  async unusedForUpdate(address: string): Promise<EmailVerificationCode[]> {
    return this.em.find(
      EmailVerificationCode,
      { email: address, usedAt: null },
      {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: 10,
        lockMode: LockMode.PESSIMISTIC_WRITE,
      },
    );
  }

  /** Marks the user's unused codes for `address` used (only the newest one counts). */
  async retireAll(userId: string, address: string): Promise<void> {
    await this.em.nativeUpdate(
      EmailVerificationCode,
      { user: userId, email: address, usedAt: null },
      { usedAt: new Date() },
    );
  }

  /** A new code for `address`, inserted when the transaction commits. */
  add(
    userId: string,
    address: string,
    code: Pick<OneTimeCode, 'salt' | 'codeHash' | 'expiresAt'>,
  ): void {
    this.em.persist(
      new EmailVerificationCode(
        this.em.getReference(User, userId),
        address,
        code.salt,
        code.codeHash,
        code.expiresAt,
      ),
    );
  }
}
