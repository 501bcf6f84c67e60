import { Department } from '#porch/accounts';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty, hoursFromNow } from '../utils/party-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/**
 * Accounts owns how a user looks in any response: the public profile (a profile, a guest list,
 * the invitable browse) and the summary (a party's host, an invite's guest and host). Every
 * module's answer for the same user is therefore the same object, photo URL included.
 */
describe('one shape of a user across modules', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('profile, guest list, invitable, party host and invite people agree field for field', async () => {
    const host = await createUser(t, { name: 'Hazel Host', photoHash: 'a'.repeat(64) });
    // The guest hosts a party of her own later on: her role is `host` wherever she appears.
    const ann = await createUser(t, {
      name: 'Ann Guest',
      department: Department.Law,
      photoHash: 'b'.repeat(64),
    });
    const dora = await createUser(t, { name: 'Dora Invitable', photoHash: 'c'.repeat(64) });
    const party = await createParty(t, { host, firstEntry: hoursFromNow(24) });
    await createParty(t, { host: ann, firstEntry: hoursFromNow(48) });
    const invite = await createInvite(t, { party, guest: ann });
    const asHost = await bearer(t, host);
    const asAnn = await bearer(t, ann);
    const get = (auth: string, path: string) =>
      t.http.get(`/api/v1${path}`).set('Authorization', auth).expect(200);

    const annProfile = (await get(asHost, `/users/${ann.id}`)).body;
    const hostProfile = (await get(asAnn, `/users/${host.id}`)).body;
    const doraProfile = (await get(asHost, `/users/${dora.id}`)).body;
    expect(annProfile).toMatchObject({ role: 'host', department: 'law' });
    expect(annProfile.photoUrl).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:\\d+/api/v1/users/${ann.id}/photo\\?v=b{16}$`),
    );

    const guests = (await get(asHost, `/parties/${party.id}/guests`)).body.results;
    expect(guests.map((g: { guest: unknown }) => g.guest)).toEqual([annProfile]);

    const invitable = (await get(asHost, `/parties/${party.id}/invitable?search=Dora`)).body;
    expect(invitable.results).toEqual([doraProfile]);

    const summary = (p: { id: string; name: string; photoUrl: string | null }) => ({
      id: p.id,
      name: p.name,
      photoUrl: p.photoUrl,
    });
    expect((await get(asHost, `/parties/${party.id}`)).body.host).toEqual(summary(hostProfile));
    const asSeenByAnn = (await get(asAnn, `/invites/${invite.id}`)).body;
    expect(asSeenByAnn.guest).toEqual(summary(annProfile));
    expect(asSeenByAnn.party.host).toEqual(summary(hostProfile));
    const mine = (await get(asAnn, '/invites')).body.results;
    expect(mine[0].party.host).toEqual(summary(hostProfile));
  });
});
