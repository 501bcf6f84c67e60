import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ForbiddenProblem, NotFoundProblem, rawQuery, type Principal } from '#porch/core';
import { Party } from './party.entity.js';

/** Who the caller is to an invite. */
export type InviteRole = 'guest' | 'host';

/**
 * The one place for object-level permissions on parties and invites (routes declare the
 * route-level ones). Parties the caller may not see answer 404, never 403, so their existence
 * does not leak; a caller who may see a party but not act on it gets 403.
 *
 * - see a party: its host, a user with an invite to it (any status), staff and superusers;
 * - act as host (edit, delete, guest list, invitable, invite, check in): its host only;
 * - see an invite: its guest and its party's host.
 */
@Injectable()
export class PartyAccess {
  constructor(private readonly em: EntityManager) {}

  isStaff(principal: Principal): boolean {
    return principal.isStaff || principal.isSuperuser;
  }

  isHost(principal: Principal, party: { host: { id: string } }): boolean {
    return party.host.id === principal.id;
  }

  async canView(principal: Principal, party: Party, em: EntityManager = this.em): Promise<boolean> {
    if (this.isHost(principal, party) || this.isStaff(principal)) return true;
    const rows = await rawQuery<unknown>(
      em,
      'select 1 from invites where party_id = ? and guest_id = ? limit 1',
      [party.id, principal.id],
    );
    return rows.length > 0;
  }

  /** The party (host loaded) if the caller may see it; else 404. */
  async viewable(
    principal: Principal,
    partyId: string,
    em: EntityManager = this.em,
  ): Promise<Party> {
    const party = await this.load(partyId, em);
    if (!party || !(await this.canView(principal, party, em))) throw notFound();
    return party;
  }

  /** The party (host loaded) if the caller hosts it; 404 if they may not see it, else 403. */
  async hosted(principal: Principal, partyId: string, em: EntityManager = this.em): Promise<Party> {
    const party = await this.load(partyId, em);
    if (party && this.isHost(principal, party)) return party;
    if (!party || !(await this.canView(principal, party, em))) throw notFound();
    throw new ForbiddenProblem('Only the host can do this');
  }

  /** The caller's role on an invite, or null when they may not see it (→ 404). */
  inviteRole(principal: Principal, invite: { guestId: string; hostId: string }): InviteRole | null {
    if (invite.guestId === principal.id) return 'guest';
    if (invite.hostId === principal.id) return 'host';
    return null;
  }

  /** Deleted parties, and parties of deleted hosts, are filtered out (soft-delete filters). */
  private load(partyId: string, em: EntityManager): Promise<Party | null> {
    return em.findOne(Party, { id: partyId }, { populate: ['host'] });
  }
}

function notFound(): NotFoundProblem {
  return new NotFoundProblem('No such party');
}
