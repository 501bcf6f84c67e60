import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { CurrentAdmin } from 'adminjs';
import { normalizeEmail, PasswordHasher, User } from '#porch/accounts';
import { AppConfig, CounterStore } from '#porch/core';
import { isUuid } from './adapter/where.js';

/** Who may use the admin panel: active, non-deleted superusers (Django's is_staff + admin). */
@Injectable()
export class AdminAuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly counters: CounterStore,
    private readonly config: AppConfig,
  ) {}

  /**
   * The panel's login: the admin, or null for a wrong password, an unknown email or a user who
   * is not an active superuser (one answer for all, in the same time). Failures per email+IP are
   * limited like the API's logins; over the limit it throws `tooManyRequests` (AdminJS shows it).
   */
  async authenticate(
    email: unknown,
    password: unknown,
    ip = 'unknown',
  ): Promise<CurrentAdmin | null> {
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password)
      return null;
    const normalized = normalizeEmail(email);
    const key = `admin-login:${normalized}:${ip}`;
    if ((await this.counters.get(key)).hits >= this.config.LOGIN_MAX_FAILURES) {
      throw new Error('tooManyRequests');
    }
    const user = await this.em
      .fork()
      .findOne(User, { email: normalized }, { populate: ['password'] });
    const verified = await this.hasher.verify(user?.password, password);
    if (!user || !verified || !user.isActive || !user.isSuperuser || user.deletedAt) {
      await this.counters.hit(key, this.config.LOGIN_FAILURE_WINDOW_SECONDS);
      return null;
    }
    await this.counters.reset(key);
    await this.em.fork().nativeUpdate(User, { id: user.id }, { lastLoginAt: new Date() });
    return { id: user.id, email: user.email, title: user.name };
  }

  /** Re-checked on every panel request: a demoted, deactivated or deleted admin is out at once. */
  async isActiveSuperuser(id: unknown): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.em
      .getConnection()
      .execute<
        { ok: number }[]
      >('select 1 as ok from users where id = ? and is_active and is_superuser and deleted_at is null', [id]);
    return rows.length > 0;
  }
}
