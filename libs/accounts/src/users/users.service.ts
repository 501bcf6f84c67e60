import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  isStaff,
  NotFoundProblem,
  type PageOf,
  ValidationProblem,
  type Principal,
} from '#porch/core';
import {
  EmailVerificationService,
  emailTaken,
} from '../email-verification/email-verification.service.js';
import { PasswordHasher } from '../passwords/password-hasher.js';
import { PasswordPolicy } from '../passwords/password-validators.js';
import { TokensService } from '../tokens/tokens.service.js';
import type { UpdateMeDto } from './dto/update-me.dto.js';
import {
  toMeProfile,
  toPublicProfile,
  toPublicProfiles,
  type MeProfileDto,
  type PublicProfileDto,
} from './dto/user-response.dto.js';
import type { UsersQueryDto } from './dto/users-query.dto.js';
import { HostingStatus, type Role } from './hosting-status.js';
import { readPhoto, type Photo } from './photos.js';
import { emailProblem, normalizeEmail } from './emails.js';
import { Department, Gender, User, type DepartmentValue, type GenderValue } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/** What creating a user takes (sign-up, createsuperuser). */
export interface NewUser {
  email: string;
  password: string;
  name: string;
  birthdate?: string | null;
  gender?: GenderValue;
  department?: DepartmentValue | null;
  teacherEmail?: string | null;
  photo?: Photo;
  isStaff?: boolean;
  isSuperuser?: boolean;
  /** Created with a verified email (createsuperuser); sign-up's is verified by its code. */
  emailVerified?: boolean;
}

/** The normalized address, or 400 when it may not be registered (`emailProblem`). */
function registrableEmail(email: string, field: string): string {
  const normalized = normalizeEmail(email);
  const problem = emailProblem(normalized);
  if (problem) throw new ValidationProblem([{ field, message: `${field} is refused: ${problem}` }]);
  return normalized;
}

