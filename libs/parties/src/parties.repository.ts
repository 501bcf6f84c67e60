import { EntityRepository } from '@mikro-orm/postgresql';
import { normalizeEmail, User, type PublicFields } from '#porch/accounts';
import {
  containsPattern,
  queryPage,
  rawQuery,
  timestamp,
  toOrderBy,
  type PageOf,
  type RawTimestamp,
} from '#porch/core';
import type { GuestListQueryDto } from './dto/guest-list.dto.js';
import { PartyWhen, type UserPartiesQueryDto } from './dto/user-parties-query.dto.js';
import { Invite, InviteStatus, OPEN_INVITE_STATUSES } from './invite.entity.js';
import { Party, type Vibe } from './party.entity.js';

/** A party with its host, as `pageOfHost` reads it. */
export type PartyRow = {
  id: string;
  flat: string;
  first_entry: RawTimestamp;
  last_entry: RawTimestamp;
  vibe: Vibe;
  description: string | null;
  postal_code: string | null;
  created_at: RawTimestamp;
  updated_at: RawTimestamp;
  host_id: string;
  host_name: string;
  host_photo_hash: string | null;
};

/** A party row's own columns as the mappers name them, its times as Dates. */
export function partyFieldsOf(
  row: Pick<PartyRow, 'id' | 'flat' | 'first_entry' | 'last_entry' | 'vibe' | 'description'>,
) {
  return {
    id: row.id,
    flat: row.flat,
    firstEntry: timestamp(row.first_entry),
    lastEntry: timestamp(row.last_entry),
    vibe: row.vibe,
    description: row.description,
  };
}

/** A guest: the columns of their public profile, and of their invite. */
export type GuestRow = PublicFields & {
  invite_id: string;
  status: InviteStatus;
  plus_ones: number;
  responded_at: RawTimestamp | null;
  invited_at: RawTimestamp;
};

/** One line of `inviteCounts`: how many of a party's invites have this status. */
export interface InviteCountRow {
  party_id: string;
  status: InviteStatus;
  n: number;
}

/** What `party.*` permissions need of a party: its host, and whether the caller is invited. */
export interface PartyVisibility {
  host_id: string;
  invited: boolean;
}

/**
 * Parties with their hosts, and what the parties module reads and writes of their invites
 * (counts, the guest list, canceling on delete). Rules (who may, which error) are the callers'.
 *
 * Statements run on the repository's own EntityManager: `rawQuery` joins a surrounding
 * `em.transactional()` itself. Inside a transaction take the transaction's repository
 * (`em.getRepository(Party)`) for the ORM calls (`lockHost`, the finds, `cancelOpenInvites`).
 */
export class PartiesRepository extends EntityRepository<Party> {
  /** The party, host loaded; deleted parties and those of deleted hosts are filtered out. */
  async findWithHost(partyId: string): Promise<Party | null> {
    return this.em.findOne(Party, { id: partyId }, { populate: ['host'] });
  }

  /**
   * Parties by id with their hosts, in one query, on a fork of its own (entities that are not
   * the request's to change).
   */
  async findManyWithHosts(ids: readonly string[]): Promise<Party[]> {
    return this.em.fork().find(Party, { id: { $in: [...ids] } }, { populate: ['host'] });
  }

  /** The user who is to host a new party (signed in, so they exist). */
  async findHost(userId: string): Promise<User> {
    return this.em.findOneOrFail(User, userId);
  }

