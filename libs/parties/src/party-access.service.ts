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
import { PartiesRepository } from './parties.repository.js';

/** Who the caller is to an invite. */
export type InviteRole = 'guest' | 'host';

/**
 * The parties' checker (AccessService): parties the caller may not see answer 404, never 403,
 * so their existence does not leak; a caller who may see a party but not act on it gets 403.
 *
 * - `party.read`: its host, a user with an invite to it (any status), staff and superusers;
 * - `party.update`, `party.delete`, `party.guests`, `party.invite`: its host only;
 * - `user.parties` (the parties a user hosts): the user themself, or staff (403 for anyone
 *   else, even for an unknown id: user ids are public, so refusing reveals nothing).
 *
 * Deleted parties, and parties of deleted hosts, do not exist for anyone.
 */
@AccessChecker([
  'party.read',
  'party.update',
  'party.delete',
  'party.guests',
  'party.invite',
  'user.parties',
])
@Injectable()
export class PartyAccess implements PermissionChecker {
  constructor(private readonly parties: PartiesRepository) {}

  async decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision> {
    if (permission === 'user.parties') return this.userParties(principal, id);
    if (!id) return hidden('No such party');
    const party = await this.parties.visibility(id, principal.id);
    if (!party) return hidden('No such party');
    if (party.host_id === principal.id) return allow();
    const visible = party.invited || isStaff(principal);
    if (!visible) return hidden('No such party');
    return permission === 'party.read' ? allow() : forbidden('Only the host can do this');
  }

  private async userParties(principal: Principal, userId?: string): Promise<AccessDecision> {
    if (userId === principal.id) return allow();
    if (!isStaff(principal)) return forbidden("Only staff can list another user's parties");
    if (!userId) return hidden('No such user');
    return (await this.parties.userExists(userId)) ? allow() : hidden('No such user');
  }
}
