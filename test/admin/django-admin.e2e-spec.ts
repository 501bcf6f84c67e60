import { AuthToken, demoGuestEmail, demoHostEmail, User } from '#porch/accounts';
import { AuditAction, AuditLog } from '#porch/admin';
import { Invite, InviteStatus, Party } from '#porch/parties';
import type TestAgent from 'supertest/lib/agent.js';
import {
  adminAgent,
  adminList,
  adminRecordAction,
  createSuperuser,
  formFields,
  loadRealisticData,
} from '../utils/admin-factories.js';
import { bearer, createUser, issueTokens } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

/** Django-admin features of the panel, on seed + demo data, through the panel's own HTTP API. */
describe('admin panel at Django-admin level', () => {
  let t: TestApp;
  let admin: User;
  let agent: TestAgent;
  beforeAll(async () => {
    t = await createTestApp();
    await loadRealisticData(t);
    admin = await createSuperuser(t, { name: 'Django Admin' });
    agent = await adminAgent(t, admin);
  }, 240_000);
  afterAll(() => t?.close());

  const byEmail = (email: string) => t.em().findOneOrFail(User, { email }, { filters: false });
  const audits = (recordId: string) =>
    t.em().find(AuditLog, { recordId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const liveTokens = (userId: string) => t.em().count(AuthToken, { user: userId, revokedAt: null });
  const show = async (resource: string, id: string) =>
    (await adminRecordAction(agent, resource, id, 'show')).record;

  it('shows email verification and lets a superuser mark an address verified', async () => {
    const user = await createUser(t, { pendingEmail: 'next@example.test' });
    const record = await show('User', user.id);
    expect(record.params.emailVerifiedAt ?? null).toBeNull();
    expect(record.params.pendingEmail).toBe('next@example.test');
    const { resources } = await panelState(agent);
    const users = resources.find((r) => r.id === 'User')!;
    expect(users.properties.emailVerifiedAt.type).toBe('datetime');
    const at = '2026-12-01T10:00:00.000Z';
    const res = await adminRecordAction(
      agent,
      'User',
      user.id,
      'edit',
      formFields({ ...record.params, emailVerifiedAt: at }),
    );
    expect(res.notice?.type).toBe('success');
    const stored = await byEmail(user.email);
    expect(stored.emailVerifiedAt?.toISOString()).toBe(at);
    expect(stored.pendingEmail).toBe('next@example.test'); // changes only through its code
  });

  it('saves a user with a birthdate (the lost edit), as the edit page posts it', async () => {
    const host = await byEmail(demoHostEmail(1));
    expect(host.birthdate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const record = await show('User', host.id);
    const res = await adminRecordAction(
      agent,
      'User',
      host.id,
      'edit',
      formFields({ ...record.params, name: 'Host One', birthdate: '1999-12-31' }),
    );
    expect(res.notice?.type).toBe('success');
    const stored = await byEmail(demoHostEmail(1));
    expect(stored.name).toBe('Host One');
    expect(stored.birthdate).toBe('1999-12-31');
    const [update] = (await audits(host.id)).filter((a) => a.action === AuditAction.Update);
    expect(update.changes).toEqual({
      name: { from: 'Host 1', to: 'Host One' },
      birthdate: { from: host.birthdate, to: '1999-12-31' },
    });
    // Shown as a date, not a time.
    const { resources } = await panelState(agent);
    const user = resources.find((r) => r.id === 'User')!;
    expect(user.properties.birthdate.type).toBe('date');
  });

  it('refuses bad values on their field, saving nothing and auditing nothing', async () => {
    const user = await createUser(t, { name: 'Careful', birthdate: '2001-02-03' });
    const record = await show('User', user.id);
    const post = (changes: Record<string, unknown>) =>
      adminRecordAction(
        agent,
        'User',
        user.id,
        'edit',
        formFields({ ...record.params, ...changes }),
      );
    const badDate = await post({ birthdate: '2001-02-30' });
    expect(badDate.notice?.type).toBe('error');
    expect(badDate.record.errors.birthdate.message).toBe('Enter a valid date.');
    const badEnum = await post({ gender: 'robot' });
    expect(badEnum.record.errors.gender.message).toMatch(/Select a valid choice/);
    const badNumber = await adminRecordAction(
      agent,
      'Invite',
      (await t.em().findOneOrFail(Invite, { plusOnes: { $gte: 0 } })).id,
      'edit',
      { plusOnes: 'two' },
    );
    expect(badNumber.record.errors.plusOnes.message).toBe('Enter a number.');
    const noName = await post({ name: '' });
    expect(noName.record.errors.name.message).toBe('This field is required.');
    const stored = await t.em().findOneOrFail(User, user.id);
    expect(stored.birthdate).toBe('2001-02-03');
    expect(stored.name).toBe('Careful');
    expect(await audits(user.id)).toHaveLength(0);
  });

  it('checks a new password with the sign-up rules and signs the user out everywhere', async () => {
    const user = await createUser(t, { name: 'Pat Tern', email: 'pat.tern@example.test' });
    await issueTokens(t, user);
    const token = await bearer(t, user);
    const weak = await adminRecordAction(agent, 'User', user.id, 'edit', { newPassword: '1' });
    expect(weak.notice?.type).toBe('error');
    expect(weak.record.errors.newPassword.message).toContain('This password is too short.');
    expect(weak.record.errors.newPassword.message).toContain('This password is entirely numeric.');
    const similar = await adminRecordAction(agent, 'User', user.id, 'edit', {
      newPassword: 'pat.tern@example',
    });
    expect(similar.record.errors.newPassword.message).toMatch(/too similar to the email/);
    expect(await liveTokens(user.id)).toBe(4);

    const ok = await adminRecordAction(agent, 'User', user.id, 'edit', {
      newPassword: 'Lantern-Orchard-58',
    });
    expect(ok.notice?.type).toBe('success');
    expect(await liveTokens(user.id)).toBe(0);
    await t.http.get('/api/v1/users/me').set('Authorization', token).expect(401);
    await t.http
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'Lantern-Orchard-58' })
      .expect(200);
  });

  it('restores a deleted user as active; deleting signed them out', async () => {
    const user = await createUser(t);
    await issueTokens(t, user);
    await adminRecordAction(agent, 'User', user.id, 'delete');
    expect(await liveTokens(user.id)).toBe(0);
    const restored = await adminRecordAction(agent, 'User', user.id, 'restore');
    expect(restored.notice?.type).toBe('success');
    const back = await t.em().findOneOrFail(User, user.id);
    expect(back.deletedAt).toBeNull();
    expect(back.isActive).toBe(true);
  });

  it('deactivates and activates users through UsersService, audited', async () => {
    const user = await createUser(t);
    await issueTokens(t, user);
    const listed = await adminList(agent, 'User', { id: user.id });
    const names = listed.records[0].recordActions.map((a) => a.name);
    expect(names).toContain('deactivate');
    expect(names).not.toContain('activate');
    const res = await adminRecordAction(agent, 'User', user.id, 'deactivate');
    expect(res.notice).toMatchObject({ type: 'success', message: 'User deactivated' });
    expect((await t.em().findOneOrFail(User, user.id)).isActive).toBe(false);
    expect(await liveTokens(user.id)).toBe(0);
    await adminRecordAction(agent, 'User', user.id, 'activate');
    expect((await t.em().findOneOrFail(User, user.id)).isActive).toBe(true);
    const log = await audits(user.id);
    expect(log.map((a) => [a.action, a.changes.isActive])).toEqual([
      [AuditAction.Update, { from: true, to: false }],
      [AuditAction.Update, { from: false, to: true }],
    ]);

    // In bulk, from the list.
    const a = await createUser(t);
    const b = await createUser(t);
    const bulk = await agent
      .get('/admin/api/resources/User/bulk/bulkDeactivate')
      .query({ recordIds: `${a.id},${b.id}` })
      .expect(200);
    expect(bulk.body.notice.message).toBe('2 of 2 user deactivated');
    expect(await t.em().count(User, { id: [a.id, b.id], isActive: false })).toBe(2);
  });

  it("cancels an invite through the invites module's state machine, and only where it may", async () => {
    const guest = await byEmail(demoGuestEmail(2));
    const confirmed = await t.em().findOneOrFail(Invite, {
      guest,
      status: InviteStatus.Confirmed,
      party: { flat: 'FUTUREPARTY1' },
    });
    const res = await adminRecordAction(agent, 'Invite', confirmed.id, 'cancelInvite');
    expect(res.notice?.type).toBe('success');
    const after = await t.em().findOneOrFail(Invite, confirmed.id);
    expect(after.status).toBe(InviteStatus.Canceled);
    expect(after.respondedAt?.toISOString()).toBe(confirmed.respondedAt?.toISOString());
    const [entry] = await audits(confirmed.id);
    expect(entry.changes.status).toEqual({ from: 'confirmed', to: 'canceled' });

    // A checked-in invite cannot be canceled: not offered, and refused if asked anyway.
    const checkedIn = await t
      .em()
      .findOneOrFail(Invite, { status: InviteStatus.CheckedIn }, { populate: ['party'] });
    const listed = await adminList(agent, 'Invite', { id: checkedIn.id });
    expect(listed.records[0].recordActions.map((a) => a.name)).not.toContain('cancelInvite');
    const refused = await agent.get(
      `/admin/api/resources/Invite/records/${checkedIn.id}/cancelInvite`,
    );
    expect(refused.body.notice?.type).not.toBe('success');
    expect((await t.em().findOneOrFail(Invite, checkedIn.id)).status).toBe(InviteStatus.CheckedIn);
  });

  it('searches lists like search_fields: users by name and email, parties by flat, invites by guest or party', async () => {
    const ids = async (resource: string, q: string) =>
      (await adminList(agent, resource, { q })).records.map((r) => r.title);
    expect(await ids('User', 'guest3@demo')).toEqual([demoGuestEmail(3)]);
    expect(await ids('User', 'Guest 4')).toEqual([demoGuestEmail(4)]);
    expect(await ids('Party', 'futureparty2')).toEqual(['FUTUREPARTY2']);
    // Every word must match somewhere (Django's rule): the host's email here.
    expect(await ids('Party', 'host5@demo')).toEqual(['FUTUREPARTY3']);
    const invites = await ids('Invite', 'PASTPARTY1');
    expect(invites.sort()).toEqual([
      'Guest 1 → PASTPARTY1',
      'Guest 2 → PASTPARTY1',
      'Guest 3 → PASTPARTY1',
    ]);
    expect(await ids('Invite', 'Guest 6 FUTUREPARTY2')).toEqual(['Guest 6 → FUTUREPARTY2']);
    expect(await ids('User', 'nobody-matches-this')).toEqual([]);
    // Search and filters together.
    const filtered = await adminList(agent, 'Invite', { q: 'FUTUREPARTY1', status: 'invited' });
    expect(filtered.records.map((r) => r.title)).toEqual(['Guest 1 → FUTUREPARTY1']);
  });

  it('sorts by a relation as shown (its title), and labels values as a person reads them', async () => {
    const res = await agent
      .get('/admin/api/resources/Party/actions/list')
      .query({ sortBy: 'host', direction: 'asc', perPage: 500 })
      .expect(200);
    const hosts = (res.body.records as { populated: { host: { title: string } } }[]).map(
      (r) => r.populated.host.title,
    );
    expect(hosts).toEqual([...hosts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));

    const { resources, locale } = await panelState(agent);
    const label = (resource: string, path: string) =>
      locale.translations.en.resources[resource].properties[path];
    const prop = (resource: string, path: string) =>
      resources.find((r) => r.id === resource)!.properties[path];
    expect(prop('Party', 'vibe').availableValues).toContainEqual({
      value: 'party',
      label: 'Party · 20–30 people',
    });
    expect(prop('Task', 'operator').availableValues).toContainEqual({ value: '+', label: '+' });
    expect(label('HealthRegion', 'hrUid')).toBe('Health region UID');
    expect(label('Device', 'osVersion')).toBe('OS version');
    expect(label('FsaHealthRegion', 'estimatedPopulation')).toBe('Estimated population');
    expect(locale.translations.en.labels.FsaHealthRegion).toBe('FSA health regions');
    // A task names its session by its learner and time, not a uuid.
    const [task] = (await adminList(agent, 'Task')).records;
    expect(task.populated.session?.title).toMatch(/^.+ · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
  });

  it('shows a record its history, with field diffs', async () => {
    const party = await t.em().findOneOrFail(Party, { flat: 'FUTUREPARTY3' });
    const record = await show('Party', party.id);
    await adminRecordAction(
      agent,
      'Party',
      party.id,
      'edit',
      formFields({ ...record.params, description: 'Bring snacks' }),
    );
    const res = await agent
      .get(`/admin/api/resources/Party/records/${party.id}/history`)
      .expect(200);
    expect(res.body.entries[0]).toMatchObject({
      action: 'update',
      actorEmail: admin.email,
      changes: { description: { from: 'FUTUREPARTY3 — demo data', to: 'Bring snacks' } },
    });
  });

  it("lists related records for inlines (a party's invites, a session's tasks)", async () => {
    const party = await t.em().findOneOrFail(Party, { flat: 'PASTPARTY1' });
    const invites = await adminList(agent, 'Invite', { party: party.id });
    expect(invites.meta.total).toBe(3);
    const { resources } = await panelState(agent);
    const partyJson = resources.find((r) => r.id === 'Party')!;
    expect(partyJson.properties.invites.custom).toEqual({
      resourceId: 'Invite',
      foreignKey: 'party',
    });
  });

  it('opens on an index of modules with row counts and recent actions', async () => {
    const res = await agent.get('/admin/api/dashboard').expect(200);
    const modules = res.body.modules as {
      name: string;
      resources: { id: string; count: number; href: string }[];
    }[];
    expect(modules.map((m) => m.name)).toEqual([
      'Accounts',
      'Parties',
      'Invites',
      'Health regions',
      'Tasks',
      'Audit',
    ]);
    const users = modules[0].resources.find((r) => r.id === 'User')!;
    expect(users.count).toBe(await t.em().count(User, {}, { filters: false }));
    expect(users.href).toBe('/admin/resources/User');
    const other = await createSuperuser(t);
    const otherAgent = await adminAgent(t, other);
    const someone = await createUser(t);
    await adminRecordAction(otherAgent, 'User', someone.id, 'edit', { name: 'Edited Elsewhere' });
    const again = await agent.get('/admin/api/dashboard').expect(200);
    expect(again.body.everyone[0]).toMatchObject({
      action: 'update',
      actorEmail: other.email,
      title: someone.email,
      href: `/admin/resources/User/records/${someone.id}/show`,
    });
    expect(
      (again.body.mine as { actorEmail: string }[]).every((e) => e.actorEmail === admin.email),
    ).toBe(true);
    expect(again.body.mine.length).toBeGreaterThan(0);
  });
});

interface PanelProperty {
  type: string;
  label: string;
  availableValues: { value: string; label: string }[] | null;
  custom: Record<string, unknown>;
}

async function panelState(agent: TestAgent): Promise<{
  resources: { id: string; properties: Record<string, PanelProperty> }[];
  locale: {
    translations: {
      en: {
        labels: Record<string, string>;
        resources: Record<string, { properties: Record<string, string> }>;
      };
    };
  };
}> {
  const page = await agent.get('/admin').expect(200);
  const match = /window\.REDUX_STATE = (\{.*?\});\s*\n/s.exec(page.text);
  if (!match) throw new Error('no REDUX_STATE');
  return JSON.parse(match[1]);
}