  /**
   * Serializes one host's party changes until the transaction ends (an advisory lock), so the
   * "no second upcoming party" check holds.
   */
  async lockHost(hostId: string): Promise<void> {
    await this.em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [
      `porch:party-host:${hostId}`,
    ]);
  }

  /** A party of the host whose last entry is still ahead, other than `exceptPartyId`. */
  async findUpcomingOf(hostId: string, exceptPartyId?: string): Promise<{ id: string } | null> {
    return this.em.findOne(
      Party,
      {
        host: hostId,
        lastEntry: { $gt: new Date() },
        ...(exceptPartyId ? { id: { $ne: exceptPartyId } } : {}),
      },
      { fields: ['id'] },
    );
  }

  /** Cancels the party's open invites (invited, confirmed). */
  async cancelOpenInvites(partyId: string, now: Date): Promise<void> {
    await this.em.nativeUpdate(
      Invite,
      { party: partyId, status: { $in: [...OPEN_INVITE_STATUSES] } },
      { status: InviteStatus.Canceled, updatedAt: now },
    );
  }

  /**
   * A page of the parties a user hosts (`?when=`: upcoming or past as of `now`), by first
   * entry; a deleted host has none.
   */
  async pageOfHost(
    userId: string,
    query: UserPartiesQueryDto,
    now: Date,
  ): Promise<PageOf<PartyRow>> {
    const params: unknown[] = [userId];
    let when = '';
    if (query.when === PartyWhen.Upcoming) when = 'and p.last_entry > ?';
    if (query.when === PartyWhen.Past) when = 'and p.last_entry <= ?';
    if (when) params.push(now);
    const direction = toOrderBy(query.ordering, { firstEntry: 'asc' }).firstEntry ?? 'asc';
    return queryPage<PartyRow>(
      this.em,
      {
        columns: `p.id, p.flat, p.first_entry, p.last_entry, p.vibe, p.description, p.postal_code,
          p.created_at, p.updated_at, h.id as host_id, h.name as host_name,
          h.photo_hash as host_photo_hash`,
        from: `parties p join users h on h.id = p.host_id and h.deleted_at is null
          where p.host_id = ? and p.deleted_at is null ${when}`,
        params,
        orderBy: `p.first_entry ${direction === 'desc' ? 'desc' : 'asc'}, p.id`,
      },
      query,
    );
  }

  /** A page of the party's invites (`?status=`) with each guest; deleted guests are left out. */
  async pageOfGuests(partyId: string, query: GuestListQueryDto): Promise<PageOf<GuestRow>> {
    const params: unknown[] = [partyId];
    if (query.status) params.push(query.status);
    return queryPage<GuestRow>(
      this.em,
      {
        columns: `i.id as invite_id, i.status, i.plus_ones, i.responded_at, i.created_at as invited_at,
          u.id, u.name, u.department, u.gender, u.photo_hash as "photoHash"`,
        from: `invites i join users u on u.id = i.guest_id and u.deleted_at is null
          where i.party_id = ? ${query.status ? 'and i.status = ?' : ''}`,
        params,
        orderBy: 'i.created_at, i.id',
      },
      query,
    );
  }

  /**
   * A page of the active users, other than the host, with no invite to the party in any status,
   * by name; `search` matches names (`byEmail`: also email addresses).
   */
  async pageOfInvitable(
    hostId: string,
    partyId: string,
    search: string | undefined,
    byEmail: boolean,
    page: { limit: number; offset: number },
  ): Promise<PageOf<PublicFields>> {
    const params: unknown[] = [hostId, partyId];
    if (search) params.push(containsPattern(search));
    if (search && byEmail) params.push(containsPattern(normalizeEmail(search)));
    return queryPage<PublicFields>(
      this.em,
      {
        columns: 'u.id, u.name, u.department, u.gender, u.photo_hash as "photoHash"',
        from: `users u
          where u.deleted_at is null and u.is_active and u.id <> ?
            and not exists (select 1 from invites i where i.party_id = ? and i.guest_id = u.id)
            ${search ? `and (u.name ilike ? escape '\\'${byEmail ? ` or u.email ilike ? escape '\\'` : ''})` : ''}`,
        params,
        orderBy: 'u.name, u.id',
      },
      page,
    );
  }

  /** Invites per party and status, in one grouped query; deleted guests do not count. */
  async inviteCounts(partyIds: string[]): Promise<InviteCountRow[]> {
    return rawQuery<InviteCountRow>(
      this.em,
      `select i.party_id, i.status, count(*)::int as n
         from invites i join users u on u.id = i.guest_id and u.deleted_at is null
        where i.party_id in (?)
        group by i.party_id, i.status`,
      [partyIds],
    );
  }

  /**
   * The party's host and whether `callerId` has an invite to it (any status); nothing for a
   * deleted party or a deleted host's.
   */
  async visibility(partyId: string, callerId: string): Promise<PartyVisibility | undefined> {
    const [party] = await rawQuery<PartyVisibility>(
      this.em,
      `select p.host_id,
              exists (select 1 from invites i where i.party_id = p.id and i.guest_id = ?) as invited
         from parties p join users h on h.id = p.host_id and h.deleted_at is null
        where p.id = ? and p.deleted_at is null`,
      [callerId, partyId],
    );
    return party;
  }

  /** Whether the user exists and is not deleted (whose parties `user.parties` may list). */
  async userExists(userId: string): Promise<boolean> {
    const rows = await rawQuery<unknown>(
      this.em,
      'select 1 from users where id = ? and deleted_at is null',
      [userId],
    );
    return rows.length > 0;
  }

  /**
   * Those of `userIds` who host a non-deleted party whose last entry is after `now`: one
   * indexed query (parties host_id, last_entry) per batch.
   */
  async hostsAmong(userIds: readonly string[], now: Date): Promise<Set<string>> {
    const rows = await rawQuery<{ host_id: string }>(
      this.em,
      `select distinct host_id from parties
        where host_id in (?) and deleted_at is null and last_entry > ?`,
      [[...userIds], now],
    );
    return new Set(rows.map((r) => r.host_id));
  }
}
