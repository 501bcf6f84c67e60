import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  AccessChecker,
  allow,
  forbidden,
  hidden,
  isStaff,
  rawQuery,
  type AccessDecision,
  type Permission,
  type PermissionChecker,
  type Principal,
} from '#porch/core';

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
  constructor(private readonly em: EntityManager) {}

  async decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision> {
    if (permission === 'user.parties') return this.userParties(principal, id);
    if (!id) return hidden('No such party');
    const [party] = await rawQuery<{ host_id: string; invited: boolean }>(
      this.em,
      `select p.host_id,
              exists (select 1 from invites i where i.party_id = p.id and i.guest_id = ?) as invited
         from parties p join users h on h.id = p.host_id and h.deleted_at is null
        where p.id = ? and p.deleted_at is null`,
      [principal.id, id],
    );
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
    const rows = await rawQuery<unknown>(
      this.em,
      'select 1 from users where id = ? and deleted_at is null',
      [userId],
    );
    return rows.length ? allow() : hidden('No such user');
  }
}
