import type { Permission } from '#porch/core';
import { InviteStatus, isLive, isOver } from '#porch/parties';

export type InviteAction = 'confirm' | 'cancel' | 'check-in' | 'no-show';

interface PartyTimes {
  firstEntry: Date;
  lastEntry: Date;
}

export interface InviteRule {
  from: readonly InviteStatus[];
  to: InviteStatus;
  /** Who may make the move: its route declares this permission (InviteAccess decides it). */
  permission: Permission;
  /** A time rule: the reason it is refused now, or null. */
  refusedAt?: (party: PartyTimes, now: Date) => string | null;
}

/** The invite state machine (SPEC §5). Anything not listed is an illegal move. */
export const INVITE_TRANSITIONS: Record<InviteAction, InviteRule> = {
  confirm: {
    from: [InviteStatus.Invited],
    to: InviteStatus.Confirmed,
    permission: 'invite.respond',
    refusedAt: (party, now) => (isOver(party, now) ? 'The party is over' : null),
  },
  cancel: {
    from: [InviteStatus.Invited, InviteStatus.Confirmed],
    to: InviteStatus.Canceled,
    permission: 'invite.cancel',
  },
  'check-in': {
    from: [InviteStatus.Confirmed],
    to: InviteStatus.CheckedIn,
    permission: 'invite.checkIn',
    refusedAt: (party, now) =>
      isLive(party, now)
        ? null
        : now < party.firstEntry
          ? 'Check-in opens at the first entry'
          : 'Check-in closed at the last entry',
  },
  'no-show': {
    from: [InviteStatus.Confirmed],
    to: InviteStatus.NoShow,
    permission: 'invite.checkIn',
    refusedAt: (party, now) =>
      now < party.firstEntry ? 'A guest is a no-show only once the party has started' : null,
  },
};

export type Verdict =
  | { ok: true; rule: InviteRule }
  /** 409: not from the current status. */
  | { ok: false; reason: 'status'; detail: string }
  /** 422: the right move at the wrong time. */
  | { ok: false; reason: 'time'; detail: string };

/**
 * Judges a move by a caller who holds its permission (checked before, by AccessService): from
 * which status, then when.
 */
export function judge(
  action: InviteAction,
  status: InviteStatus,
  party: PartyTimes,
  now = new Date(),
): Verdict {
  const rule = INVITE_TRANSITIONS[action];
  if (!rule.from.includes(status))
    return { ok: false, reason: 'status', detail: illegalMove(action, status) };
  const refused = rule.refusedAt?.(party, now);
  if (refused) return { ok: false, reason: 'time', detail: refused };
  return { ok: true, rule };
}

export function illegalMove(action: string, status: InviteStatus): string {
  return `Cannot ${action} an invite that is ${status.replace('_', ' ')}`;
}
