import { Injectable } from '@nestjs/common';
import {
  AccessChecker,
  allow,
  forbidden,
  hidden,
  isStaff,
  type AccessDecision,
  type Permission,
  type PermissionChecker,
  type Principal,
} from '#porch/core';
import { UsersRepository } from './users.repository.js';

/**
 * The accounts' checker (AccessService), for users and for what a user's roles open:
 * - `user.read` (a public profile, its photo): deleted users exist for no one (404); inactive
 *   users are visible to staff only (404 for anyone else);
 * - `admin.access` (the admin panel): superusers;
 * - `export.read` (the CSV/Excel exports): staff.
 * As everywhere, the Principal is the caller as of now: the bearer check and the panel's
 * per-request re-check only produce one for an active, non-deleted user.
 */
@AccessChecker(['user.read', 'admin.access', 'export.read'])
@Injectable()
export class AccountsAccess implements PermissionChecker {
  constructor(private readonly userRepository: UsersRepository) {}

  async decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision> {
    if (permission === 'admin.access')
      return principal.isSuperuser ? allow() : forbidden('Superusers only');
    if (permission === 'export.read') return isStaff(principal) ? allow() : forbidden('Staff only');
    if (!id) return hidden('User not found');
    if (id === principal.id) return allow();
    const active = await this.userRepository.activeState(id);
    return active !== undefined && (active || isStaff(principal))
      ? allow()
      : hidden('User not found');
  }
}
