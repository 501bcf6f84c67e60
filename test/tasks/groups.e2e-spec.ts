import { User } from '#porch/accounts';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { learner, postSession, sessionBody } from '../utils/tasks-factories.js';

type Learner = Awaited<ReturnType<typeof learner>>;
const PROBLEM = /application\/problem\+json/;

describe("groups: membership and the members' tasks", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const createGroup = (who: Learner, name: string) =>
    t.http.post('/api/v1/groups').set('Authorization', who.auth).send({ name });
  const addMember = (who: Learner, groupId: string, userId: string) =>
    t.http
      .post(`/api/v1/groups/${groupId}/members`)
      .set('Authorization', who.auth)
      .send({ userId });
  /** Invited by the owner, and accepted by the invitee. */
  const addAccepted = async (owner: Learner, groupId: string, member: Learner) => {
    await addMember(owner, groupId, member.user.id).expect(201);
    await t.http
      .post(`/api/v1/groups/${groupId}/accept`)
      .set('Authorization', member.auth)
      .expect(200);
  };
  const removeMember = (who: Learner, groupId: string, userId: string) =>
    t.http.delete(`/api/v1/groups/${groupId}/members/${userId}`).set('Authorization', who.auth);
  const groupTasks = (who: Learner, groupId: string, query = '') =>
    t.http.get(`/api/v1/groups/${groupId}/tasks${query}`).set('Authorization', who.auth);

  it('creates a group; a name is unique per owner (409), not across owners', async () => {
    const owner = await learner(t);
    const res = await createGroup(owner, '  Class 3B  ').expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Class 3B',
      ownerId: owner.user.id,
      isOwner: true,
      membership: 'owner',
      memberCount: 1,
      joinCode: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{10}$/),
      createdAt: expect.any(String),
    });
    const dup = await createGroup(owner, 'Class 3B').expect(409);
    expect(dup.headers['content-type']).toMatch(PROBLEM);
    await createGroup(await learner(t), 'Class 3B').expect(201);
    await createGroup(owner, '').expect(400);
    await createGroup(owner, 'x'.repeat(101)).expect(400);
  });

  it('lists the groups I own or belong to, with member counts', async () => {
    const owner = await learner(t);
    const member = await learner(t);
    const stranger = await learner(t);
    const mine = (await createGroup(owner, 'Mine')).body;
    const theirs = (await createGroup(stranger, 'Theirs')).body;
    await addAccepted(owner, mine.id, member);

    const asOwner = await t.http.get('/api/v1/groups').set('Authorization', owner.auth).expect(200);
    expect(asOwner.body).toMatchObject({
      count: 1,
      results: [{ id: mine.id, memberCount: 2, isOwner: true }],
    });
    const asMember = await t.http
      .get('/api/v1/groups')
      .set('Authorization', member.auth)
      .expect(200);
    expect(asMember.body).toMatchObject({
      count: 1,
      results: [
        {
          id: mine.id,
          isOwner: false,
          ownerId: owner.user.id,
          membership: 'accepted',
          joinCode: null, // the owner's to share
        },
      ],
    });
    const asStranger = await t.http
      .get('/api/v1/groups')
      .set('Authorization', stranger.auth)
      .expect(200);
    expect(asStranger.body.results.map((g: { id: string }) => g.id)).toEqual([theirs.id]);

    await t.http.get(`/api/v1/groups/${mine.id}`).set('Authorization', member.auth).expect(200);
    await t.http.get(`/api/v1/groups/${mine.id}`).set('Authorization', stranger.auth).expect(404);
    const members = await t.http
      .get(`/api/v1/groups/${mine.id}/members`)
      .set('Authorization', member.auth)
      .expect(200);
    expect(members.body.results).toEqual([
      {
        id: owner.user.id,
        name: owner.user.name,
        role: 'owner',
        status: 'accepted',
        joinedAt: expect.any(String),
      },
      {
        id: member.user.id,
        name: member.user.name,
        role: 'member',
        status: 'accepted',
        joinedAt: expect.any(String),
      },
    ]);
  });

  it('filters my groups by membership and orders them; members see no invitations', async () => {
    const me = await learner(t);
    const other = await learner(t);
    const invitee = await learner(t);
    const zulu = (await createGroup(me, 'Zulu')).body;
    const alpha = (await createGroup(me, 'Alpha')).body;
    const joined = (await createGroup(other, 'Mike')).body;
    const invited = (await createGroup(other, 'Bravo')).body;
    await addAccepted(other, joined.id, me);
    await addMember(other, invited.id, me.user.id).expect(201);
    await addMember(other, joined.id, invitee.user.id).expect(201);
    const ids = async (query: string) => {
      const res = await t.http.get(`/api/v1/groups${query}`).set('Authorization', me.auth);
      expect(res.status).toBe(200);
      if (!query.includes('offset')) expect(res.body.count).toBe(res.body.results.length);
      else expect(res.body.count).toBe(4);
      return res.body.results.map((g: { id: string }) => g.id);
    };

    expect(await ids('?membership=owner&ordering=name')).toEqual([alpha.id, zulu.id]);
    expect(await ids('?membership=accepted')).toEqual([joined.id]);
    expect(await ids('?membership=pending')).toEqual([invited.id]);
    expect(await ids('?membership=declined')).toEqual([]);
    expect(await ids('?ordering=-name')).toEqual([zulu.id, joined.id, invited.id, alpha.id]);
    expect(await ids('?ordering=createdAt')).toEqual([zulu.id, alpha.id, joined.id, invited.id]);
    expect(await ids('?ordering=name&limit=2&offset=1')).toEqual([invited.id, joined.id]);

    // The owner sees the pending invitation among the members; a member sees who is in.
    const members = async (who: Learner) => {
      const res = await t.http
        .get(`/api/v1/groups/${joined.id}/members`)
        .set('Authorization', who.auth)
        .expect(200);
      expect(res.body.count).toBe(res.body.results.length);
      return res.body.results.map((m: { id: string; status: string }) => [m.id, m.status]);
    };
    expect(await members(other)).toEqual([
      [other.user.id, 'accepted'],
      [me.user.id, 'accepted'],
      [invitee.user.id, 'pending'],
    ]);
    expect(await members(me)).toEqual([
      [other.user.id, 'accepted'],
      [me.user.id, 'accepted'],
    ]);
  });

  it('lets only the owner add members: 403 for members, 404 for outsiders and unknown users', async () => {
    const owner = await learner(t);
    const member = await learner(t);
    const stranger = await learner(t);
    const newcomer = await learner(t);
    const group = (await createGroup(owner, 'Owners only')).body;

    const added = await addMember(owner, group.id, member.user.id).expect(201);
    expect(added.body).toEqual({
      id: member.user.id,
      name: member.user.name,
      role: 'member',
      status: 'pending',
      joinedAt: null,
    });
    await addMember(member, group.id, newcomer.user.id).expect(404); // invited, not in yet
    await t.http
      .post(`/api/v1/groups/${group.id}/accept`)
      .set('Authorization', member.auth)
      .expect(200);
    await addMember(member, group.id, newcomer.user.id).expect(403);
    await addMember(stranger, group.id, newcomer.user.id).expect(404);
    await addMember(owner, group.id, member.user.id).expect(409);
    await addMember(owner, group.id, owner.user.id).expect(409);
    await addMember(owner, group.id, '0190c8a4-0000-7000-8000-000000000000').expect(404);
    await addMember(owner, group.id, 'not-a-uuid').expect(400);
    await addMember(owner, '0190c8a4-0000-7000-8000-000000000000', newcomer.user.id).expect(404);

    const gone = await learner(t);
    await t
      .em()
      .nativeUpdate(User, { id: gone.user.id }, { deletedAt: new Date(), isActive: false });
    await addMember(owner, group.id, gone.user.id).expect(404);
  });

  it('keeps exactly one membership when the same user is added concurrently', async () => {
    const owner = await learner(t);
    const member = await learner(t);
    const group = (await createGroup(owner, 'Race')).body;
    const statuses = (
      await Promise.all(
        Array.from({ length: 5 }, () => addMember(owner, group.id, member.user.id).then((r) => r)),
      )
    ).map((r) => r.status);
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('removes members: the owner anyone, a member only themself, the owner never', async () => {
    const owner = await learner(t);
    const a = await learner(t);
    const b = await learner(t);
    const stranger = await learner(t);
    const group = (await createGroup(owner, 'Comings and goings')).body;
    await addMember(owner, group.id, a.user.id).expect(201);
    await addMember(owner, group.id, b.user.id).expect(201);

    await removeMember(a, group.id, b.user.id).expect(403);
    await removeMember(stranger, group.id, b.user.id).expect(404);
    await removeMember(owner, group.id, owner.user.id).expect(422);
    await removeMember(a, group.id, owner.user.id).expect(403);
    await removeMember(owner, group.id, b.user.id).expect(204);
    await removeMember(owner, group.id, b.user.id).expect(404);
    await removeMember(a, group.id, a.user.id).expect(204); // leaving
    await t.http.get(`/api/v1/groups/${group.id}`).set('Authorization', a.auth).expect(404);
    const left = await t.http
      .get(`/api/v1/groups/${group.id}`)
      .set('Authorization', owner.auth)
      .expect(200);
    expect(left.body.memberCount).toBe(1);
  });

  it("shows members' tasks (the owner's too) but never the caller's, since a store time", async () => {
    const owner = await learner(t);
    const a = await learner(t);
    const b = await learner(t);
    const stranger = await learner(t);
    const group = (await createGroup(owner, 'Sync')).body;
    await addAccepted(owner, group.id, a);
    await addAccepted(owner, group.id, b);

    const ownerSession = sessionBody({ tasks: 2 });
    const aOld = sessionBody({ tasks: 3 });
    const aNew = sessionBody({ tasks: 4 });
    const bSession = sessionBody({ tasks: 5 });
    await postSession(t, owner.auth, ownerSession).expect(201);
    await postSession(t, a.auth, aOld).expect(201);
    await postSession(t, a.auth, aNew).expect(201);
    await postSession(t, b.auth, bSession).expect(201);
    await postSession(t, stranger.auth, sessionBody({ tasks: 6 })).expect(201);
    await t
      .em()
      .getConnection()
      .execute(
        `update tasks set created_at = created_at - interval '1 hour' where session_id = ?`,
        [aOld.id],
      );

    const bySession = (res: { body: { results: { sessionId: string }[] } }) => {
      const counts: Record<string, number> = {};
      for (const r of res.body.results) counts[r.sessionId] = (counts[r.sessionId] ?? 0) + 1;
      return counts;
    };
    const asA = await groupTasks(a, group.id, '?limit=100').expect(200);
    expect(asA.body.count).toBe(7);
    expect(bySession(asA)).toEqual({ [ownerSession.id]: 2, [bSession.id]: 5 });
    const ownerTask = asA.body.results.find(
      (r: { sessionId: string }) => r.sessionId === ownerSession.id,
    );
    expect(ownerTask.user).toEqual({ id: owner.user.id, name: owner.user.name });

    const asOwner = await groupTasks(owner, group.id, '?limit=100').expect(200);
    expect(bySession(asOwner)).toEqual({ [aOld.id]: 3, [aNew.id]: 4, [bSession.id]: 5 });

    const since = encodeURIComponent(new Date(Date.now() - 30 * 60_000).toISOString());
    const recent = await groupTasks(owner, group.id, `?since=${since}&limit=100`).expect(200);
    expect(bySession(recent)).toEqual({ [aNew.id]: 4, [bSession.id]: 5 });
    const page = await groupTasks(owner, group.id, `?since=${since}&limit=3&offset=3`).expect(200);
    expect(page.body).toMatchObject({ count: 9, results: expect.any(Array) });
    expect(page.body.results).toHaveLength(3);
    const divisions = await groupTasks(owner, group.id, `?since=${since}&operator=/`).expect(200);
    expect(divisions.body.count).toBe(2); // position 3 of aNew and of bSession

    await groupTasks(stranger, group.id).expect(404);
    await groupTasks(owner, group.id, '?since=soon').expect(400);

    // A removed member loses access; a deleted account's tasks disappear.
    await removeMember(owner, group.id, b.user.id).expect(204);
    await groupTasks(b, group.id).expect(404);
    await t.em().nativeUpdate(User, { id: a.user.id }, { deletedAt: new Date(), isActive: false });
    const afterDelete = await groupTasks(owner, group.id, '?limit=100').expect(200);
    expect(afterDelete.body).toMatchObject({ count: 0, results: [] });
  });
});
