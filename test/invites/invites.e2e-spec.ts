import { jest } from '@jest/globals';
import { User } from '#porch/accounts';
import { MailService } from '#porch/core';
import { Invite, InviteStatus } from '#porch/parties';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty, emailsTo, hoursFromNow } from '../utils/party-factories.js';
import { withoutRequestId } from '../utils/problems.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Asserts a response's status, showing its body when it differs. */
const status =
  (code: number) =>
  <R extends { status: number; body: unknown }>(res: R): R => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status: code });
    return res;
  };

const NO_SUCH_ID = '0192f0c4-0000-7000-8000-000000000000';

describe('invites', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const as = async (user: User) => {
    const auth = await bearer(t, user);
    return {
      get: (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', auth),
      post: (path: string, body?: object) =>
        t.http.post(`/api/v1${path}`).set('Authorization', auth).send(body),
    };
  };

  it('runs the whole flow: host → party → invite → guest confirms → host checks in', async () => {
    const host = await as(await createUser(t, { name: 'Hal Host' }));
    const guestUser = await createUser(t, { name: 'Gia Guest' });
    const guest = await as(guestUser);

    // Doors open now: the API accepts a first entry of "now" (a minute of clock skew allowed).
    const party = await host
      .post('/parties', { flat: 'Flow 3', firstEntry: new Date().toISOString(), vibe: 'rager' })
      .then(status(201));
    expect(party.body.isLive).toBe(true);

    const invite = await host
      .post('/invites', { partyId: party.body.id, guestId: guestUser.id, plusOnes: 1 })
      .then(status(201));
    expect(invite.body).toEqual({
      id: expect.any(String),
      status: 'invited',
      plusOnes: 1,
      respondedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      guest: { id: guestUser.id, name: 'Gia Guest', photoUrl: null },
      party: {
        id: party.body.id,
        flat: 'Flow 3',
        firstEntry: party.body.firstEntry,
        lastEntry: party.body.lastEntry,
        isLive: true,
        isOver: false,
        vibe: 'rager',
        vibeLabel: '50+ people',
        host: { id: party.body.host.id, name: 'Hal Host', photoUrl: null },
      },
    });

    const [mail] = await emailsTo(t, guestUser.email);
    expect(mail).toMatch(/^Subject: Hal Host invited you to a party at Flow 3$/m);
    expect(mail).toContain('Hi Gia Guest');
    expect(mail).toContain(new Date(party.body.firstEntry).toUTCString());

    const inbox = await guest.get('/invites?status=invited').then(status(200));
    expect(inbox.body.results).toEqual([invite.body]);

    const confirmed = await guest.post(`/invites/${invite.body.id}/confirm`).then(status(200));
    expect(confirmed.body).toMatchObject({ status: 'confirmed', respondedAt: expect.any(String) });
    expect((await guest.get('/invites?status=invited')).body.count).toBe(0);
    expect((await guest.get('/invites?status=confirmed')).body.results[0].id).toBe(invite.body.id);

    const checkedIn = await host.post(`/invites/${invite.body.id}/check-in`).then(status(200));
    expect(checkedIn.body.status).toBe('checked_in');

    const detail = await host.get(`/parties/${party.body.id}`).then(status(200));
    expect(detail.body.inviteCounts).toEqual({
      invited: 0,
      confirmed: 0,
      canceled: 0,
      checked_in: 1,
      no_show: 0,
    });
    const guests = await host.get(`/parties/${party.body.id}/guests`).then(status(200));
    expect(guests.body.results).toMatchObject([
      { id: invite.body.id, status: 'checked_in', plusOnes: 1, guest: { id: guestUser.id } },
    ]);
  });

  describe('POST /invites', () => {
    it('lets a non-host neither invite nor learn the party exists', async () => {
      const party = await createParty(t, { host: await createUser(t) });
      const guest = await createUser(t);
      const stranger = await as(await createUser(t));
      const hidden = await stranger
        .post('/invites', { partyId: party.id, guestId: guest.id })
        .then(status(404));
      const absent = await stranger
        .post('/invites', { partyId: NO_SUCH_ID, guestId: guest.id })
        .then(status(404));
      expect(withoutRequestId(hidden.body)).toEqual(withoutRequestId(absent.body));
      expect(await t.em().count(Invite, { party: party.id })).toBe(0);
    });

    it('answers 403 to a guest of the party (who can see it) and to staff', async () => {
      const party = await createParty(t, { host: await createUser(t) });
      const guest = await createUser(t);
      await createInvite(t, { party, guest });
      const other = await createUser(t);
      await (await as(guest))
        .post('/invites', { partyId: party.id, guestId: other.id })
        .then(status(403));
      await (await as(await createUser(t, { isStaff: true })))
        .post('/invites', { partyId: party.id, guestId: other.id })
        .then(status(403));
    });

    it('refuses a deleted party (404), a party that is over (422), and the host (422)', async () => {
      const hostUser = await createUser(t);
      const host = await as(hostUser);
      const guest = await createUser(t);
      const deleted = await createParty(t, {
        host: hostUser,
        firstEntry: hoursFromNow(30),
        deletedAt: new Date(),
      });
      await host.post('/invites', { partyId: deleted.id, guestId: guest.id }).then(status(404));

      const over = await createParty(t, { host: hostUser, firstEntry: hoursFromNow(-48) });
      const overRes = await host
        .post('/invites', { partyId: over.id, guestId: guest.id })
        .then(status(422));
      expect(overRes.body.detail).toMatch(/over/);

      const live = await createParty(t, { host: hostUser, firstEntry: hoursFromNow(-11) });
      const self = await host
        .post('/invites', { partyId: live.id, guestId: hostUser.id })
        .then(status(422));
      expect(self.body.detail).toMatch(/host/);
      // A party that started 11 h ago is still open for invites.
      await host.post('/invites', { partyId: live.id, guestId: guest.id }).then(status(201));
    });

    it('refuses a deleted, inactive or unknown guest with 404', async () => {
      const hostUser = await createUser(t);
      const host = await as(hostUser);
      const party = await createParty(t, { host: hostUser });
      const deleted = await createUser(t, { deletedAt: new Date(), isActive: false });
      const inactive = await createUser(t, { isActive: false });
      for (const guestId of [deleted.id, inactive.id, NO_SUCH_ID]) {
        const res = await host.post('/invites', { partyId: party.id, guestId }).then(status(404));
        expect(res.body.detail).toBe('No such user');
      }
      expect(await t.em().count(Invite, { party: party.id })).toBe(0);
    });

    it('answers 409 to a second invite of the same guest', async () => {
      const hostUser = await createUser(t);
      const host = await as(hostUser);
      const party = await createParty(t, { host: hostUser });
      const guest = await createUser(t);
      await host.post('/invites', { partyId: party.id, guestId: guest.id }).then(status(201));
      const again = await host
        .post('/invites', { partyId: party.id, guestId: guest.id, plusOnes: 2 })
        .then(status(409));
      expect(again.body.detail).toMatch(/already invited/);
    });

    it('survives 50 concurrent identical requests: one row, one 201, 49 × 409, no 5xx', async () => {
      const hostUser = await createUser(t);
      const party = await createParty(t, { host: hostUser });
      const guest = await createUser(t);
      const auth = await bearer(t, hostUser);
      const body = { partyId: party.id, guestId: guest.id };
      const responses = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http.post('/api/v1/invites').set('Authorization', auth).send(body),
        ),
      );
      const tally = new Map<number, number>();
      for (const r of responses) tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
      expect(Object.fromEntries(tally)).toEqual({ 201: 1, 409: 49 });
      expect(await t.em().count(Invite, { party: party.id, guest: guest.id })).toBe(1);
      expect(await emailsTo(t, guest.email)).toHaveLength(1);
    });

    it('rejects a malformed body with 400', async () => {
      const host = await as(await createUser(t));
      const guest = await createUser(t);
      const party = await createParty(t, { host: await createUser(t) });
      for (const body of [
        { partyId: 'nope', guestId: guest.id },
        { partyId: party.id },
        { partyId: party.id, guestId: guest.id, plusOnes: 6 },
        { partyId: party.id, guestId: guest.id, plusOnes: -1 },
        { partyId: party.id, guestId: guest.id, status: 'confirmed' },
      ]) {
        await host.post('/invites', body).then(status(400));
      }
    });

    it('still invites when the email cannot be sent', async () => {
      const hostUser = await createUser(t);
      const party = await createParty(t, { host: hostUser });
      const guest = await createUser(t);
      const send = jest
        .spyOn(t.app.get(MailService), 'send')
        .mockRejectedValueOnce(new Error('SMTP is down'));
      try {
        await (await as(hostUser))
          .post('/invites', { partyId: party.id, guestId: guest.id })
          .then(status(201));
        await t.app.get(MailService).whenIdle();
        expect(send).toHaveBeenCalledTimes(1);
      } finally {
        send.mockRestore();
      }
      expect(await t.em().count(Invite, { party: party.id, guest: guest.id })).toBe(1);
    });
  });

  describe('GET /invites (the Invited and Confirmed screens)', () => {
    it('lists the caller’s invites to parties whose last entry is ahead, by first entry', async () => {
      const guestUser = await createUser(t);
      const guest = await as(guestUser);
      const hostNamed = (name: string) => createUser(t, { name });
      const future = await createParty(t, {
        host: await hostNamed('Future Host'),
        firstEntry: hoursFromNow(48),
        flat: 'FUTURE',
      });
      const elevenAgo = await createParty(t, {
        host: await hostNamed('Live Host'),
        firstEntry: hoursFromNow(-11),
        flat: 'LIVE',
      });
      const thirteenAgo = await createParty(t, {
        host: await hostNamed('Late Host'),
        firstEntry: hoursFromNow(-13),
        flat: 'OVER13',
      });
      const twoDaysAgo = await createParty(t, {
        host: await hostNamed('Old Host'),
        firstEntry: hoursFromNow(-48),
        flat: 'OVER48',
      });
      const deleted = await createParty(t, {
        host: await hostNamed('Gone Host'),
        firstEntry: hoursFromNow(24),
        flat: 'DELETED',
        deletedAt: new Date(),
      });
      const inv = {
        future: await createInvite(t, { party: future, guest: guestUser }),
        live: await createInvite(t, {
          party: elevenAgo,
          guest: guestUser,
          status: InviteStatus.Confirmed,
        }),
        thirteen: await createInvite(t, { party: thirteenAgo, guest: guestUser }),
        old: await createInvite(t, {
          party: twoDaysAgo,
          guest: guestUser,
          status: InviteStatus.CheckedIn,
        }),
      };
      await createInvite(t, { party: deleted, guest: guestUser });
      // Someone else's invite to the same party.
      await createInvite(t, { party: future, guest: await createUser(t) });
      const ids = (res: { body: { results: Array<{ id: string }> } }) =>
        res.body.results.map((i) => i.id);

      const current = await guest.get('/invites').then(status(200));
      expect(current.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(ids(current)).toEqual([inv.live.id, inv.future.id]);
      expect(current.body.results[0]).toMatchObject({
        status: 'confirmed',
        party: {
          id: elevenAgo.id,
          flat: 'LIVE',
          isLive: true,
          isOver: false,
          firstEntry: elevenAgo.firstEntry.toISOString(),
          lastEntry: elevenAgo.lastEntry.toISOString(),
          vibe: 'chill',
          vibeLabel: '5–10 people',
          host: { name: 'Live Host' },
        },
      });

      const invited = await guest.get('/invites?status=invited').then(status(200));
      expect(ids(invited)).toEqual([inv.future.id]);
      const confirmed = await guest.get('/invites?status=confirmed').then(status(200));
      expect(ids(confirmed)).toEqual([inv.live.id]);

      const all = await guest.get('/invites?include=past').then(status(200));
      expect(ids(all)).toEqual([inv.old.id, inv.thirteen.id, inv.live.id, inv.future.id]);
      const pastInvited = await guest.get('/invites?include=past&status=invited');
      expect(ids(pastInvited)).toEqual([inv.thirteen.id, inv.future.id]);

      const page = await guest.get('/invites?include=past&limit=2&offset=2').then(status(200));
      expect(page.body.count).toBe(4);
      expect(ids(page)).toEqual([inv.live.id, inv.future.id]);
      expect(page.body.previous).toMatch(/limit=2/);
      expect(page.body.next).toBeNull();
    });

    it('rejects unknown filters with 400', async () => {
      const guest = await as(await createUser(t));
      await guest.get('/invites?status=maybe').then(status(400));
      await guest.get('/invites?include=future').then(status(400));
      await guest.get('/invites?party=1').then(status(400));
    });
  });

  describe('GET /invites/:id', () => {
    it('shows an invite to its guest and its host only', async () => {
      const hostUser = await createUser(t);
      const guestUser = await createUser(t);
      const party = await createParty(t, { host: hostUser });
      const invite = await createInvite(t, { party, guest: guestUser });
      for (const user of [hostUser, guestUser]) {
        const res = await (await as(user)).get(`/invites/${invite.id}`).then(status(200));
        expect(res.body).toMatchObject({ id: invite.id, party: { id: party.id } });
      }
      const stranger = await as(await createUser(t));
      const hidden = await stranger.get(`/invites/${invite.id}`).then(status(404));
      const absent = await stranger.get(`/invites/${NO_SUCH_ID}`).then(status(404));
      expect(withoutRequestId(hidden.body)).toEqual(withoutRequestId(absent.body));
      await (await as(await createUser(t, { isStaff: true })))
        .get(`/invites/${invite.id}`)
        .then(status(404));
      await stranger.get('/invites/123').then(status(400));
    });

    it('hides invites of deleted parties', async () => {
      const hostUser = await createUser(t);
      const guestUser = await createUser(t);
      const party = await createParty(t, { host: hostUser });
      const invite = await createInvite(t, { party, guest: guestUser });
      await t.http
        .delete(`/api/v1/parties/${party.id}`)
        .set('Authorization', await bearer(t, hostUser))
        .expect(204);
      const guest = await as(guestUser);
      await guest.get(`/invites/${invite.id}`).then(status(404));
      expect((await guest.get('/invites?include=past')).body.count).toBe(0);
      await guest.post(`/invites/${invite.id}/confirm`).then(status(404));
    });
  });
});
