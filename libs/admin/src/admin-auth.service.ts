import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { CurrentAdmin } from 'adminjs';
import { LoginThrottle, normalizeEmail, PasswordHasher, User } from '#porch/accounts';
import { AccessService, type Principal } from '#porch/core';
import { isUuid } from './adapter/where.js';

/** What a login attempt at the panel comes to. */
export type AdminLoginOutcome =
  | { kind: 'admin'; admin: CurrentAdmin }
  | { kind: 'refused' }
  /** Over the (email, IP) limit: nothing was checked; try again in `retryAfter` seconds. */
  | { kind: 'throttled'; retryAfter: number };

/**
 * Who may use the admin panel: the `admin.access` permission (AccessService: superusers, as
 * Django's is_staff + admin), held by an active, non-deleted user — as the API's bearer check
 * turns only such users into a Principal.
 */
@Injectable()
export class AdminAuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly access: AccessService,
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
    const principal = user && verified ? principalOf(user) : null;
    if (!user || !principal || !(await this.access.check(principal, 'admin.access')))
      return { kind: 'refused' };
    await this.throttle.succeeded(key);
    await this.em.fork().nativeUpdate(User, { id: user.id }, { lastLoginAt: new Date() });
    return { kind: 'admin', admin: { id: user.id, email: user.email, title: user.name } };
  }

  /**
   * Re-checked on every panel request: the session's admin as a Principal, or null once they
   * are demoted, deactivated or deleted (out at once).
   */
  async currentAdmin(id: unknown): Promise<Principal | null> {
    if (!isUuid(id)) return null;
    const user = await this.em
      .fork()
      .findOne(User, { id }, { fields: ['id', 'email', 'isStaff', 'isSuperuser', 'isActive'] });
    const principal = user ? principalOf(user) : null;
    return principal && (await this.access.check(principal, 'admin.access')) ? principal : null;
  }

  /** The panel's exports: `export.read` (403 otherwise). */
  requireExport(principal: Principal): Promise<void> {
    return this.access.require(principal, 'export.read');
  }
}

/** The caller a user row stands for: only an active, non-deleted user is one. */
function principalOf(
  user: Pick<User, 'id' | 'email' | 'isStaff' | 'isSuperuser' | 'isActive' | 'deletedAt'>,
): Principal | null {
  if (!user.isActive || user.deletedAt) return null;
  return { id: user.id, email: user.email, isStaff: user.isStaff, isSuperuser: user.isSuperuser };
}
