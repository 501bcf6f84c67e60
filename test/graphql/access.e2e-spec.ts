import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty } from '../utils/party-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { gql, gqlOk } from './graphql-client.js';

/**
 * GraphQL goes through the same access layer as REST (AccessService): for each object-level rule,
 * the same caller gets the same refusal over both APIs (404 ↔ NOT_FOUND, 403 ↔ FORBIDDEN), and
 * nothing changes.
 */
describe('GraphQL: the access layer, as REST applies it', () => {
  let t: TestApp;
  const auth: Record<'host' | 'guest' | 'outsider', string> = { host: '', guest: '', outsider: '' };
  let hostId: string;
  let partyId: string;
  let inviteId: string;
  let groupId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const host = await createUser(t, { name: 'Hosting Host' });
    const guest = await createUser(t, { name: 'Invited Guest' });
    const outsider = await createUser(t, { name: 'Nosy Outsider' });
    hostId = host.id;
    auth.host = await bearer(t, host);
    auth.guest = await bearer(t, guest);
    auth.outsider = await bearer(t, outsider);
    const party = await createParty(t, { host, flat: 'Flat 9', description: 'Rooftop' });
    partyId = party.id;
    inviteId = (await createInvite(t, { party, guest })).id;
    const group = await t.http
      .post('/api/v1/groups')
      .set('Authorization', auth.host)
      .send({ name: 'Study group' })
      .expect(201);
    groupId = group.body.id;
    await t.http
      .post(`/api/v1/groups/${groupId}/members`)
      .set('Authorization', auth.host)
      .send({ userId: guest.id })
      .expect(201);
  });
  afterAll(() => t.close());

  const CODES: Record<number, string> = { 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

  // [caller, GraphQL operation, its variables, REST method, REST path]
  const cases: [keyof typeof auth, string, () => Record<string, unknown>, string, () => string][] =
    [
      [
        'outsider',
        'query ($id: ID!) { party(id: $id) { id } }',
        () => ({ id: partyId }),
        'get',
        () => `/parties/${partyId}`,
      ],
      [
        'guest',
        'mutation ($id: ID!) { updateParty(id: $id, input: { flat: "Mine now" }) { id } }',
        () => ({ id: partyId }),
        'patch',
        () => `/parties/${partyId}`,
      ],
      [
        'guest',
        'mutation ($id: ID!) { deleteParty(id: $id) }',
        () => ({ id: partyId }),
        'delete',
        () => `/parties/${partyId}`,
      ],
      [
        'guest',
        'query ($id: ID!) { party(id: $id) { guests { totalCount } } }',
        () => ({ id: partyId }),
        'get',
        () => `/parties/${partyId}/guests`,
      ],
      [
        'guest',
        'query ($id: ID!) { party(id: $id) { invitable { totalCount } } }',
        () => ({ id: partyId }),
        'get',
        () => `/parties/${partyId}/invitable`,
      ],
      [
        'guest',
        'query ($u: ID!) { parties(userId: $u) { totalCount } }',
        () => ({ u: hostId }),
        'get',
        () => `/users/${hostId}/parties`,
      ],
      [
        'outsider',
        'query ($id: ID!) { invite(id: $id) { id } }',
        () => ({ id: inviteId }),
        'get',
        () => `/invites/${inviteId}`,
      ],
      [
        'host',
        'mutation ($id: ID!) { confirmInvite(id: $id) { id } }',
        () => ({ id: inviteId }),
        'post',
        () => `/invites/${inviteId}/confirm`,
      ],
      [
        'host',
        'mutation ($id: ID!) { updateInvite(id: $id, input: { plusOnes: 2 }) { id } }',
        () => ({ id: inviteId }),
        'patch',
        () => `/invites/${inviteId}`,
      ],
      [
        'guest',
        'mutation ($id: ID!) { checkInInvite(id: $id) { id } }',
        () => ({ id: inviteId }),
        'post',
        () => `/invites/${inviteId}/check-in`,
      ],
      [
        'outsider',
        'mutation ($id: ID!) { cancelInvite(id: $id) { id } }',
        () => ({ id: inviteId }),
        'post',
        () => `/invites/${inviteId}/cancel`,
      ],
      [
        'outsider',
        'query ($id: ID!) { group(id: $id) { id } }',
        () => ({ id: groupId }),
        'get',
        () => `/groups/${groupId}`,
      ],
      [
        'guest',
        'query ($id: ID!) { group(id: $id) { members { totalCount } } }',
        () => ({ id: groupId }),
        'get',
        () => `/groups/${groupId}/members`,
      ],
      [
        'guest',
        'mutation ($id: ID!) { rotateGroupJoinCode(id: $id) }',
        () => ({ id: groupId }),
        'post',
        () => `/groups/${groupId}/join-code`,
      ],
    ];

  it.each(cases)('%s: %s answers as REST does', async (who, query, variables, method, path) => {
    const rest = await (
      t.http as unknown as Record<string, (url: string) => import('supertest').Test>
    )[method]!(`/api/v1${path()}`)
      .set('Authorization', auth[who])
      .send(method === 'patch' ? { flat: 'Mine now', plusOnes: 2 } : undefined);
    expect([403, 404]).toContain(rest.status);
    const res = await gql(t, query, variables(), auth[who]);
    expect(res.errors?.[0]?.extensions.code).toBe(CODES[rest.status]);
  });

  it('lets the rightful callers through, and the refused calls changed nothing', async () => {
    const { party } = await gqlOk(
      t,
      'query ($id: ID!) { party(id: $id) { flat guests { totalCount } } }',
      { id: partyId },
      auth.host,
    );
    expect(party).toEqual({ flat: 'Flat 9', guests: { totalCount: 1 } });
    const { invite } = await gqlOk(
      t,
      'query ($id: ID!) { invite(id: $id) { status plusOnes } }',
      { id: inviteId },
      auth.guest,
    );
    expect(invite).toEqual({ status: 'INVITED', plusOnes: 0 });
    const { group } = await gqlOk(
      t,
      'query ($id: ID!) { group(id: $id) { members { totalCount } } }',
      { id: groupId },
      auth.host,
    );
    expect(group.members.totalCount).toBe(2);
  });

  it('refuses an id that is no UUID before any lookup, as the argument pipe does', async () => {
    const res = await gql(t, '{ invite(id: "42") { id } }', {}, auth.guest);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ field: 'id', message: 'id must be a UUID' }],
    });
  });
});
