import {
  Check,
  Entity,
  Index,
  ManyToOne,
  Opt,
  PrimaryKey,
  Property,
  type Rel,
} from '@mikro-orm/core';
import { v7 as uuidv7 } from 'uuid';
import { Secret } from '#porch/core';
import { User } from '../users/user.entity.js';

/**
 * A 6-digit password-reset code, stored only as SHA-256(salt ‖ code). Valid for 15 minutes and
 * 5 tries; only a user's newest code counts. Not soft-deletable: `usedAt` is the state. A secret
 * table for `dumpdata`: with its salt and hash, a million candidates find the code in a second.
 */
@Entity({ tableName: 'password_reset_codes' })
@Secret()
@Index({ name: 'password_reset_codes_user_created_index', properties: ['user', 'createdAt'] })
@Check({ name: 'password_reset_codes_attempts_check', expression: 'attempts >= 0' })
export class PasswordResetCode {
  @PrimaryKey({ type: 'uuid' })
  id: string & Opt = uuidv7();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user: Rel<User>;

  /** Random per row, hex; keeps equal codes from having equal hashes. */
  @Property({ type: 'char', length: 32 })
  salt: string;

  @Property({ type: 'char', length: 64, hidden: true })
  codeHash: string;

  @Property({ type: 'timestamptz' })
  expiresAt: Date;

  /** Wrong codes tried against this row. */
  @Property({ type: 'smallint', default: 0 })
  attempts: number & Opt = 0;

  /** Set when the code reset the password, or when a newer code replaced it. */
  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'timestamptz' })
  createdAt: Date & Opt = new Date();

  constructor(user: Rel<User>, salt: string, codeHash: string, expiresAt: Date) {
    this.user = user;
    this.salt = salt;
    this.codeHash = codeHash;
    this.expiresAt = expiresAt;
  }
}
