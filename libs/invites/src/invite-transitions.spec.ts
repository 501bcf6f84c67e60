import { InviteStatus } from '#porch/parties';
import { inviteDecision } from './invite-access.js';
import { INVITE_TRANSITIONS, judge, type InviteAction } from './invite-transitions.js';

const HOUR = 3600_000;
const now = new Date('2026-11-22T20:00:00Z');
const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
const upcoming = { firstEntry: at(2), lastEntry: at(14) };
const live = { firstEntry: at(-11), lastEntry: at(1) };
const over = { firstEntry: at(-13), lastEntry: at(-1) };
const ACTIONS: InviteAction[] = ['confirm', 'cancel', 'check-in', 'no-show'];

const LEGAL: Array<[InviteAction, InviteStatus, InviteStatus]> = [
  ['confirm', 'invited', 'confirmed'],
  ['cancel', 'invited', 'canceled'],
  ['cancel', 'confirmed', 'canceled'],
  ['check-in', 'confirmed', 'checked_in'],
  ['no-show', 'confirmed', 'no_show'],
];

/** Who may make each move (SPEC §5): the role the move's permission admits. */
const MAKERS: Array<[InviteAction, 'guest' | 'host', boolean]> = [
  ['confirm', 'guest', true],
  ['confirm', 'host', false],
  ['cancel', 'guest', true],
  ['cancel', 'host', true],
  ['check-in', 'guest', false],
  ['check-in', 'host', true],
  ['no-show', 'guest', false],
  ['no-show', 'host', true],
];

describe('invite state machine', () => {
  it.each(LEGAL)('%s from %s → %s', (action, from, to) => {
    expect(judge(action, from, live, now)).toMatchObject({ ok: true, rule: { to } });
  });

  it('refuses every other status as a status conflict (409)', () => {
    for (const action of ACTIONS) {
      for (const status of Object.values(InviteStatus)) {
        const verdict = judge(action, status, live, now);
        const legal = LEGAL.some(([a, f]) => a === action && f === status);
        if (legal) expect(verdict.ok).toBe(true);
        else expect(verdict).toMatchObject({ ok: false, reason: 'status' });
      }
    }
  });

  it.each(MAKERS)('%s by the %s: allowed %s (the move’s permission)', (action, role, ok) => {
    const permission = INVITE_TRANSITIONS[action].permission;
    expect(permission).toMatch(/^invite\./);
    const decision = inviteDecision(role, permission as Parameters<typeof inviteDecision>[1]);
    expect(decision).toEqual(ok ? { allowed: true } : expect.objectContaining({ status: 403 }));
  });

  it('hides an invite from anyone who is neither its guest nor its host (404)', () => {
    for (const permission of [
      'invite.read',
      'invite.respond',
      'invite.cancel',
      'invite.checkIn',
    ] as const)
      expect(inviteDecision(null, permission)).toMatchObject({ allowed: false, status: 404 });
    expect(inviteDecision('guest', 'invite.read')).toEqual({ allowed: true });
    expect(inviteDecision('host', 'invite.read')).toEqual({ allowed: true });
    expect(inviteDecision('host', 'invite.respond')).toMatchObject({ status: 403 });
  });

  it('names the current status in a conflict', () => {
    expect(judge('confirm', 'checked_in', live, now)).toMatchObject({
      detail: 'Cannot confirm an invite that is checked in',
    });
  });

  it('checks in only between first and last entry', () => {
    expect(judge('check-in', 'confirmed', upcoming, now)).toMatchObject({ reason: 'time' });
    expect(judge('check-in', 'confirmed', over, now)).toMatchObject({ reason: 'time' });
    const opening = { firstEntry: now, lastEntry: at(12) };
    expect(judge('check-in', 'confirmed', opening, now).ok).toBe(true);
  });

  it('marks no-shows only after the first entry, also once the party is over', () => {
    expect(judge('no-show', 'confirmed', upcoming, now)).toMatchObject({ reason: 'time' });
    expect(judge('no-show', 'confirmed', over, now).ok).toBe(true);
  });

  it('confirms only until the party is over', () => {
    expect(judge('confirm', 'invited', upcoming, now).ok).toBe(true);
    expect(judge('confirm', 'invited', over, now)).toMatchObject({ reason: 'time' });
  });

  it('answers an illegal status before a wrong time', () => {
    expect(judge('check-in', 'invited', upcoming, now)).toMatchObject({ reason: 'status' });
  });
});
