import { v7 as uuidv7 } from 'uuid';
import type { User } from '#porch/accounts';
import {
  AccessService,
  ForbiddenProblem,
  NotFoundProblem,
  PERMISSIONS,
  rawQuery,
  type Permission,
  type Principal,
} from '#porch/core';
import { InviteStatus } from '#porch/parties';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty } from '../utils/party-factories.js';
import { learner, postSession, sessionBody } from '../utils/tasks-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

type Outcome = 'allow' | 403 | 404;

/**
 * Every checker's allow and deny paths, through AccessService as the routes, the admin panel,
 * the exports and GraphQL resolvers call it (a plain method taking a Principal, no HTTP).
 */
describe('AccessService and the checkers', () => {
  let t: TestApp;
  let access: AccessService;
  const principal = (u: User): Principal => ({
    id: u.id,
    email: u.email,
    isStaff: u.isStaff,
    isSuperuser: u.isSuperuser,
  });
  const outcome = async (u: User, permission: Permission, id?: string): Promise<Outcome> => {
    const d = await access.decide(principal(u), permission, id);
    return d.allowed ? 'allow' : d.status;
  };
  const table = async (
    permission: Permission,
    id: string | undefined,
    users: Record<string, User>,
  ): Promise<Record<string, Outcome>> => {
    const out: Record<string, Outcome> = {};
    for (const [name, u] of Object.entries(users)) out[name] = await outcome(u, permission, id);
    return out;
  };

  let host: User, guest: User, stranger: User, staff: User, superuser: User;
  beforeAll(async () => {
    t = await createTestApp();
    access = t.app.get(AccessService);
    host = await createUser(t);
    guest = await createUser(t);
    stranger = await createUser(t);
    staff = await createUser(t, { isStaff: true });
    superuser = await createUser(t, { isSuperuser: true });
  });
  afterAll(() => t.close());

  it('has a checker for every permission of the catalogue, and only for those', () => {
    expect([...access.registered()].sort()).toEqual([...PERMISSIONS].sort());
  });

  it('party.*: the host acts; guests and staff see (403 to act); anyone else gets 404', async () => {
    const party = await createParty(t, { host });
    await createInvite(t, { party, guest, status: InviteStatus.Canceled });
    const users = { host, guest, stranger, staff, superuser };
    expect(await table('party.read', party.id, users)).toEqual({
      host: 'allow',
      guest: 'allow',
      stranger: 404,
      staff: 'allow',
      superuser: 'allow',
    });
    for (const p of ['party.update', 'party.delete', 'party.guests', 'party.invite'] as const)
      expect(await table(p, party.id, users)).toEqual({
        host: 'allow',
        guest: 403,
        stranger: 404,
        staff: 403,
        superuser: 403,
      });
    expect(await outcome(host, 'party.read', uuidv7())).toBe(404);
    const gone = await createParty(t, { host: stranger, deletedAt: new Date() });
    expect(await outcome(stranger, 'party.read', gone.id)).toBe(404);
    expect(await outcome(staff, 'party.read', gone.id)).toBe(404);
  });

  it('user.parties: one’s own list, anyone’s for staff (404 for no such user), 403 otherwise', async () => {
    expect(await outcome(guest, 'user.parties', guest.id)).toBe('allow');
    expect(await outcome(guest, 'user.parties', host.id)).toBe(403);
    expect(await outcome(guest, 'user.parties', uuidv7())).toBe(403);
    expect(await outcome(staff, 'user.parties', host.id)).toBe('allow');
    expect(await outcome(superuser, 'user.parties', host.id)).toBe('allow');
    expect(await outcome(staff, 'user.parties', uuidv7())).toBe(404);
  });

  it('invite.*: guest answers, host checks in, both cancel and read; others 404', async () => {
    const party = await createParty(t, { host: guest });
    const invite = await createInvite(t, { party, guest: stranger });
    const users = { guest: stranger, host: guest, other: host, staff };
    expect(await table('invite.read', invite.id, users)).toEqual({
      guest: 'allow',
      host: 'allow',
      other: 404,
      staff: 404,
    });
    expect(await table('invite.respond', invite.id, users)).toEqual({
      guest: 'allow',
      host: 403,
      other: 404,
      staff: 404,
    });
    expect(await table('invite.cancel', invite.id, users)).toEqual({
      guest: 'allow',
      host: 'allow',
      other: 404,
      staff: 404,
    });
    expect(await table('invite.checkIn', invite.id, users)).toEqual({
      guest: 403,
      host: 'allow',
      other: 404,
      staff: 404,
    });
  });

  it('user.read: active users for all, inactive ones for staff; deleted ones for no one', async () => {
    const off = await createUser(t, { isActive: false });
    const deleted = await createUser(t, { isActive: false, deletedAt: new Date() });
    const users = { plain: guest, staff, superuser };
    expect(await table('user.read', host.id, users)).toEqual({
      plain: 'allow',
      staff: 'allow',
      superuser: 'allow',
    });
    expect(await table('user.read', off.id, users)).toEqual({
      plain: 404,
      staff: 'allow',
      superuser: 'allow',
    });
    expect(await table('user.read', deleted.id, users)).toEqual({
      plain: 404,
      staff: 404,
      superuser: 404,
    });
  });

  it('admin.access for superusers, export.read for staff and superusers', async () => {
    const users = { plain: guest, staff, superuser };
    expect(await table('admin.access', undefined, users)).toEqual({
      plain: 403,
      staff: 403,
      superuser: 'allow',
    });
    expect(await table('export.read', undefined, users)).toEqual({
      plain: 403,
      staff: 'allow',
      superuser: 'allow',
    });
  });

  it('session.read: its uploader only (404 for anyone else, staff too)', async () => {
    const me = await learner(t);
    const body = sessionBody();
    await postSession(t, me.auth, body).expect(201);
    expect(await outcome(me.user, 'session.read', body.id)).toBe('allow');
    expect(await outcome(stranger, 'session.read', body.id)).toBe(404);
    expect(await outcome(superuser, 'session.read', body.id)).toBe(404);
    expect(await outcome(me.user, 'session.read', uuidv7())).toBe(404);
  });

  it('group.*: owner manages; accepted members see members; invitees see the group only', async () => {
    const owner = await createUser(t);
    const member = await createUser(t);
    const invitee = await createUser(t);
    const decliner = await createUser(t);
    const groupId = uuidv7();
    const em = t.em();
    await rawQuery(
      em,
      `insert into groups (id, owner_id, name, join_code, created_at, updated_at)
       values (?, ?, 'Class 4', null, now(), now())`,
      [groupId, owner.id],
    );
    for (const [u, status] of [
      [member, 'accepted'],
      [invitee, 'pending'],
      [decliner, 'declined'],
    ] as const)
      await rawQuery(
        em,
        `insert into group_members (id, group_id, user_id, status, created_at, updated_at)
         values (?, ?, ?, ?, now(), now())`,
        [uuidv7(), groupId, u.id, status],
      );
    const users = { owner, member, invitee, decliner, stranger, superuser };
    expect(await table('group.read', groupId, users)).toEqual({
      owner: 'allow',
      member: 'allow',
      invitee: 'allow',
      decliner: 'allow',
      stranger: 404,
      superuser: 404,
    });
    expect(await table('group.members', groupId, users)).toEqual({
      owner: 'allow',
      member: 'allow',
      invitee: 404,
      decliner: 404,
      stranger: 404,
      superuser: 404,
    });
    expect(await table('group.manage', groupId, users)).toEqual({
      owner: 'allow',
      member: 403,
      invitee: 404,
      decliner: 404,
      stranger: 404,
      superuser: 404,
    });
    expect(await table('group.removeMembers', groupId, users)).toEqual({
      owner: 'allow',
      member: 403,
      invitee: 403,
      decliner: 403,
      stranger: 404,
      superuser: 404,
    });
  });

  it('require throws 404 before 403 over a list of ids, and check says all-or-nothing', async () => {
    const mine = await createParty(t, { host: staff });
    const theirs = await createParty(t, { host: superuser });
    const p = principal(staff);
    await expect(access.require(p, 'party.update', [mine.id])).resolves.toBeUndefined();
    await expect(access.require(p, 'party.update', [mine.id, theirs.id])).rejects.toBeInstanceOf(
      ForbiddenProblem,
    );
    await expect(
      access.require(p, 'party.update', [theirs.id, uuidv7(), mine.id]),
    ).rejects.toBeInstanceOf(NotFoundProblem);
    expect(await access.check(p, 'party.update', [mine.id])).toBe(true);
    expect(await access.check(p, 'party.update', [mine.id, theirs.id])).toBe(false);
    expect(await access.check(p, 'party.read', [mine.id, theirs.id])).toBe(true);
  });

  it('runs a route’s permission after the input checks, on a valid id only (400, never a lookup of junk)', async () => {
    const party = await createParty(t, { host: superuser, firstEntry: new Date(Date.now() + 9e8) });
    const auth = await bearer(t, stranger);
    const get = (path: string) => t.http.get(`/api/v1${path}`).set('Authorization', auth);
    await get(`/parties/${party.id}`).expect(404);
    // An unknown query parameter is a 400 before the object is looked at (no 404 to learn from).
    await get(`/parties/${party.id}?bogus=1`).expect(400);
    await get('/parties/not-a-uuid').expect(400);
    await get(`/users/not-a-uuid/parties`).expect(400);
    await get(`/users/me/parties`).expect(200);
    await get(`/users/${host.id}/parties`).expect(403);
    await t.http.get(`/api/v1/parties/${party.id}`).expect(401);
  });
});
