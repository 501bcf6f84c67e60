import { LockMode } from '@mikro-orm/core';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { OneTimeCode } from '../codes/one-time-code.js';
import { User } from '../users/user.entity.js';
import { PasswordResetCode } from './password-reset-code.entity.js';

/**
 * Password-reset codes: the statements of PasswordResetService. Each belongs to a transaction:
 * call them on its repository (`em.getRepository(PasswordResetCode)` in `em.transactional`).
 */
export class PasswordResetCodesRepository extends EntityRepository<PasswordResetCode> {
  /** The user's newest code, its row locked until the transaction ends. */
  async newestForUpdate(user: User): Promise<PasswordResetCode | null> {
    return this.em.findOne(
      PasswordResetCode,
      { user },
      { orderBy: { createdAt: 'desc', id: 'desc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
    );
  }

  /** Marks the user's unused codes used (only the newest code is valid). */
  async retireAll(user: User): Promise<void> {
    await this.em.nativeUpdate(PasswordResetCode, { user, usedAt: null }, { usedAt: new Date() });
  }

  /** A new code for the user, inserted when the transaction commits. */
  add(userId: string, code: Pick<OneTimeCode, 'salt' | 'codeHash' | 'expiresAt'>): void {
    this.em.persist(
      new PasswordResetCode(
        this.em.getReference(User, userId),
        code.salt,
        code.codeHash,
        code.expiresAt,
      ),
    );
  }
}
