import { User } from '#porch/accounts';
import { Invite, InviteStatus } from '#porch/parties';
import type { InviteAction } from '#porch/invites';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty, hoursFromNow } from '../utils/party-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Asserts a response's status, showing its body when it differs. */
const status =
  (code: number) =>
  <R extends { status: number; body: unknown }>(res: R): R => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status: code });
    return res;
  };

type Role = 'guest' | 'host';

describe('invite state machine over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** A fresh host, guest, party (live by default: started an hour ago) and invite. */
  async function scene(inviteStatus: InviteStatus, firstEntry = hoursFromNow(-1)) {
    const users: Record<Role, User> = { host: await createUser(t), guest: await createUser(t) };
    const party = await createParty(t, { host: users.host, firstEntry });
    const invite = await createInvite(t, { party, guest: users.guest, status: inviteStatus });
    const auth = { host: await bearer(t, users.host), guest: await bearer(t, users.guest) };
    const move = (role: Role, action: InviteAction) =>
      t.http.post(`/api/v1/invites/${invite.id}/${action}`).set('Authorization', auth[role]);
    const patch = (role: Role, body: object) =>
      t.http.patch(`/api/v1/invites/${invite.id}`).set('Authorization', auth[role]).send(body);
    const stored = async () => t.em().findOneOrFail(Invite, invite.id);
    return { users, party, invite, move, patch, stored };
  }

  const LEGAL: Array<[InviteAction, Role, InviteStatus, InviteStatus]> = [
    ['confirm', 'guest', 'invited', 'confirmed'],
    ['cancel', 'guest', 'invited', 'canceled'],
    ['cancel', 'guest', 'confirmed', 'canceled'],
    ['cancel', 'host', 'invited', 'canceled'],
    ['cancel', 'host', 'confirmed', 'canceled'],
    ['check-in', 'host', 'confirmed', 'checked_in'],
    ['no-show', 'host', 'confirmed', 'no_show'],
  ];

  it.each(LEGAL)('%s by the %s: %s → %s', async (action, role, from, to) => {
    const s = await scene(from);
    const res = await s.move(role, action).then(status(200));
    expect(res.body.status).toBe(to);
    expect((await s.stored()).status).toBe(to);
  });

  // Every move from every status its role may not move from: 409 naming the current status.
  const ILLEGAL: Array<[InviteAction, Role, InviteStatus]> = [];
  for (const [action, role] of [
    ['confirm', 'guest'],
    ['cancel', 'guest'],
    ['cancel', 'host'],
    ['check-in', 'host'],
    ['no-show', 'host'],
  ] as Array<[InviteAction, Role]>) {
    for (const from of Object.values(InviteStatus)) {
      if (!LEGAL.some(([a, r, f]) => a === action && r === role && f === from))
        ILLEGAL.push([action, role, from]);
    }
  }

  it('covers 18 illegal moves', () => expect(ILLEGAL).toHaveLength(18));

  it.each(ILLEGAL)('%s by the %s from %s → 409 with currentStatus', async (action, role, from) => {
    const s = await scene(from);
    const res = await s.move(role, action).then(status(409));
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({ status: 409, currentStatus: from });
    expect((await s.stored()).status).toBe(from);
  });

  it.each([
    ['confirm', 'host'],
    ['check-in', 'guest'],
    ['no-show', 'guest'],
  ] as Array<[InviteAction, Role]>)('refuses %s by the %s with 403', async (action, role) => {
    const s = await scene(action === 'confirm' ? 'invited' : 'confirmed');
    await s.move(role, action).then(status(403));
  });

  it('answers 404 to anyone but the guest and the host', async () => {
    const s = await scene('invited');
    const stranger = await bearer(t, await createUser(t));
    for (const action of ['confirm', 'cancel', 'check-in', 'no-show']) {
      await t.http
        .post(`/api/v1/invites/${s.invite.id}/${action}`)
        .set('Authorization', stranger)
        .expect(404);
    }
  });

  describe('time rules (422)', () => {
    it('checks in only between first and last entry', async () => {
      const early = await scene('confirmed', hoursFromNow(2));
      const tooEarly = await early.move('host', 'check-in').then(status(422));
      expect(tooEarly.body.detail).toMatch(/opens at the first entry/);
      const late = await scene('confirmed', hoursFromNow(-13));
      const tooLate = await late.move('host', 'check-in').then(status(422));
      expect(tooLate.body.detail).toMatch(/closed at the last entry/);
      const eleven = await scene('confirmed', hoursFromNow(-11));
      await eleven.move('host', 'check-in').then(status(200));
      expect((await late.stored()).status).toBe('confirmed');
    });

    it('marks a no-show only after the first entry, also once the party is over', async () => {
      await (await scene('confirmed', hoursFromNow(2))).move('host', 'no-show').then(status(422));
      await (await scene('confirmed', hoursFromNow(-48))).move('host', 'no-show').then(status(200));
    });

    it('lets a guest confirm only until the party is over', async () => {
      await (await scene('invited', hoursFromNow(-13))).move('guest', 'confirm').then(status(422));
      await (await scene('invited', hoursFromNow(20))).move('guest', 'confirm').then(status(200));
    });
  });

  it('records when the guest answered, not when the host canceled', async () => {
    const confirmed = await scene('invited');
    await confirmed.move('guest', 'confirm').then(status(200));
    expect((await confirmed.stored()).respondedAt).toBeInstanceOf(Date);

    const byHost = await scene('invited');
    const res = await byHost.move('host', 'cancel').then(status(200));
    expect(res.body.respondedAt).toBeNull();

    const byGuest = await scene('confirmed');
    const mine = await byGuest.move('guest', 'cancel').then(status(200));
    expect(mine.body.respondedAt).toEqual(expect.any(String));
  });

  it('lets exactly one of 10 concurrent confirms win; the rest get 409 confirmed', async () => {
    const s = await scene('invited');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => s.move('guest', 'confirm')),
    );
    const ok = responses.filter((r) => r.status === 200);
    const conflicts = responses.filter((r) => r.status === 409);
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(9);
    for (const r of conflicts) expect(r.body.currentStatus).toBe('confirmed');
  });

  describe('PATCH /invites/:id (plus-ones)', () => {
    it('lets the guest change plus-ones while the invite is open', async () => {
      const s = await scene('confirmed', hoursFromNow(3));
      const res = await s.patch('guest', { plusOnes: 3 }).then(status(200));
      expect(res.body).toMatchObject({ plusOnes: 3, status: 'confirmed' });
      expect((await s.stored()).plusOnes).toBe(3);
    });

    it('is for the guest only, 0–5, open invites of parties not over', async () => {
      const s = await scene('invited', hoursFromNow(3));
      await s.patch('host', { plusOnes: 1 }).then(status(403));
      await s.patch('guest', { plusOnes: 6 }).then(status(400));
      await s.patch('guest', { plusOnes: -1 }).then(status(400));
      await s.patch('guest', {}).then(status(400));
      const canceled = await scene('canceled', hoursFromNow(3));
      const res = await canceled.patch('guest', { plusOnes: 1 }).then(status(409));
      expect(res.body.currentStatus).toBe('canceled');
      await (await scene('invited', hoursFromNow(-13)))
        .patch('guest', { plusOnes: 1 })
        .then(status(422));
    });
  });
});
