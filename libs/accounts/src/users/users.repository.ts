import { EntityRepository } from '@mikro-orm/postgresql';
import { containsPattern, queryPage, rawQuery, toOrderBy, type PageOf } from '#porch/core';
import { entityManagerOf } from '../entity-manager-of.js';
import type { PublicFields } from './dto/user-response.dto.js';
import type { UsersQueryDto } from './dto/users-query.dto.js';
import { normalizeEmail } from './emails.js';
import { User } from './user.entity.js';

/** Column of each `?ordering=` field of the users list (a whitelist: nothing else reaches SQL). */
const ORDER_COLUMNS: Record<string, string> = {
  // Alphabetical whatever the database collation: `alice` between `Adam` and `Bob`.
  name: 'lower(name)',
  createdAt: 'created_at',
};

/**
 * Users: the statements of UsersService, AuthService, AccountsAccess and the emailed codes'
 * lookups. Finds go through the `notDeleted` filter (deleted users are absent) unless they say
 * otherwise; the password hash is selected by `findWithPassword` only. Entity reads and writes
 * run on `entityManagerOf(this.em)`: a fork per call on the injected repository, the caller's
 * unit of work or transaction on `em.getRepository(User)`.
 */
export class UsersRepository extends EntityRepository<User> {
  /** Whether an account, deleted ones included (they keep their email), has `email`. */
  async emailTaken(email: string, exceptId?: string): Promise<boolean> {
    const where = exceptId === undefined ? { email } : { email, id: { $ne: exceptId } };
    return (await entityManagerOf(this.em).count(User, where, { filters: false })) > 0;
  }

  /** Inserts a new user (a UniqueConstraintViolationException if the email is taken). */
  async insertUser(user: User): Promise<void> {
    await entityManagerOf(this.em).persistAndFlush(user);
  }

  async findById(id: string): Promise<User | null> {
    return entityManagerOf(this.em).findOne(User, { id });
  }

  /** `email` normalized. */
  async findByEmail(email: string): Promise<User | null> {
    return entityManagerOf(this.em).findOne(User, { email });
  }

  /** An active user by (normalized) email. */
  async findActiveByEmail(email: string): Promise<User | null> {
    return entityManagerOf(this.em).findOne(User, { email, isActive: true });
  }

  /** For checking a password: the user by (normalized) email, with the hash. */
  async findWithPassword(email: string): Promise<User | null> {
    return entityManagerOf(this.em).findOne(User, { email }, { populate: ['password'] });
  }

  async findByIds(ids: string[]): Promise<User[]> {
    return entityManagerOf(this.em).find(User, { id: { $in: ids } });
  }

  /**
   * Up to 5 active users awaiting a code for `address` (normalized): their pending new email,
   * or their own while unverified. Only their ids are read.
   */
  async findAwaiting(address: string) {
    return entityManagerOf(this.em).find(
      User,
      {
        isActive: true,
        $or: [{ pendingEmail: address }, { email: address, emailVerifiedAt: null }],
      },
      { fields: ['id'], limit: 5 },
    );
  }

  /** The public fields of these users (`activeOnly`: of the active ones). */
  async findPublicFields(ids: readonly string[], activeOnly: boolean) {
    return entityManagerOf(this.em).find(
      User,
      { id: { $in: [...ids] }, ...(activeOnly ? { isActive: true } : {}) },
      { fields: ['id', 'name', 'department', 'gender', 'photoHash'] },
    );
  }

  /** The user's photo bytes, type and hash, if they have a photo. */
  async findPhoto(id: string) {
    return entityManagerOf(this.em).findOne(
      User,
      { id, photoHash: { $ne: null } },
      { fields: ['id', 'photo', 'photoType', 'photoHash'] },
    );
  }

  /**
   * Whether the user is active; undefined when they are deleted or absent. The object-level
   * check of `user.read` (AccountsAccess).
   */
  async activeState(id: string): Promise<boolean | undefined> {
    const [user] = await rawQuery<{ is_active: boolean }>(
      this.em,
      'select is_active from users where id = ? and deleted_at is null',
      [id],
    );
    return user?.is_active;
  }

  /**
   * A page of active users' public fields, filtered and ordered as `GET /users` asks, with the
   * total (`queryPage`: one statement). `search` matches names, and emails too if `searchEmails`.
   */
  async publicPage(query: UsersQueryDto, searchEmails: boolean): Promise<PageOf<PublicFields>> {
    const where = ['deleted_at is null', 'is_active'];
    const params: unknown[] = [];
    if (query.search) {
      const pattern = containsPattern(query.search);
      if (searchEmails) {
        where.push(`(name ilike ? escape '\\' or email ilike ? escape '\\')`);
        params.push(pattern, containsPattern(normalizeEmail(query.search)));
      } else {
        where.push(`name ilike ? escape '\\'`);
        params.push(pattern);
      }
    }
    if (query.department) {
      where.push('department = ?');
      params.push(query.department);
    }
    const order = Object.entries(toOrderBy(query.ordering, { name: 'asc' }))
      .map(([field, dir]) => `${ORDER_COLUMNS[field]} ${dir === 'desc' ? 'desc' : 'asc'}`)
      .concat('id asc')
      .join(', ');
    return queryPage<PublicFields>(
      this.em,
      {
        columns: 'id, name, department, gender, photo_hash as "photoHash"',
        from: `users where ${where.join(' and ')}`,
        params,
        orderBy: order,
      },
      query,
    );
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(
      User,
      { id },
      { password: hash, updatedAt: new Date() },
    );
  }

  /** Activates or deactivates a user who is not deleted; false when none was changed. */
  async setActive(id: string, active: boolean): Promise<boolean> {
    const changed = await entityManagerOf(this.em).nativeUpdate(
      User,
      { id, deletedAt: null },
      { isActive: active, updatedAt: new Date() },
    );
    return changed > 0;
  }

  /** `lastLoginAt` only: logging in does not change the profile (`updatedAt`). */
  async recordLogin(id: string, at: Date): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(User, { id }, { lastLoginAt: at });
  }

  /** Deleted and deactivated in one UPDATE (the check constraint wants both at once). */
  async softDelete(id: string, at: Date): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(
      User,
      { id },
      { deletedAt: at, isActive: false, updatedAt: at },
    );
  }

  async clearPhoto(id: string): Promise<void> {
    await entityManagerOf(this.em).nativeUpdate(
      User,
      { id },
      { photo: null, photoType: null, photoHash: null, updatedAt: new Date() },
    );
  }
}