/**
 * Users and their profiles. Deleted users are invisible here (the `notDeleted` filter); the
 * password hash is never selected except where a password is set.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly userRepository: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly tokens: TokensService,
    private readonly hosting: HostingStatus,
    private readonly verification: EmailVerificationService,
  ) {}

  /**
   * Creates a user after Django's password rules (400) and the unique email (409, also under
   * concurrent sign-ups: the unique index decides). Deleted users keep their email.
   */
  async create(input: NewUser): Promise<User> {
    const email = registrableEmail(input.email, 'email');
    this.policy.assertValid(input.password, { email, name: input.name });
    if (await this.userRepository.emailTaken(email)) throw emailTaken();
    const user = new User(email, input.name, await this.hasher.hash(input.password));
    user.birthdate = input.birthdate ?? null;
    user.gender = (input.gender as Gender | undefined) ?? Gender.Unspecified;
    user.department = (input.department as Department | undefined) ?? null;
    user.teacherEmail = input.teacherEmail
      ? registrableEmail(input.teacherEmail, 'teacherEmail')
      : null;
    user.isStaff = input.isStaff ?? false;
    user.isSuperuser = input.isSuperuser ?? false;
    user.emailVerifiedAt = input.emailVerified ? new Date() : null;
    if (input.photo) this.applyPhoto(user, input.photo);
    try {
      await this.userRepository.insertUser(user);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw emailTaken();
      throw error;
    }
    return user;
  }

  /** A user (not deleted) by email, or 404. */
  async findByEmail(email: string): Promise<User> {
    const normalized = normalizeEmail(email);
    const user = await this.userRepository.findByEmail(normalized);
    if (!user) throw new NotFoundProblem(`No user with the email ${normalized}`);
    return user;
  }

  /** Sets a new password (after the rules) and signs the user out everywhere. */
  async setPassword(email: string, password: string): Promise<User> {
    const user = await this.findByEmail(email);
    this.policy.assertValid(password, user);
    const hash = await this.hasher.hash(password);
    await this.em.fork().transactional(async (tx) => {
      await tx.getRepository(User).setPasswordHash(user.id, hash);
      await this.tokens.revokeAllForUser(user.id, tx);
    });
    return user;
  }

  /**
   * Activates or deactivates a user who is not deleted (staff, in the admin panel); deactivating
   * also revokes every token, so re-activating does not revive old sessions. False when the user
   * is deleted (restore them first) or absent. `em`: the caller's transaction (the panel's).
   */
  async setActive(userId: string, active: boolean, em = this.em.fork()): Promise<boolean> {
    const changed = await em.getRepository(User).setActive(userId, active);
    if (changed && !active) await this.tokens.revokeAllForUser(userId, em);
    return changed;
  }

  /** Stamps `lastLoginAt` (not `updatedAt`: logging in does not change the profile). */
  async recordLogin(userId: string): Promise<Date> {
    const now = new Date();
    await this.userRepository.recordLogin(userId, now);
    return now;
  }

  async me(userId: string, origin: string): Promise<MeProfileDto> {
    const user = await this.userRepository.findById(userId);
    if (!user) throw new NotFoundProblem('User not found');
    return this.toMe(user, origin);
  }

  async toMe(user: User, origin: string): Promise<MeProfileDto> {
    return toMeProfile(user, await this.role(user.id), origin);
  }

  /**
   * A new email is not the login email until its owner enters the code mailed to it
   * (`EmailVerificationService.verify`): until then it is `pendingEmail`. Asking for the current
   * email back drops a pending change. 409 when another account has the new email now (and again
   * at verification, when the unique index decides).
   */
  async updateMe(userId: string, changes: UpdateMeDto, origin: string): Promise<MeProfileDto> {
    // One unit of work: the changes to the user loaded here are flushed together.
    const em = this.em.fork();
    const users = em.getRepository(User);
    const user = await users.findById(userId);
    if (!user) throw new NotFoundProblem('User not found');
    let verify: string | undefined;
    if (changes.email !== undefined) {
      const email = registrableEmail(changes.email, 'email');
      if (email === user.email) user.pendingEmail = null;
      else {
        if (await users.emailTaken(email, user.id)) throw emailTaken();
        if (user.pendingEmail !== email) verify = email;
        user.pendingEmail = email;
      }
    }
    if (changes.name !== undefined) user.name = changes.name;
    if (changes.gender !== undefined) user.gender = changes.gender as Gender;
    if (changes.birthdate !== undefined) user.birthdate = changes.birthdate;
    if (changes.department !== undefined) user.department = changes.department as Department | null;
    if (changes.teacherEmail !== undefined)
      user.teacherEmail = changes.teacherEmail
        ? registrableEmail(changes.teacherEmail, 'teacherEmail')
        : null;
    await em.flush();
    if (verify) this.verification.send(user.id, verify);
    return this.toMe(user, origin);
  }

  /**
   * Soft delete: deleted and deactivated in one UPDATE (the check constraint wants both at once),
   * and every token revoked, in one transaction.
   */
  async deleteMe(userId: string): Promise<void> {
    await this.em.fork().transactional(async (em) => {
      await em.getRepository(User).softDelete(userId, new Date());
      await this.tokens.revokeAllForUser(userId, em);
    });
  }

  /** A new photo from a file part or a base64 / data-URL string (exactly one of them). */
  async setPhoto(
    userId: string,
    file: { buffer: Buffer } | undefined,
    text: string | undefined,
    origin: string,
  ): Promise<MeProfileDto> {
    const photo = readPhoto(file, text);
    if (!photo)
      throw new ValidationProblem([
        { field: 'photo', message: 'photo is required (a file part or a base64 string)' },
      ]);
    const em = this.em.fork();
    const user = await em.getRepository(User).findById(userId);
    if (!user) throw new NotFoundProblem('User not found');
    this.applyPhoto(user, photo);
    await em.flush();
    return this.toMe(user, origin);
  }

  async removePhoto(userId: string): Promise<void> {
    await this.userRepository.clearPhoto(userId);
  }

  /**
   * A user's public profile, for a viewer holding `user.read` on them (the route's permission:
   * AccountsAccess); 404 when deleted.
   */
  async profile(id: string, origin: string): Promise<PublicProfileDto> {
    const user = await this.userRepository.findById(id);
    if (!user) throw new NotFoundProblem('User not found');
    return toPublicProfile(user, await this.role(user.id), origin);
  }

  /**
   * Public profiles of these users, those the viewer may see (as `profile`), without their roles
   * (`HostingStatus` answers those, batched apart): one query for all, for GraphQL's DataLoaders.
   */
  async publicProfilesOf(
    viewer: Principal,
    ids: readonly string[],
    origin: string,
  ): Promise<Map<string, Omit<PublicProfileDto, 'role'>>> {
    if (!ids.length) return new Map();
    const users = await this.userRepository.findPublicFields(ids, !isStaff(viewer));
    return new Map(
      users.map((user) => {
        const { role: _role, ...profile } = toPublicProfile(user, 'guest', origin);
        return [user.id, profile];
      }),
    );
  }

  /** The photo bytes, type and hash (for the ETag), as for the profile; 404 when there is none. */
  async photo(id: string): Promise<Photo> {
    const user = await this.userRepository.findPhoto(id);
    if (!user?.photo || !user.photoHash) throw new NotFoundProblem('No photo');
    return { bytes: user.photo, type: user.photoType as Photo['type'], hash: user.photoHash };
  }

  /**
   * Active users, filtered and ordered, as one page plus the total in one statement
   * (`count(*) over()`), and their roles in one more query for the whole page. `search` matches
   * names; for staff also emails (for anyone else that would tell which addresses have accounts).
   */
  async list(
    viewer: Principal,
    query: UsersQueryDto,
    origin: string,
  ): Promise<PageOf<PublicProfileDto>> {
    const { count, results: rows } = await this.userRepository.publicPage(query, isStaff(viewer));
    return { count, results: await toPublicProfiles(rows, this.hosting, origin) };
  }

  private async role(userId: string): Promise<Role> {
    return (await this.hosting.hostingUserIds([userId])).has(userId) ? 'host' : 'guest';
  }

  private applyPhoto(user: User, photo: Photo): void {
    user.photo = photo.bytes;
    user.photoType = photo.type;
    user.photoHash = photo.hash;
  }
}
