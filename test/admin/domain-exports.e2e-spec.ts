import { parse } from 'csv-parse/sync';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty } from '../utils/party-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** The parties and invites CSV exports: columns, rows, filters, and soft-deleted rows left out. */
describe('CSV exports of parties and invites', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('exports parties and invites with their people, filtered by user', async () => {
    const staff = await bearer(t, await createUser(t, { isStaff: true }));
    const host = await createUser(t);
    const guest = await createUser(t);
    const other = await createUser(t);
    const party = await createParty(t, { host, flat: '=HYPERLINK("x")' });
    await createInvite(t, { party, guest });
    await createInvite(t, { party, guest: other });

    const parties = await t.http
      .get(`/api/v1/exports/parties.csv?userIds=${host.id}`)
      .set('Authorization', staff)
      .expect(200);
    expect(parties.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(parties.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: party.id,
      hostEmail: host.email,
      flat: `'=HYPERLINK("x")`,
    });

    const invites = await t.http
      .get(`/api/v1/exports/invites.csv?userIds=${guest.id}`)
      .set('Authorization', staff)
      .expect(200);
    const inviteRows = parse(invites.text, { columns: true }) as Record<string, string>[];
    expect(inviteRows).toEqual([
      expect.objectContaining({ partyId: party.id, guestEmail: guest.email, status: 'invited' }),
    ]);

    await t.http
      .get('/api/v1/exports/invites.csv')
      .set('Authorization', await bearer(t, guest))
      .expect(403);
  });
});
