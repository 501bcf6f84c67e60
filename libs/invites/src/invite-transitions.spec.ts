import { InviteStatus } from '#porch/parties';
import { judge, type InviteAction } from './invite-transitions.js';

const HOUR = 3600_000;
const now = new Date('2026-11-22T20:00:00Z');
const at = (hours: number) => new Date(now.getTime() + hours * HOUR);
const upcoming = { firstEntry: at(2), lastEntry: at(14) };
const live = { firstEntry: at(-11), lastEntry: at(1) };
const over = { firstEntry: at(-13), lastEntry: at(-1) };
const ACTIONS: InviteAction[] = ['confirm', 'cancel', 'check-in', 'no-show'];

const LEGAL: Array<[InviteAction, 'guest' | 'host', InviteStatus, InviteStatus]> = [
  ['confirm', 'guest', 'invited', 'confirmed'],
  ['cancel', 'guest', 'invited', 'canceled'],
  ['cancel', 'guest', 'confirmed', 'canceled'],
  ['cancel', 'host', 'invited', 'canceled'],
  ['cancel', 'host', 'confirmed', 'canceled'],
  ['check-in', 'host', 'confirmed', 'checked_in'],
  ['no-show', 'host', 'confirmed', 'no_show'],
];

describe('invite state machine', () => {
  it.each(LEGAL)('%s by the %s from %s → %s', (action, role, from, to) => {
    expect(judge(action, role, from, live, now)).toMatchObject({ ok: true, rule: { to } });
  });

  it('refuses every other status of an allowed role as a status conflict (409)', () => {
    for (const action of ACTIONS) {
      for (const role of ['guest', 'host'] as const) {
        for (const status of Object.values(InviteStatus)) {
          const verdict = judge(action, role, status, live, now);
          const legal = LEGAL.some(([a, r, f]) => a === action && r === role && f === status);
          const roleAllowed = LEGAL.some(([a, r]) => a === action && r === role);
          if (legal) expect(verdict.ok).toBe(true);
          else if (roleAllowed) expect(verdict).toMatchObject({ ok: false, reason: 'status' });
          else expect(verdict).toMatchObject({ ok: false, reason: 'role' });
        }
      }
    }
  });

  it('names the current status in a conflict', () => {
    expect(judge('confirm', 'guest', 'checked_in', live, now)).toMatchObject({
      detail: 'Cannot confirm an invite that is checked in',
    });
  });

  it('checks in only between first and last entry', () => {
    expect(judge('check-in', 'host', 'confirmed', upcoming, now)).toMatchObject({ reason: 'time' });
    expect(judge('check-in', 'host', 'confirmed', over, now)).toMatchObject({ reason: 'time' });
    const opening = { firstEntry: now, lastEntry: at(12) };
    expect(judge('check-in', 'host', 'confirmed', opening, now).ok).toBe(true);
  });

  it('marks no-shows only after the first entry, also once the party is over', () => {
    expect(judge('no-show', 'host', 'confirmed', upcoming, now)).toMatchObject({ reason: 'time' });
    expect(judge('no-show', 'host', 'confirmed', over, now).ok).toBe(true);
  });

  it('confirms only until the party is over', () => {
    expect(judge('confirm', 'guest', 'invited', upcoming, now).ok).toBe(true);
    expect(judge('confirm', 'guest', 'invited', over, now)).toMatchObject({ reason: 'time' });
  });

  it('answers an illegal status before a wrong time', () => {
    expect(judge('check-in', 'host', 'invited', upcoming, now)).toMatchObject({ reason: 'status' });
  });
});
