import { Check, Entity, EntityRepositoryType, Index, Property, type Rel } from '@mikro-orm/core';
import { Secret } from '#porch/core';
import { OneTimeCode } from '../codes/one-time-code.js';
import type { User } from '../users/user.entity.js';
import { EmailVerificationCodesRepository } from './email-verification-codes.repository.js';

/**
 * A 6-digit code mailed to `email` to prove its owner reads it: the user's address after sign-up,
 * or the new address of an email change (`users.pending_email`). Same rules as password-reset
 * codes (`OneTimeCode`); only a user's newest code for an address counts.
 */
@Entity({
  tableName: 'email_verification_codes',
  repository: () => EmailVerificationCodesRepository,
})
@Secret()
@Index({ name: 'email_verification_codes_email_index', properties: ['email', 'createdAt'] })
@Index({ name: 'email_verification_codes_user_index', properties: ['user', 'createdAt'] })
@Check({ name: 'email_verification_codes_attempts_check', expression: 'attempts >= 0' })
export class EmailVerificationCode extends OneTimeCode {
  [EntityRepositoryType]?: EmailVerificationCodesRepository;

  /** The address the code was mailed to (normalized). */
  @Property({ type: 'varchar', length: 254 })
  email: string;

  constructor(user: Rel<User>, email: string, salt: string, codeHash: string, expiresAt: Date) {
    super(user, salt, codeHash, expiresAt);
    this.email = email;
  }
}
