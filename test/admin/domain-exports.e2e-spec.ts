import { parse } from 'csv-parse/sync';
import { DemoDataLoader } from '#porch/core';
import { adminAgent, adminList, createSuperuser } from '../utils/admin-factories.js';
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

  it('offers every SPEC §8 export, and the panel lists every entity, on the demo data', async () => {
    await t.app.get(DemoDataLoader).load();
    const staff = await bearer(t, await createUser(t, { isStaff: true }));
    const names = [
      'users',
      'parties',
      'invites',
      'provinces',
      'health-regions',
      'fsa-health-regions',
      'devices',
      'sessions',
      'tasks',
      'keypresses',
      'groups',
    ];
    const rows: Record<string, number> = {};
    for (const name of names) {
      const res = await t.http.get(`/api/v1/exports/${name}.csv`).set('Authorization', staff);
      expect({ name, status: res.status, detail: res.body?.detail }).toEqual({
        name,
        status: 200,
        detail: undefined,
      });
      rows[name] = (parse(res.text, { columns: true }) as unknown[]).length;
    }
    expect(rows).toMatchObject({
      provinces: 13,
      'health-regions': 92,
      'fsa-health-regions': 1956,
      parties: 6, // the demo's five and the one of the test above
      sessions: 1,
      tasks: 12,
    });
    expect(rows.keypresses).toBeGreaterThan(0);

    const agent = await adminAgent(t, await createSuperuser(t));
    for (const resource of [
      'User',
      'Party',
      'Invite',
      'Province',
      'HealthRegion',
      'FsaHealthRegion',
      'Session',
      'Task',
      'Keypress',
      'Device',
      'Group',
      'GroupMember',
      'AuditLog',
    ]) {
      const list = await adminList(agent, resource);
      expect(list.meta.total).toBeGreaterThanOrEqual(
        resource === 'Group' || resource === 'GroupMember' || resource === 'AuditLog' ? 0 : 1,
      );
    }
  });
});
