import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { CurrentAdmin } from 'adminjs';
import { LoginThrottle, normalizeEmail, PasswordHasher, User } from '#porch/accounts';
import { isUuid } from './adapter/where.js';

/** What a login attempt at the panel comes to. */
export type AdminLoginOutcome =
  | { kind: 'admin'; admin: CurrentAdmin }
  | { kind: 'refused' }
  /** Over the (email, IP) limit: nothing was checked; try again in `retryAfter` seconds. */
  | { kind: 'throttled'; retryAfter: number };

/** Who may use the admin panel: active, non-deleted superusers (Django's is_staff + admin). */
@Injectable()
export class AdminAuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * The panel's login. A wrong password, an unknown email and a user who is not an active
   * superuser get one answer, after the same work. The attempt is counted against the API's
   * (email, IP) budget first, atomically, so parallel guesses past the limit are throttled
   * without a password being checked; a success clears the count.
   */
  async login(email: unknown, password: unknown, ip = 'unknown'): Promise<AdminLoginOutcome> {
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password)
      return { kind: 'refused' };
    const normalized = normalizeEmail(email);
    const key = this.throttle.key(normalized, ip);
    const retryAfter = await this.throttle.take(key);
    if (retryAfter) return { kind: 'throttled', retryAfter };
    const user = await this.em
      .fork()
      .findOne(User, { email: normalized }, { populate: ['password'] });
    const verified = await this.hasher.verify(user?.password, password);
    if (!user || !verified || !user.isActive || !user.isSuperuser || user.deletedAt)
      return { kind: 'refused' };
    await this.throttle.succeeded(key);
    await this.em.fork().nativeUpdate(User, { id: user.id }, { lastLoginAt: new Date() });
    return { kind: 'admin', admin: { id: user.id, email: user.email, title: user.name } };
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
