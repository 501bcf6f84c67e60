import { EntityRepository } from '@mikro-orm/postgresql';
import { queryPage, rawQuery, type PageOf } from '#porch/core';
import { InviteStatus, type Invite, type PartyRow } from '#porch/parties';
import type { InviteQueryDto } from './dto/invite-query.dto.js';
import type { InviteRow } from './dto/invite-response.dto.js';

/** The invite read model: every read joins its party, host and guest; deleted ones hide it. */
const COLUMNS = `i.id, i.status, i.plus_ones, i.responded_at, i.created_at, i.updated_at,
  g.id as guest_id, g.name as guest_name, g.photo_hash as guest_photo_hash,
  p.id as party_id, p.flat, p.first_entry, p.last_entry, p.vibe,
  h.id as host_id, h.name as host_name, h.photo_hash as host_photo_hash`;
const joined = (source: string) => `${source} i
  join parties p on p.id = i.party_id and p.deleted_at is null
  join users h on h.id = p.host_id and h.deleted_at is null
  join users g on g.id = i.guest_id and g.deleted_at is null`;

/** The party and the guest of a new invite, as one row (the guest's columns null if not found). */
export type InviteTargetRow = Pick<
  PartyRow,
  | 'id'
  | 'flat'
  | 'first_entry'
  | 'last_entry'
  | 'vibe'
  | 'description'
  | 'host_id'
  | 'host_name'
  | 'host_photo_hash'
> & {
  guest_id: string | null;
  guest_name: string | null;
  guest_email: string | null;
  guest_photo_hash: string | null;
};

/**
 * Invites as the invites module reads and moves them (the parties module reads its parties'
 * invites through PartiesRepository). Rules (who may, which move, which error) are the callers'.
 *
 * Not registered on the entity (`@Entity({ repository })`): Invite lives in the parties lib,
 * which does not import this one (invites → parties only). InvitesModule provides it from the
 * EntityManager; statements go through `rawQuery` on that one, which joins a surrounding
 * `em.transactional()` (the admin panel's audited cancel) itself.
 */
export class InvitesRepository extends EntityRepository<Invite> {
  /**
   * The party (with its host) and the guest-to-be (active, not deleted) in one prepared
   * statement; nothing if the party or its host is deleted or unknown.
   */
  async findTarget(partyId: string, guestId: string): Promise<InviteTargetRow | undefined> {
    const [row] = await rawQuery<InviteTargetRow>(
      this.em,
      `select p.id, p.flat, p.first_entry, p.last_entry, p.vibe, p.description,
              h.id as host_id, h.name as host_name, h.photo_hash as host_photo_hash,
              g.id as guest_id, g.name as guest_name, g.email as guest_email,
              g.photo_hash as guest_photo_hash
         from parties p
         join users h on h.id = p.host_id and h.deleted_at is null
         left join users g on g.id = ? and g.is_active and g.deleted_at is null
        where p.id = ? and p.deleted_at is null`,
      [guestId, partyId],
    );
    return row;
  }

  /** A new invite, `invited`; a UniqueConstraintViolationException if the guest has one. */
  async insertInvited(row: {
    id: string;
    partyId: string;
    guestId: string;
    plusOnes: number;
    now: Date;
  }): Promise<void> {
    await rawQuery(
      this.em,
      `insert into invites (id, party_id, guest_id, status, plus_ones, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?)`,
      [row.id, row.partyId, row.guestId, InviteStatus.Invited, row.plusOnes, row.now, row.now],
    );
  }

  /**
   * A page of a guest's invites (`?status=`), by first entry: one query (joins, and the total by
   * a window function). Parties whose last entry is not after `now` are left out unless
   * `include=past`.
   */
  async pageOfGuest(guestId: string, query: InviteQueryDto, now: Date): Promise<PageOf<InviteRow>> {
    const params: unknown[] = [guestId];
    let where = 'i.guest_id = ?';
    if (query.status) {
      where += ' and i.status = ?';
      params.push(query.status);
    }
    if (query.include !== 'past') {
      where += ' and p.last_entry > ?';
      params.push(now);
    }
    return queryPage<InviteRow>(
      this.em,
      {
        columns: COLUMNS,
        from: `${joined('invites')} where ${where}`,
        params,
        orderBy: 'p.first_entry, i.id',
      },
      query,
    );
  }

  /** The invite's row, null if it is gone (deleted, or its party or a user was). */
  async findRow(inviteId: string): Promise<InviteRow | null> {
    const rows = await rawQuery<InviteRow>(
      this.em,
      `select ${COLUMNS} from ${joined('invites')} where i.id = ?`,
      [inviteId],
    );
    return rows[0] ?? null;
  }

  /**
   * Moves the invite to `to` if its status is one of `from`; `respondedAt` (the guest's answer)
   * replaces the response time, null keeps it. The new row, or null if it was not moved.
   */
  async moveIf(
    inviteId: string,
    from: readonly InviteStatus[],
    to: InviteStatus,
    respondedAt: Date | null,
    now: Date,
  ): Promise<InviteRow | null> {
    return this.updateIf(
      inviteId,
      from,
      'status = ?, responded_at = coalesce(?, responded_at), updated_at = ?',
      [to, respondedAt, now],
    );
  }

  /** Sets the plus-ones if the invite's status is one of `from`; the new row, or null. */
  async setPlusOnesIf(
    inviteId: string,
    from: readonly InviteStatus[],
    plusOnes: number,
    now: Date,
  ): Promise<InviteRow | null> {
    return this.updateIf(inviteId, from, 'plus_ones = ?, updated_at = ?', [plusOnes, now]);
  }

  /** The invite's guest and host (for InviteAccess); nothing if a party or user is deleted. */
  async findParticipants(
    inviteId: string,
  ): Promise<{ guest_id: string; host_id: string } | undefined> {
    const [row] = await rawQuery<{ guest_id: string; host_id: string }>(
      this.em,
      `select i.guest_id, p.host_id
         from invites i
         join parties p on p.id = i.party_id and p.deleted_at is null
         join users h on h.id = p.host_id and h.deleted_at is null
         join users g on g.id = i.guest_id and g.deleted_at is null
        where i.id = ?`,
      [inviteId],
    );
    return row;
  }

  /**
   * One statement: update only from an allowed status (and a live party), return the new row,
   * so two racing moves cannot both win.
   */
  private async updateIf(
    inviteId: string,
    from: readonly InviteStatus[],
    set: string,
    setParams: unknown[],
  ): Promise<InviteRow | null> {
    const rows = await rawQuery<InviteRow>(
      this.em,
      `with changed as (
         update invites set ${set}
          where id = ? and status in (?)
            and exists (select 1 from parties p where p.id = invites.party_id and p.deleted_at is null)
          returning *)
       select ${COLUMNS} from ${joined('changed')}`,
      [...setParams, inviteId, [...from]],
    );
    return rows[0] ?? null;
  }
}
