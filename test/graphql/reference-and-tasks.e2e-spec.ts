import { bearer, createUser } from '../utils/factories.js';
import { sessionBody } from '../utils/tasks-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { gql, gqlOk } from './graphql-client.js';

/** Health regions, provinces and the FSA lookup (public), and the measurements app's lists. */
describe('GraphQL: reference data and the measurements app', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await createTestApp();
    auth = await bearer(t, await createUser(t));
  });
  afterAll(() => t.close());

  it('answers health regions with their province and FSAs, as REST does, without a token', async () => {
    const rest = await t.http.get('/api/v1/health-regions?limit=2&province=ON').expect(200);
    const { healthRegions } = await gqlOk(
      t,
      `{ healthRegions(first: 2, province: "on") {
          totalCount
          nodes { hrUid nameEn province { alphaCode healthRegionCount } fsas(first: 1) { totalCount } }
        } }`,
    );
    expect(healthRegions.totalCount).toBe(rest.body.count);
    expect(healthRegions.nodes.map((r: { hrUid: number }) => r.hrUid)).toEqual(
      rest.body.results.map((r: { hrUid: number }) => r.hrUid),
    );
    expect(healthRegions.nodes[0].province.alphaCode).toBe('ON');
    expect(healthRegions.nodes[0].fsas.totalCount).toBe(rest.body.results[0].fsaCount);

    const fsa = await gqlOk(
      t,
      '{ fsa(code: "m5v 2t6") { fsa province { alphaCode } healthRegions { hrUid share } } }',
    );
    const restFsa = await t.http.get('/api/v1/fsa/M5V').expect(200);
    expect(fsa.fsa.fsa).toBe('M5V');
    expect(fsa.fsa.healthRegions).toEqual(
      restFsa.body.healthRegions.map((r: { hrUid: number; share: number }) => ({
        hrUid: r.hrUid,
        share: r.share,
      })),
    );
    const { province, provinces } = await gqlOk(
      t,
      '{ province(code: "on") { geoCode nameEn } provinces(first: 100) { totalCount } }',
    );
    expect(province).toEqual({ geoCode: 35, nameEn: 'Ontario' });
    expect(provinces.totalCount).toBeGreaterThanOrEqual(13);
    const bad = await gql(t, '{ province(code: "Ontario") { geoCode } }');
    expect(bad.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ field: 'code', message: expect.stringMatching(/^code must be a province/) }],
    });
    const missing = await gql(t, '{ healthRegion(hrUid: 1) { hrUid } }');
    expect(missing.errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('lists tasks, stats, sessions and groups, validating filters as REST', async () => {
    const data = await gqlOk(
      t,
      `{ tasks { totalCount } taskStats { overall { count accuracy } operators { operator } }
         sessions { totalCount } groups { totalCount } }`,
      {},
      auth,
    );
    expect(data).toEqual({
      tasks: { totalCount: 0 },
      taskStats: { overall: { count: 0, accuracy: null }, operators: expect.any(Array) },
      sessions: { totalCount: 0 },
      groups: { totalCount: 0 },
    });
    const rest = await t.http.get('/api/v1/tasks?operator=x').set('Authorization', auth);
    const bad = await gql(t, '{ tasks(operator: "x") { totalCount } }', {}, auth);
    expect(bad.errors?.[0].extensions.errors).toEqual(rest.body.errors);
    const { createGroup } = await gqlOk(
      t,
      'mutation { createGroup(input: { name: "Class 4" }) { id name isOwner memberCount } }',
      {},
      auth,
    );
    expect(createGroup).toMatchObject({ name: 'Class 4', isOwner: true });
    const { groups } = await gqlOk(t, '{ groups { totalCount nodes { id } } }', {}, auth);
    expect(groups).toEqual({ totalCount: 1, nodes: [{ id: createGroup.id }] });
    const anonymous = await gql(t, '{ taskStats { overall { count } } }');
    expect(anonymous.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('uploads a session with the REST body and its rules, idempotently', async () => {
    const UPLOAD = `mutation ($s: JSONObject!) {
      uploadSession(session: $s) { created session { id taskCount device { platform } } }
    }`;
    const body = sessionBody({ tasks: 4 });
    const first = await gqlOk(t, UPLOAD, { s: body }, auth);
    expect(first.uploadSession).toMatchObject({ created: true, session: { taskCount: 4 } });
    const again = await gqlOk(t, UPLOAD, { s: body }, auth);
    expect(again.uploadSession).toMatchObject({
      created: false,
      session: { id: first.uploadSession.session.id },
    });
    const { tasks } = await gqlOk(
      t,
      'query ($id: ID) { tasks(sessionId: $id) { totalCount } }',
      { id: first.uploadSession.session.id },
      auth,
    );
    expect(tasks.totalCount).toBe(4);
    // A malformed task: the same field errors as REST's.
    const bad = { ...sessionBody(), tasks: [{ firstNumber: 'x' }] };
    const rest = await t.http.post('/api/v1/sessions').set('Authorization', auth).send(bad);
    expect(rest.status).toBe(400);
    const res = await gql(t, UPLOAD, { s: bad }, auth);
    expect(res.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: rest.body.errors,
    });
  });

  it('groups: the owner invites, the member accepts; members and tasks as fields', async () => {
    const member = await createUser(t);
    const memberAuth = await bearer(t, member);
    const { createGroup } = await gqlOk(
      t,
      'mutation { createGroup(input: { name: "Class 5" }) { id } }',
      {},
      auth,
    );
    const id = createGroup.id as string;
    const { addGroupMember } = await gqlOk(
      t,
      'mutation ($id: ID!, $u: ID!) { addGroupMember(id: $id, input: { userId: $u }) { id status } }',
      { id, u: member.id },
      auth,
    );
    expect(addGroupMember).toEqual({ id: member.id, status: 'pending' });
    // Only the owner invites (the same refusal as REST).
    const refused = await gql(
      t,
      'mutation ($id: ID!, $u: ID!) { addGroupMember(id: $id, input: { userId: $u }) { id } }',
      { id, u: member.id },
      memberAuth,
    );
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.errors?.[0].extensions.code);
    const { acceptGroup } = await gqlOk(
      t,
      'mutation ($id: ID!) { acceptGroup(id: $id) { id membership } }',
      { id },
      memberAuth,
    );
    expect(acceptGroup.id).toBe(id);
    const { group } = await gqlOk(
      t,
      'query ($id: ID!) { group(id: $id) { memberCount members { totalCount nodes { id status } } tasks { totalCount } } }',
      { id },
      memberAuth,
    );
    expect(group.members.totalCount).toBe(2);
    expect(group.members.nodes).toContainEqual({ id: member.id, status: 'accepted' });
    // The owner's 4 tasks (the session uploaded above), as REST lists them to the member.
    const rest = await t.http.get(`/api/v1/groups/${id}/tasks`).set('Authorization', memberAuth);
    expect(group.tasks.totalCount).toBe(rest.body.count);
    expect(group.tasks.totalCount).toBe(4);
    const { rotateGroupJoinCode } = await gqlOk(
      t,
      'mutation ($id: ID!) { rotateGroupJoinCode(id: $id) }',
      { id },
      auth,
    );
    expect(typeof rotateGroupJoinCode).toBe('string');
  });
});
