import {
  Check,
  Entity,
  EntityRepositoryType,
  Enum,
  Index,
  Opt,
  Property,
  Unique,
} from '@mikro-orm/core';
import { NaturalKey, Secret, SoftDeletableEntity } from '#porch/core';
import { normalizeEmail } from './emails.js';
import { UsersRepository } from './users.repository.js';

export enum Gender {
  Unspecified = 'unspecified',
  Male = 'male',
  Female = 'female',
  Other = 'other',
}

export enum Department {
  ArtsHumanities = 'arts_humanities',
  Business = 'business',
  Dentistry = 'dentistry',
  Engineering = 'engineering',
  Law = 'law',
  MedicineLifeSciences = 'medicine_life_sciences',
  NaturalSciences = 'natural_sciences',
  Nursing = 'nursing',
  PsychologyNeuroscience = 'psychology_neuroscience',
  SocialScience = 'social_science',
}

/**
 * The enums' values as string-literal unions, for DTOs: the Swagger CLI plugin inlines these,
 * whereas an enum from another file makes it emit an `await import()` that breaks under ESM.
 */
export type GenderValue = `${Gender}`;
export type DepartmentValue = `${Department}`;

/**
 * A person: party host or guest, learner in the measurements app, administrator.
 * Emails are stored NFKC-normalized and lower-cased (`normalizeEmail`; a check constraint holds
 * the case), so the unique index is case-insensitive and lookups use it directly.
 */
@Entity({ tableName: 'users', repository: () => UsersRepository })
@NaturalKey('email')
@Check({ name: 'users_deleted_is_inactive', expression: 'deleted_at is null or is_active = false' })
@Check({ name: 'users_email_lower', expression: 'email = lower(email)' })
export class User extends SoftDeletableEntity {
  [EntityRepositoryType]?: UsersRepository;

  @Property({ type: 'varchar', length: 254 })
  @Unique({ name: 'users_email_unique' })
  email: string;

  /** When the owner proved they read `email` (a code mailed to it); null: not yet. */
  @Property({ type: 'timestamptz', nullable: true })
  emailVerifiedAt?: Date | null;

  /**
   * A new email the user asked for, not theirs until they enter the code mailed to it (then it
   * replaces `email`). Not unique: the unique index on `email` decides at verification.
   */
  @Property({ type: 'varchar', length: 254, nullable: true })
  @Index({ name: 'users_pending_email_index' })
  pendingEmail?: string | null;

  /** argon2id hash; never serialized, never selected unless asked for. */
  @Property({ type: 'text', hidden: true, lazy: true })
  @Secret()
  password: string;

  @Property({ type: 'varchar', length: 150 })
  @Index({ name: 'users_name_index' })
  name: string;

  @Property({ type: 'date', nullable: true })
  birthdate?: string | null;

  @Enum({ items: () => Gender, default: Gender.Unspecified })
  gender: Gender & Opt = Gender.Unspecified;

  @Enum({ items: () => Department, nullable: true })
  department?: Department | null;

  /** Image bytes (JPEG/PNG/WebP); loaded only when asked for. */
  @Property({ type: 'blob', nullable: true, lazy: true, hidden: true })
  photo?: Buffer | null;

  @Property({ type: 'varchar', length: 20, nullable: true })
  photoType?: string | null;

  /** Strong validator of the current photo (hash of its bytes), for ETag and cache-busting URLs. */
  @Property({ type: 'varchar', length: 64, nullable: true })
  photoHash?: string | null;

  @Property({ type: 'varchar', length: 254, nullable: true })
  teacherEmail?: string | null;

  @Property({ type: 'boolean', default: false })
  isStaff: boolean & Opt = false;

  @Property({ type: 'boolean', default: false })
  isSuperuser: boolean & Opt = false;

  @Property({ type: 'boolean', default: true })
  isActive: boolean & Opt = true;

  @Property({ type: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;

  constructor(email: string, name: string, passwordHash: string) {
    super();
    this.email = normalizeEmail(email);
    this.name = name;
    this.password = passwordHash;
  }
}
