import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  AccessService,
  ConflictProblem,
  MailService,
  NotFoundProblem,
  timestamp,
  UnprocessableProblem,
  type PageOf,
  type Principal,
} from '#porch/core';
import {
  InviteStatus,
  isOver,
  OPEN_INVITE_STATUSES,
  partyFieldsOf,
  vibeLabel,
  type Vibe,
} from '#porch/parties';
import type { CreateInviteDto } from './dto/create-invite.dto.js';
import type { InviteQueryDto } from './dto/invite-query.dto.js';
import {
  toInviteResponse,
  type InviteResponseDto,
  type InviteRow,
} from './dto/invite-response.dto.js';
import type { UpdateInviteDto } from './dto/update-invite.dto.js';
import { inviteRole } from './invite-access.js';
import { InviteEvents, type InviteEvent } from './invite-events.js';
import { illegalMove, judge, type InviteAction } from './invite-transitions.js';
import { InvitesRepository } from './invites.repository.js';

/**
 * Invites: the host invites, the guest answers, the host checks guests in. Status changes are
 * conditional UPDATEs (`… where status in (allowed)`), so two racing moves cannot both win.
 */
@Injectable()
export class InvitesService {
  constructor(
    private readonly invites: InvitesRepository,
    private readonly access: AccessService,
    private readonly mail: MailService,
    private readonly events: InviteEvents,
  ) {}

