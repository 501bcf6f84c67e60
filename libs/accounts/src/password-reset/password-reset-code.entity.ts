import { Check, Entity, EntityRepositoryType, Index } from '@mikro-orm/core';
import { Secret } from '#porch/core';
import { OneTimeCode } from '../codes/one-time-code.js';
import { PasswordResetCodesRepository } from './password-reset-codes.repository.js';

/**
 * A 6-digit password-reset code, stored only as SHA-256(salt ‖ code). Valid for 15 minutes and
 * 5 tries; only a user's newest code counts. Not soft-deletable: `usedAt` is the state. A secret
 * table for `dumpdata`: with its salt and hash, a million candidates find the code in a second.
 */
@Entity({ tableName: 'password_reset_codes', repository: () => PasswordResetCodesRepository })
@Secret()
@Index({ name: 'password_reset_codes_user_created_index', properties: ['user', 'createdAt'] })
@Check({ name: 'password_reset_codes_attempts_check', expression: 'attempts >= 0' })
export class PasswordResetCode extends OneTimeCode {
  [EntityRepositoryType]?: PasswordResetCodesRepository;
}
