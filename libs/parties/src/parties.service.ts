import { DriverException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { toPublicProfiles, type PublicProfileDto } from '#porch/accounts';
import { HealthRegionsCatalog } from '#porch/health-regions';
import {
  ConflictProblem,
  isStaff,
  normalizePostalCode,
  NotFoundProblem,
  type PageOf,
  type Principal,
  timestamp,
  UnprocessableProblem,
} from '#porch/core';
import type { CreatePartyDto } from './dto/create-party.dto.js';
import type { GuestListEntryDto, GuestListQueryDto } from './dto/guest-list.dto.js';
import type { InvitableQueryDto } from './dto/invitable-query.dto.js';
import {
  emptyInviteCounts,
  toPartyResponse,
  type InviteCounts,
  type PartyResponseDto,
  type PartyView,
} from './dto/party-response.dto.js';
import type { UpdatePartyDto } from './dto/update-party.dto.js';
import type { UserPartiesQueryDto } from './dto/user-parties-query.dto.js';
import { PartiesHostingStatus } from './parties-hosting-status.js';
import { PartiesRepository, partyFieldsOf, type PartyRow } from './parties.repository.js';
import { isOver, Party } from './party.entity.js';

/** Clock skew allowed on "not in the past": a client's "now" arrives a moment late. */
export const FIRST_ENTRY_GRACE_MS = 60_000;

/** PostgreSQL's exclusion_violation: the host already has a party overlapping in time. */
const EXCLUSION_VIOLATION = '23P01';

/** Parties: hosting, reading, editing, cancelling, and the host's guest-list screens. */
@Injectable()
export class PartiesService {
  constructor(
    private readonly em: EntityManager,
    private readonly parties: PartiesRepository,
    private readonly regions: HealthRegionsCatalog,
    private readonly hosting: PartiesHostingStatus,
  ) {}

  /**
   * The response of a party, with the health regions of its postal code (from memory).
   * `origin` (the request's `scheme://host`) makes the host's photo URL absolute.
   */
  private toResponse(
    party: PartyView,
    origin: string,
    counts?: InviteCounts,
    now?: Date,
  ): PartyResponseDto {
    const area = party.postalCode ? this.regions.resolve(party.postalCode) : null;
    return toPartyResponse(party, origin, counts, now, area?.healthRegions ?? []);
  }

  /** The caller hosts a new party; one whose last entry is ahead at a time (409). */
  async create(
    principal: Principal,
    dto: CreatePartyDto,
    origin: string,
  ): Promise<PartyResponseDto> {
    assertNotPast(dto.firstEntry);
    const party = await this.withOverlapAsConflict(() =>
      this.em.transactional(async (em) => {
        const parties = em.getRepository(Party);
        await parties.lockHost(principal.id);
        await this.assertNoOtherUpcoming(parties, principal.id);
        const host = await parties.findHost(principal.id);
        const party = new Party(host, dto.flat, dto.firstEntry);
        if (dto.vibe) party.vibe = dto.vibe;
        party.description = dto.description ?? null;
        party.postalCode = dto.postalCode ? normalizePostalCode(dto.postalCode) : null;
        await em.persist(party).flush();
        return party;
      }),
    );
    return this.toResponse(party, origin);
  }

  /**
   * Permissions are the route's (`party.read`, `party.update`, …: PartyAccess through
   * AccessService); a service method finds the party, and answers 404 if it is gone by then.
   */
  async get(partyId: string, origin: string): Promise<PartyResponseDto> {
    const party = await this.find(partyId);
    return this.toResponse(party, origin, (await this.inviteCounts([party.id])).get(party.id));
  }

  /**
   * Parties by id with their hosts, in one query, as responses without invite counts (see
   * `inviteCounts`). No access check: for callers that reached the parties through something the
   * principal may see (GraphQL's invite → party, batched by a DataLoader).
   */
  async responsesOf(
    ids: readonly string[],
    origin: string,
  ): Promise<Map<string, PartyResponseDto>> {
    if (!ids.length) return new Map();
    const parties = await this.parties.findManyWithHosts(ids);
    const now = new Date();
    return new Map(parties.map((p) => [p.id, this.toResponse(p, origin, undefined, now)]));
  }

  /** Host only. A party that is over cannot change; a new first entry must not be in the past. */
  async update(partyId: string, dto: UpdatePartyDto, origin: string): Promise<PartyResponseDto> {
    const party = await this.withOverlapAsConflict(() =>
      this.em.transactional(async (em) => {
        const parties = em.getRepository(Party);
        const party = await this.find(partyId, parties);
        if (isOver(party))
          throw new UnprocessableProblem('The party is over; it can no longer change');
        if (dto.firstEntry !== undefined) {
          assertNotPast(dto.firstEntry);
          await parties.lockHost(party.host.id);
          await this.assertNoOtherUpcoming(parties, party.host.id, party.id);
          party.schedule(dto.firstEntry);
        }
        if (dto.flat !== undefined) party.flat = dto.flat;
        if (dto.vibe !== undefined) party.vibe = dto.vibe;
        if (dto.description !== undefined) party.description = dto.description;
        if (dto.postalCode !== undefined)
          party.postalCode = dto.postalCode === null ? null : normalizePostalCode(dto.postalCode);
        await em.flush();
        return party;
      }),
    );
    return this.toResponse(party, origin, (await this.inviteCounts([party.id])).get(party.id));
  }

  /** Host only: soft-deletes the party and cancels its open invites, together. */
  async remove(partyId: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const parties = em.getRepository(Party);
      const party = await this.find(partyId, parties);
      const now = new Date();
      party.deletedAt = now;
      await parties.cancelOpenInvites(party.id, now);
      await em.flush();
    });
  }

  /** The parties a user hosts (who may list whose: `user.parties`, PartyAccess). */
  async listForUser(
    userId: string,
    query: UserPartiesQueryDto,
    origin: string,
  ): Promise<PageOf<PartyResponseDto>> {
    const now = new Date();
    const { count, results: rows } = await this.parties.pageOfHost(userId, query, now);
    const counts = await this.inviteCounts(rows.map((r) => r.id));
    return {
      count,
      results: rows.map((row) =>
        this.toResponse(partyViewOf(row), origin, counts.get(row.id), now),
      ),
    };
  }

  /** Host only: the invites of the party with each guest's profile; deleted guests are gone. */
  async guests(
    partyId: string,
    query: GuestListQueryDto,
    origin: string,
  ): Promise<PageOf<GuestListEntryDto>> {
    const party = await this.find(partyId);
    const { count, results: rows } = await this.parties.pageOfGuests(party.id, query);
    const guests = await toPublicProfiles(rows, this.hosting, origin);
    return {
      count,
      results: rows.map((row, i) => ({
        id: row.invite_id,
        status: row.status,
        plusOnes: row.plus_ones,
        respondedAt: timestamp(row.responded_at),
        createdAt: timestamp(row.invited_at),
        guest: guests[i],
      })),
    };
  }

  /**
   * Host only: active users the host could still invite (not the host, no invite in any status),
   * searchable by name (staff: also by email; for anyone else an email match would tell which
   * addresses have accounts), ordered by name.
   */
  async invitable(
    principal: Principal,
    partyId: string,
    query: InvitableQueryDto,
    origin: string,
  ): Promise<PageOf<PublicProfileDto>> {
    const party = await this.find(partyId);
    const { count, results: rows } = await this.parties.pageOfInvitable(
      party.host.id,
      party.id,
      query.search?.trim(),
      isStaff(principal),
      query,
    );
    return { count, results: await toPublicProfiles(rows, this.hosting, origin) };
  }

  /** Invites per status for each party, in one grouped query; deleted guests do not count. */
  async inviteCounts(partyIds: string[]): Promise<Map<string, InviteCounts>> {
    const result = new Map(partyIds.map((id) => [id, emptyInviteCounts()]));
    if (!partyIds.length) return result;
    const rows = await this.parties.inviteCounts(partyIds);
    for (const row of rows) result.get(row.party_id)![row.status] = row.n;
    return result;
  }

  /** The party, host loaded; deleted parties and those of deleted hosts are filtered out. */
  private async find(partyId: string, parties = this.parties): Promise<Party> {
    const party = await parties.findWithHost(partyId);
    if (!party) throw new NotFoundProblem('No such party');
    return party;
  }

  private async assertNoOtherUpcoming(
    parties: PartiesRepository,
    hostId: string,
    exceptPartyId?: string,
  ): Promise<void> {
    const other = await parties.findUpcomingOf(hostId, exceptPartyId);
    if (other)
      throw new ConflictProblem(
        'You already host a party whose last entry is still to come: one live party per host',
        { partyId: other.id },
      );
  }

  /** The exclusion constraint is the last word on overlapping parties of one host. */
  private async withOverlapAsConflict<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DriverException && e.code === EXCLUSION_VIOLATION)
        throw new ConflictProblem('You already host a party at that time: one live party per host');
      throw e;
    }
  }
}

function assertNotPast(firstEntry: Date): void {
  if (firstEntry.getTime() < Date.now() - FIRST_ENTRY_GRACE_MS)
    throw new UnprocessableProblem('firstEntry must not be in the past');
}

function partyViewOf(row: PartyRow): PartyView {
  return {
    ...partyFieldsOf(row),
    postalCode: row.postal_code,
    createdAt: timestamp(row.created_at),
    updatedAt: timestamp(row.updated_at),
    host: { id: row.host_id, name: row.host_name, photoHash: row.host_photo_hash },
  };
}