  /**
   * The host invites a user. One prepared statement reads the party (with its host) and the
   * guest; the unique (party, guest) constraint settles concurrent duplicates: one insert wins,
   * the others get 409. Any refusal about the party itself (unknown, deleted, not the caller's)
   * is answered by AccessService (`party.invite`), as everywhere else.
   */
  async create(
    principal: Principal,
    dto: CreateInviteDto,
    origin: string,
  ): Promise<InviteResponseDto> {
    const row = await this.invites.findTarget(dto.partyId, dto.guestId);
    if (!row || row.host_id !== principal.id) {
      // Not found, or not the caller's: `party.invite` answers 404 or 403, as for every party.
      await this.access.require(principal, 'party.invite', dto.partyId);
      // It changed between the two reads (created, or handed over): as for an unknown party.
      throw new NotFoundProblem('No such party');
    }
    const party = { ...partyFieldsOf(row), hostName: row.host_name };
    if (isOver(party))
      throw new UnprocessableProblem('The party is over: its last entry has passed');
    if (dto.guestId === row.host_id)
      throw new UnprocessableProblem('The host cannot be invited to their own party');
    if (!row.guest_id) throw new NotFoundProblem('No such user');
    const now = new Date();
    const id = uuidv7();
    const plusOnes = dto.plusOnes ?? 0;
    try {
      await this.invites.insertInvited({
        id,
        partyId: row.id,
        guestId: row.guest_id,
        plusOnes,
        now,
      });
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException)
        throw new ConflictProblem('This user is already invited to this party');
      throw e;
    }
    this.notifyGuest(party, { email: row.guest_email!, name: row.guest_name! });
    this.events.emit({
      kind: 'created',
      inviteId: id,
      partyId: row.id,
      guestId: row.guest_id,
      hostId: row.host_id,
      status: InviteStatus.Invited,
    });
    return toInviteResponse(
      {
        id,
        status: InviteStatus.Invited,
        plus_ones: plusOnes,
        responded_at: null,
        created_at: now,
        updated_at: now,
        guest_id: row.guest_id,
        guest_name: row.guest_name!,
        guest_photo_hash: row.guest_photo_hash,
        party_id: row.id,
        flat: row.flat,
        first_entry: party.firstEntry,
        last_entry: party.lastEntry,
        vibe: row.vibe,
        host_id: row.host_id,
        host_name: row.host_name,
        host_photo_hash: row.host_photo_hash,
      },
      origin,
    );
  }

  /**
   * The caller's invites as a guest, by first entry: one query (joins, and the total by a window
   * function) mapped straight to DTOs. Parties whose last entry has passed are left out unless
   * `include=past`.
   */
  async listMine(
    principal: Principal,
    query: InviteQueryDto,
    origin: string,
  ): Promise<PageOf<InviteResponseDto>> {
    const now = new Date();
    const { count, results: rows } = await this.invites.pageOfGuest(principal.id, query, now);
    return { count, results: rows.map((row) => toInviteResponse(row, origin, now)) };
  }

  /**
   * An invite (`invite.read`: its guest or its party's host). Who may read or move an invite is
   * the route's permission (InviteAccess, through AccessService); callers other than routes call
   * `access.require` first.
   */
  async get(inviteId: string, origin: string): Promise<InviteResponseDto> {
    return toInviteResponse(await this.found(inviteId), origin);
  }

  /** Confirm, cancel, check in, no-show, by a caller holding the move's permission. */
  async transition(
    principal: Principal,
    inviteId: string,
    action: InviteAction,
    origin: string,
  ): Promise<InviteResponseDto> {
    const row = await this.found(inviteId);
    return this.apply(row, inviteRole(principal, row) === 'guest', action, origin);
  }

  /**
   * Staff (the admin panel) cancels an invite on the host's behalf: the same rule as the host's
   * own cancel (from invited or confirmed only; 409 otherwise), the guest's answer time untouched.
   */
  async cancelOnBehalfOfHost(inviteId: string): Promise<void> {
    const row = await this.invites.findRow(inviteId);
    if (!row) throw new NotFoundProblem('No such invite (or its party or a user was deleted)');
    await this.apply(row, false, 'cancel', '');
  }

  /** `byGuest`: the guest's own answers are their response time; the host canceling is not. */
  private async apply(
    row: InviteRow,
    byGuest: boolean,
    action: InviteAction,
    origin: string,
  ): Promise<InviteResponseDto> {
    const inviteId = row.id;
    const now = new Date();
    const verdict = judge(action, row.status, partyTimes(row), now);
    if (!verdict.ok) {
      if (verdict.reason === 'status') throw conflict(verdict.detail, row.status);
      throw new UnprocessableProblem(verdict.detail);
    }
    const responded = byGuest && action !== 'check-in' && action !== 'no-show';
    const updated = await this.invites.moveIf(
      inviteId,
      verdict.rule.from,
      verdict.rule.to,
      responded ? now : null,
      now,
    );
    if (!updated) return this.lostRace(inviteId, action);
    this.events.emit(changed(updated));
    return toInviteResponse(updated, origin, now);
  }

  /** The guest (`invite.respond`) changes their plus-ones while the invite is open. */
  async update(inviteId: string, dto: UpdateInviteDto, origin: string): Promise<InviteResponseDto> {
    const row = await this.found(inviteId);
    if (!OPEN_INVITE_STATUSES.includes(row.status))
      throw conflict(illegalMove('update', row.status), row.status);
    if (isOver(partyTimes(row))) throw new UnprocessableProblem('The party is over');
    const now = new Date();
    const updated = await this.invites.setPlusOnesIf(
      inviteId,
      OPEN_INVITE_STATUSES,
      dto.plusOnes,
      now,
    );
    if (!updated) return this.lostRace(inviteId, 'update');
    this.events.emit(changed(updated));
    return toInviteResponse(updated, origin, now);
  }

  /** The invite, 404 if it is gone (deleted, or its party or a user was). */
  private async found(inviteId: string): Promise<InviteRow> {
    const row = await this.invites.findRow(inviteId);
    if (!row) throw new NotFoundProblem('No such invite');
    return row;
  }

  /** Someone else moved the invite between our read and our update: answer with what it is now. */
  private async lostRace(inviteId: string, action: string): Promise<never> {
    const current = await this.invites.findRow(inviteId);
    if (!current) throw new NotFoundProblem('No such invite');
    throw conflict(illegalMove(action, current.status), current.status);
  }

  /** "You're invited" to the guest, sent in the background: a mail failure is logged, the invite stands. */
  private notifyGuest(party: InviteParty, guest: { email: string; name: string }): void {
    const host = party.hostName;
    const when = party.firstEntry.toUTCString();
    this.mail.sendLater({
      to: guest.email,
      subject: `${host} invited you to a party at ${party.flat}`,
      text: [
        `Hi ${guest.name},`,
        '',
        `${host} invited you to a party at ${party.flat}.`,
        `First entry: ${when} (last entry 12 hours later).`,
        `Vibe: ${party.vibe} (${vibeLabel(party.vibe)}).`,
        party.description ? `\n${party.description}` : '',
        '',
        'Open Porch to confirm or cancel.',
      ].join('\n'),
    });
  }
}

const changed = (row: InviteRow): InviteEvent => ({
  kind: 'changed',
  inviteId: row.id,
  partyId: row.party_id,
  guestId: row.guest_id,
  hostId: row.host_id,
  status: row.status,
});

/** What the invitation mail says about the party. */
interface InviteParty {
  flat: string;
  firstEntry: Date;
  vibe: Vibe;
  description: string | null;
  hostName: string;
}

function partyTimes(row: InviteRow) {
  return { firstEntry: timestamp(row.first_entry), lastEntry: timestamp(row.last_entry) };
}

function conflict(detail: string, currentStatus: InviteStatus): ConflictProblem {
  return new ConflictProblem(detail, { currentStatus });
}
