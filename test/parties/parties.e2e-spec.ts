import { DriverException } from '@mikro-orm/core';
import { User } from '#porch/accounts';
import { Invite, InviteStatus, Party, PartiesHostingStatus } from '#porch/parties';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty, hoursFromNow } from '../utils/party-factories.js';
import { withoutRequestId } from '../utils/problems.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const HOUR = 3600_000;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Asserts a response's status, showing its body when it differs. */
const status =
  (code: number) =>
  <R extends { status: number; body: unknown }>(res: R): R => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status: code });
    return res;
  };

describe('parties', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = async (user: User, body: object) =>
    t.http
      .post('/api/v1/parties')
      .set('Authorization', await bearer(t, user))
      .send(body);
  const get = async (user: User, path: string) =>
    t.http.get(`/api/v1${path}`).set('Authorization', await bearer(t, user));

  describe('POST /parties', () => {
    it('makes the caller host, derives the last entry and labels the vibe', async () => {
      const host = await createUser(t, { name: 'Hosting Hannah' });
      const firstEntry = hoursFromNow(48);
      const res = await post(host, {
        flat: '  Flat 12  ',
        firstEntry: firstEntry.toISOString(),
        vibe: 'party',
        description: 'Bring snacks',
        postalCode: 'k1a0b1',
      }).then(status(201));
      expect(res.body).toEqual({
        id: expect.any(String),
        flat: 'Flat 12',
        firstEntry: firstEntry.toISOString(),
        lastEntry: new Date(firstEntry.getTime() + 12 * HOUR).toISOString(),
        isLive: false,
        isOver: false,
        vibe: 'party',
        vibeLabel: '20–30 people',
        description: 'Bring snacks',
        postalCode: 'K1A 0B1',
        host: { id: host.id, name: 'Hosting Hannah', photoUrl: null },
        inviteCounts: { invited: 0, confirmed: 0, canceled: 0, checked_in: 0, no_show: 0 },
        healthRegions: [expect.objectContaining({ hrUid: 3551, shortNameEn: 'Ottawa', share: 1 })],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const stored = await t.em().findOneOrFail(Party, res.body.id);
      expect(stored.host.id).toBe(host.id);
      expect(stored.lastEntry.getTime() - stored.firstEntry.getTime()).toBe(12 * HOUR);
    });

    it('defaults to a chill vibe and stores an FSA alone', async () => {
      const host = await createUser(t);
      const res = await post(host, {
        flat: '7',
        firstEntry: hoursFromNow(3).toISOString(),
        postalCode: 'h2x',
      }).then(status(201));
      expect(res.body).toMatchObject({
        vibe: 'chill',
        vibeLabel: '5–10 people',
        postalCode: 'H2X',
        description: null,
      });
    });

    it.each([
      [{ flat: '', firstEntry: 'in a day' }, ['flat', 'firstEntry']],
      [{ flat: '   ' }, ['flat', 'firstEntry']],
      [{ flat: 'x'.repeat(51), firstEntry: '2099-01-01T20:00:00Z' }, ['flat']],
      [{ flat: 'A', firstEntry: '2099-01-01T20:00:00' }, ['firstEntry']],
      [{ flat: 'A', firstEntry: '2099-01-01T20:00:00Z', vibe: 'wild' }, ['vibe']],
      [{ flat: 'A', firstEntry: '2099-01-01T20:00:00Z', postalCode: 'D1A 0B1' }, ['postalCode']],
      [{ flat: 'A', firstEntry: '2099-01-01T20:00:00Z', postalCode: '12345' }, ['postalCode']],
      [{ flat: 'A', firstEntry: '2099-01-01T20:00:00Z', host: 'someone' }, ['host']],
    ])('rejects a malformed body %j with 400', async (body, fields) => {
      const res = await post(await createUser(t), body).then(status(400));
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(
        [...fields].sort(),
      );
    });

    it('refuses a first entry in the past with 422', async () => {
      const res = await post(await createUser(t), {
        flat: 'Late',
        firstEntry: hoursFromNow(-1).toISOString(),
      }).then(status(422));
      expect(res.body.detail).toMatch(/past/);
    });

    it('allows one party whose last entry is ahead per host (409 for a second)', async () => {
      const host = await createUser(t);
      await post(host, { flat: 'One', firstEntry: hoursFromNow(24).toISOString() }).then(
        status(201),
      );
      // Even one that would not overlap in time.
      const res = await post(host, {
        flat: 'Two',
        firstEntry: hoursFromNow(24 * 30).toISOString(),
      }).then(status(409));
      expect(res.body.detail).toMatch(/one live party per host/);
    });

    it('counts a live party (started 11 h ago) as the host’s one party, but not a past one', async () => {
      const live = await createUser(t);
      await createParty(t, { host: live, firstEntry: hoursFromNow(-11) });
      await post(live, { flat: 'Next', firstEntry: hoursFromNow(2).toISOString() }).then(
        status(409),
      );

      const past = await createUser(t);
      await createParty(t, { host: past, firstEntry: hoursFromNow(-13) });
      await createParty(t, { host: past, firstEntry: hoursFromNow(-48) });
      await post(past, { flat: 'Next', firstEntry: hoursFromNow(2).toISOString() }).then(
        status(201),
      );
    });

    it('lets a host whose party was deleted host again', async () => {
      const host = await createUser(t);
      await createParty(t, { host, firstEntry: hoursFromNow(5), deletedAt: new Date() });
      await post(host, { flat: 'Again', firstEntry: hoursFromNow(5).toISOString() }).then(
        status(201),
      );
    });

    it('holds under concurrency: 10 identical creates → one 201, nine 409', async () => {
      const host = await createUser(t);
      const auth = await bearer(t, host);
      const body = { flat: 'Race', firstEntry: hoursFromNow(6).toISOString() };
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          t.http.post('/api/v1/parties').set('Authorization', auth).send(body),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array(9).fill(409)]);
      expect(await t.em().count(Party, { host: host.id })).toBe(1);
    });

    it('is backed by the database: overlapping parties of one host and a wrong last entry fail', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host, firstEntry: hoursFromNow(10) });
      const overlap = createParty(t, { host, firstEntry: hoursFromNow(15) });
      await expect(overlap).rejects.toMatchObject({ code: '23P01' });
      await expect(overlap).rejects.toBeInstanceOf(DriverException);
      // Deleted parties do not block.
      await t.em().nativeUpdate(Party, { id: party.id }, { deletedAt: new Date() });
      await createParty(t, { host, firstEntry: hoursFromNow(15) });

      const conn = t.em().getConnection();
      await expect(
        conn.execute(
          `update parties set last_entry = first_entry + interval '13 hours' where host_id = ?`,
          [host.id],
        ),
      ).rejects.toThrow(/parties_last_entry_12h/);
    });
  });

  describe('GET /parties/:id', () => {
    it('shows the party to its host, its invited guests (any status) and staff; 404 to others', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      const guest = await createUser(t);
      const canceled = await createUser(t);
      await createInvite(t, { party, guest });
      await createInvite(t, { party, guest: canceled, status: InviteStatus.Canceled });
      const staff = await createUser(t, { isStaff: true });
      const stranger = await createUser(t);

      for (const user of [host, guest, canceled, staff]) {
        const res = await get(user, `/parties/${party.id}`).then(status(200));
        expect(res.body.id).toBe(party.id);
      }
      const hidden = await get(stranger, `/parties/${party.id}`).then(status(404));
      const absent = await get(stranger, `/parties/0192f0c4-0000-7000-8000-000000000000`).then(
        status(404),
      );
      expect(withoutRequestId(hidden.body)).toEqual(withoutRequestId(absent.body));
      await get(stranger, '/parties/not-a-uuid').then(status(400));
    });

    it('counts invites per status, in one response, without deleted guests', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      const statuses = [
        InviteStatus.Invited,
        InviteStatus.Invited,
        InviteStatus.Confirmed,
        InviteStatus.Canceled,
        InviteStatus.CheckedIn,
        InviteStatus.NoShow,
      ];
      for (const status of statuses) {
        await createInvite(t, { party, guest: await createUser(t), status });
      }
      const gone = await createUser(t, { deletedAt: new Date(), isActive: false });
      await createInvite(t, { party, guest: gone, status: InviteStatus.Confirmed });
      const res = await get(host, `/parties/${party.id}`).then(status(200));
      expect(res.body.inviteCounts).toEqual({
        invited: 2,
        confirmed: 1,
        canceled: 1,
        checked_in: 1,
        no_show: 1,
      });
    });

    it('reports live and over from real time', async () => {
      const host = await createUser(t);
      const live = await createParty(t, { host, firstEntry: hoursFromNow(-11) });
      const over = await createParty(t, { host, firstEntry: hoursFromNow(-13 - 12) });
      expect((await get(host, `/parties/${live.id}`)).body).toMatchObject({
        isLive: true,
        isOver: false,
      });
      expect((await get(host, `/parties/${over.id}`)).body).toMatchObject({
        isLive: false,
        isOver: true,
      });
    });

    it('hides deleted parties, also from their host', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host, deletedAt: new Date() });
      await get(host, `/parties/${party.id}`).then(status(404));
    });
  });

  describe('PATCH /parties/:id', () => {
    const patch = async (user: User, id: string, body: object) =>
      t.http
        .patch(`/api/v1/parties/${id}`)
        .set('Authorization', await bearer(t, user))
        .send(body);

    it('lets the host change the party; a new first entry moves the last entry', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host, postalCode: 'K1A 0B1', description: 'x' });
      const firstEntry = hoursFromNow(30);
      const res = await patch(host, party.id, {
        flat: 'Penthouse',
        vibe: 'rager',
        firstEntry: firstEntry.toISOString(),
        description: null,
        postalCode: 'm5v 3l9',
      }).then(status(200));
      expect(res.body).toMatchObject({
        flat: 'Penthouse',
        vibe: 'rager',
        vibeLabel: '50+ people',
        firstEntry: firstEntry.toISOString(),
        lastEntry: new Date(firstEntry.getTime() + 12 * HOUR).toISOString(),
        description: null,
        postalCode: 'M5V 3L9',
      });
      await patch(host, party.id, { postalCode: null }).then(status(200));
      const stored = await t.em().findOneOrFail(Party, party.id);
      expect(stored.postalCode).toBeNull();
      expect(stored.flat).toBe('Penthouse');
    });

    it('refuses null for required fields (400) and a past first entry (422)', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      await patch(host, party.id, { flat: null }).then(status(400));
      await patch(host, party.id, { firstEntry: null }).then(status(400));
      await patch(host, party.id, { vibe: null }).then(status(400));
      await patch(host, party.id, { firstEntry: hoursFromNow(-2).toISOString() }).then(status(422));
    });

    it('refuses to change a party that is over (422)', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host, firstEntry: hoursFromNow(-48) });
      await patch(host, party.id, { flat: 'Rewrite history' }).then(status(422));
    });

    it('keeps the one-upcoming-party rule when moving a party', async () => {
      const host = await createUser(t);
      const live = await createParty(t, { host, firstEntry: hoursFromNow(-1) });
      await createParty(t, { host, firstEntry: hoursFromNow(-48) });
      // Moving the live party later is fine (it is the host's only party ahead).
      await patch(host, live.id, { firstEntry: hoursFromNow(1).toISOString() }).then(status(200));
    });

    it('is for the host only: 403 for a guest who can see the party, 404 for strangers', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      const guest = await createUser(t);
      await createInvite(t, { party, guest });
      const staff = await createUser(t, { isStaff: true });
      await patch(guest, party.id, { flat: 'Mine' }).then(status(403));
      await patch(staff, party.id, { flat: 'Mine' }).then(status(403));
      await patch(await createUser(t), party.id, { flat: 'Mine' }).then(status(404));
    });
  });

  describe('DELETE /parties/:id', () => {
    it('soft-deletes the party and cancels its open invites in one go', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host, firstEntry: hoursFromNow(-1) });
      const invited = await createInvite(t, { party, guest: await createUser(t) });
      const confirmed = await createInvite(t, {
        party,
        guest: await createUser(t),
        status: InviteStatus.Confirmed,
      });
      const checkedIn = await createInvite(t, {
        party,
        guest: await createUser(t),
        status: InviteStatus.CheckedIn,
      });
      const stranger = await createUser(t);
      await t.http
        .delete(`/api/v1/parties/${party.id}`)
        .set('Authorization', await bearer(t, stranger))
        .expect(404);
      await t.http
        .delete(`/api/v1/parties/${party.id}`)
        .set('Authorization', await bearer(t, host))
        .expect(204);

      await get(host, `/parties/${party.id}`).then(status(404));
      const em = t.em();
      const stored = await em.findOneOrFail(Party, party.id, { filters: false });
      expect(stored.deletedAt).toBeInstanceOf(Date);
      const statuses = await em.find(Invite, { party: party.id }, { filters: false });
      const byId = new Map(statuses.map((i) => [i.id, i.status]));
      expect(byId.get(invited.id)).toBe(InviteStatus.Canceled);
      expect(byId.get(confirmed.id)).toBe(InviteStatus.Canceled);
      expect(byId.get(checkedIn.id)).toBe(InviteStatus.CheckedIn);
    });
  });

  describe('GET /users/:userId/parties', () => {
    it('lists the parties a user hosts: upcoming (default, live included), past, all', async () => {
      const host = await createUser(t);
      const twoDaysAgo = await createParty(t, { host, firstEntry: hoursFromNow(-48), flat: 'P2' });
      const thirteenHoursAgo = await createParty(t, {
        host,
        firstEntry: hoursFromNow(-13),
        flat: 'P1',
      });
      // Started half an hour ago: live, so upcoming (its last entry is ahead).
      const live = await createParty(t, { host, firstEntry: hoursFromNow(-0.5), flat: 'LIVE' });
      await createParty(t, {
        host,
        firstEntry: hoursFromNow(100),
        flat: 'DEL',
        deletedAt: new Date(),
      });
      const ids = (body: { results: Array<{ id: string }> }) => body.results.map((p) => p.id);

      const upcoming = await get(host, '/users/me/parties').then(status(200));
      expect(upcoming.body).toMatchObject({ count: 1, next: null, previous: null });
      expect(ids(upcoming.body)).toEqual([live.id]);
      expect(upcoming.body.results[0]).toMatchObject({
        isLive: true,
        isOver: false,
        firstEntry: live.firstEntry.toISOString(),
        lastEntry: live.lastEntry.toISOString(),
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
      });

      const past = await get(host, '/users/me/parties?when=past').then(status(200));
      expect(ids(past.body)).toEqual([twoDaysAgo.id, thirteenHoursAgo.id]);

      const all = await get(host, `/users/${host.id}/parties?when=all&ordering=-firstEntry`).then(
        status(200),
      );
      expect(ids(all.body)).toEqual([live.id, thirteenHoursAgo.id, twoDaysAgo.id]);

      const page = await get(host, '/users/me/parties?when=all&limit=1&offset=1').then(status(200));
      expect(page.body.count).toBe(3);
      expect(ids(page.body)).toEqual([thirteenHoursAgo.id]);
      expect(page.body.next).toContain('offset=2');
      // A party that started 11 h ago is still upcoming; one that started 13 h ago is past.
      const other = await createUser(t);
      const eleven = await createParty(t, { host: other, firstEntry: hoursFromNow(-11) });
      expect(ids((await get(other, '/users/me/parties')).body)).toEqual([eleven.id]);
      expect((await get(other, '/users/me/parties?when=past')).body.count).toBe(0);

      const beyond = await get(host, '/users/me/parties?when=all&offset=10').then(status(200));
      expect(beyond.body).toMatchObject({ count: 3, results: [] });
    });

    it("shows another user's parties to staff only (403 for others)", async () => {
      const host = await createUser(t);
      await createParty(t, { host });
      await get(await createUser(t), `/users/${host.id}/parties`).then(status(403));
      const staff = await createUser(t, { isStaff: true });
      const res = await get(staff, `/users/${host.id}/parties`).then(status(200));
      expect(res.body.count).toBe(1);
      await get(staff, '/users/0192f0c4-0000-7000-8000-000000000000/parties').then(status(404));
    });

    it('rejects a malformed user id or an unknown query parameter', async () => {
      const user = await createUser(t);
      await get(user, '/users/someone/parties').then(status(400));
      await get(user, '/users/me/parties?when=soon').then(status(400));
      await get(user, '/users/me/parties?colour=red').then(status(400));
    });
  });

  describe('GET /parties/:id/guests', () => {
    it('lists invites with guest profiles to the host; deleted guests disappear', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      const ann = await createUser(t, { name: 'Ann', department: 'law' as User['department'] });
      const bob = await createUser(t, { name: 'Bob' });
      const gone = await createUser(t, { name: 'Gone' });
      await createInvite(t, { party, guest: ann, status: InviteStatus.Confirmed, plusOnes: 2 });
      await createInvite(t, { party, guest: bob });
      await createInvite(t, { party, guest: gone });

      const before = await get(host, `/parties/${party.id}/guests`).then(status(200));
      expect(before.body.count).toBe(3);

      await t.em().nativeUpdate(User, { id: gone.id }, { deletedAt: new Date(), isActive: false });
      const res = await get(host, `/parties/${party.id}/guests`).then(status(200));
      expect(res.body.count).toBe(2);
      expect(res.body.results).toEqual([
        {
          id: expect.any(String),
          status: 'confirmed',
          plusOnes: 2,
          respondedAt: null,
          createdAt: expect.stringMatching(ISO),
          guest: {
            id: ann.id,
            name: 'Ann',
            department: 'law',
            gender: 'unspecified',
            role: 'guest',
            photoUrl: null,
          },
        },
        expect.objectContaining({
          status: 'invited',
          guest: expect.objectContaining({ id: bob.id }),
        }),
      ]);
      expect(JSON.stringify(res.body)).not.toContain(gone.id);

      const confirmed = await get(host, `/parties/${party.id}/guests?status=confirmed`);
      expect(confirmed.body.results.map((g: { guest: { id: string } }) => g.guest.id)).toEqual([
        ann.id,
      ]);
      // The deleted guest's party disappears from their counts too.
      const detail = await get(host, `/parties/${party.id}`);
      expect(detail.body.inviteCounts).toMatchObject({ invited: 1, confirmed: 1 });
    });

    it('is for the host only', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      const guest = await createUser(t);
      await createInvite(t, { party, guest });
      await get(guest, `/parties/${party.id}/guests`).then(status(403));
      await get(await createUser(t), `/parties/${party.id}/guests`).then(status(404));
    });
  });

  describe('GET /parties/:id/invitable', () => {
    it('lists active users not yet invited, without the host; searchable and paginated', async () => {
      const tag = `zq${Date.now().toString(36)}`;
      const host = await createUser(t, { name: `${tag} Host` });
      const party = await createParty(t, { host });
      const named = (n: string) => createUser(t, { name: `${tag} ${n}` });
      const alice = await named('Alice');
      const carol = await named('Carol');
      const invited = await named('Invited');
      const canceled = await named('Canceled');
      await named('Inactive').then((u) =>
        t.em().nativeUpdate(User, { id: u.id }, { isActive: false }),
      );
      await named('Deleted').then((u) =>
        t.em().nativeUpdate(User, { id: u.id }, { isActive: false, deletedAt: new Date() }),
      );
      // Matched by email only for staff: a host is not told which addresses have accounts.
      const byEmail = await createUser(t, { name: 'Dora', email: `${tag}.dora@example.test` });
      await createInvite(t, { party, guest: invited });
      await createInvite(t, { party, guest: canceled, status: InviteStatus.Canceled });

      const res = await get(
        host,
        `/parties/${party.id}/invitable?search=${tag.toUpperCase()}`,
      ).then(status(200));
      expect(res.body.count).toBe(2);
      expect(res.body.results.map((u: { id: string }) => u.id)).toEqual([alice.id, carol.id]);
      const staffHost = await createUser(t, { isStaff: true });
      const staffParty = await createParty(t, { host: staffHost });
      const asStaff = await get(
        staffHost,
        `/parties/${staffParty.id}/invitable?search=${tag}.dora`,
      );
      expect(asStaff.body.results.map((u: { id: string }) => u.id)).toEqual([byEmail.id]);
      expect(res.body.results[0]).toEqual({
        id: alice.id,
        name: `${tag} Alice`,
        department: null,
        gender: 'unspecified',
        role: 'guest',
        photoUrl: null,
      });
      expect(res.body.results[0]).not.toHaveProperty('email');

      const page = await get(host, `/parties/${party.id}/invitable?search=${tag}&limit=1`);
      expect(page.body).toMatchObject({ count: 2 });
      expect(page.body.results).toHaveLength(1);
      expect(page.body.next).toContain('offset=1');
    });

    it('takes % and _ in a search literally', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      const odd = await createUser(t, { name: 'Percy 100%_sure' });
      const res = await get(
        host,
        `/parties/${party.id}/invitable?search=${encodeURIComponent('0%_s')}`,
      );
      expect(res.body.results.map((u: { id: string }) => u.id)).toEqual([odd.id]);
      const none = await get(
        host,
        `/parties/${party.id}/invitable?search=${encodeURIComponent('%')}`,
      );
      expect(none.body.results.every((u: { name: string }) => u.name.includes('%'))).toBe(true);
    });

    it('is for the host only', async () => {
      const host = await createUser(t);
      const party = await createParty(t, { host });
      const guest = await createUser(t);
      await createInvite(t, { party, guest });
      await get(guest, `/parties/${party.id}/invitable`).then(status(403));
      await get(await createUser(t), `/parties/${party.id}/invitable`).then(status(404));
    });
  });

  describe('PartiesHostingStatus', () => {
    it('names the users hosting a party whose last entry is ahead', async () => {
      const upcoming = await createUser(t);
      const live = await createUser(t);
      const past = await createUser(t);
      const deleted = await createUser(t);
      const none = await createUser(t);
      await createParty(t, { host: upcoming, firstEntry: hoursFromNow(30) });
      await createParty(t, { host: live, firstEntry: hoursFromNow(-11) });
      await createParty(t, { host: past, firstEntry: hoursFromNow(-13) });
      await createParty(t, { host: deleted, firstEntry: hoursFromNow(3), deletedAt: new Date() });
      const hosting = await t.app
        .get(PartiesHostingStatus)
        .hostingUserIds([upcoming, live, past, deleted, none].map((u) => u.id));
      expect([...hosting].sort()).toEqual([upcoming.id, live.id].sort());
      expect(await t.app.get(PartiesHostingStatus).hostingUserIds([])).toEqual(new Set());
    });
  });
});
