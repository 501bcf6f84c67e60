import { Injectable } from '@nestjs/common';
import {
  AccessChecker,
  allow,
  forbidden,
  hidden,
  type AccessDecision,
  type Permission,
  type PermissionChecker,
  type Principal,
} from '#porch/core';
import type { InviteRole } from '#porch/parties';
import { InvitesRepository } from './invites.repository.js';

type InvitePermission = Extract<Permission, `invite.${string}`>;

/** Which role on an invite holds each invite permission, and what the others are told (403). */
export const INVITE_PERMISSIONS: Record<
  InvitePermission,
  { roles: readonly InviteRole[]; refused: string }
> = {
  'invite.read': { roles: ['guest', 'host'], refused: 'No such invite' },
  'invite.respond': { roles: ['guest'], refused: 'Only the guest can answer this invite' },
  'invite.cancel': { roles: ['guest', 'host'], refused: 'Only the guest or host can cancel' },
  'invite.checkIn': {
    roles: ['host'],
    refused: 'Only the host can check guests in or mark no-shows',
  },
};

/** The decision for a caller with this role on the invite (null: neither guest nor host). */
export function inviteDecision(role: InviteRole | null, permission: InvitePermission) {
  if (!role) return hidden('No such invite');
  const rule = INVITE_PERMISSIONS[permission];
  return rule.roles.includes(role) ? allow() : forbidden(rule.refused);
}

/**
 * The invites' checker (AccessService). An invite exists only for its guest and its party's
 * host (404 for anyone else, staff included); a deleted party, host or guest hides it.
 */
@AccessChecker(Object.keys(INVITE_PERMISSIONS) as InvitePermission[])
@Injectable()
export class InviteAccess implements PermissionChecker {
  constructor(private readonly invites: InvitesRepository) {}

  async decide(principal: Principal, permission: Permission, id?: string): Promise<AccessDecision> {
    if (!id || !(permission in INVITE_PERMISSIONS)) return hidden('No such invite');
    const row = await this.invites.findParticipants(id);
    return inviteDecision(row ? inviteRole(principal, row) : null, permission as InvitePermission);
  }
}

/** The caller's role on an invite, or null when they are neither its guest nor its host. */
export function inviteRole(
  principal: Pick<Principal, 'id'>,
  invite: { guest_id: string; host_id: string },
): InviteRole | null {
  if (invite.guest_id === principal.id) return 'guest';
  if (invite.host_id === principal.id) return 'host';
  return null;
}
