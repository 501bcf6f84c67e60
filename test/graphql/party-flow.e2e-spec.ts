import { randomBytes } from 'node:crypto';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { gql, gqlOk } from './graphql-client.js';

const SIGN_UP = `mutation ($input: SignUpInput!) {
  signUp(input: $input) {
    user { id email name role }
    token { access_token refresh_token token_type expires_in }
  }
}`;

/** The party app's whole flow, through GraphQL only. */
describe('GraphQL: the party flow', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function signUp(name: string) {
    const email = `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.test`;
    const data = await gqlOk(t, SIGN_UP, {
      input: { email, password: 'marble-Heron-83-lantern', name },
    });
    expect(data.signUp.user).toMatchObject({ email, name, role: 'guest' });
    expect(data.signUp.token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    return { id: data.signUp.user.id as string, email, auth: '' };
  }

  it('signs up, logs in, hosts, invites, accepts, checks in and lists every screen', async () => {
    const host = await signUp('Hosta');
    const guest = await signUp('Guesta');
    for (const user of [host, guest]) {
      const { logIn } = await gqlOk(
        t,
        'mutation ($input: LogInInput!) { logIn(input: $input) { access_token refresh_token } }',
        { input: { email: user.email.toUpperCase(), password: 'marble-Heron-83-lantern' } },
      );
      user.auth = `Bearer ${logIn.access_token}`;
    }

    // The host's party starts now (check-in needs a live party).
    const { createParty } = await gqlOk(
      t,
      `mutation ($input: CreatePartyInput!) {
        createParty(input: $input) { id flat vibe vibeLabel isLive postalCode host { id name role } }
      }`,
      {
        input: {
          flat: '  Flat 9 ',
          firstEntry: new Date().toISOString(),
          vibe: 'PARTY',
          postalCode: 'm5v 2t6',
        },
      },
      host.auth,
    );
    expect(createParty).toMatchObject({
      flat: 'Flat 9',
      vibe: 'PARTY',
      vibeLabel: '20–30 people',
      isLive: true,
      postalCode: 'M5V 2T6',
      host: { id: host.id, name: 'Hosta', role: 'host' },
    });
    const partyId = createParty.id as string;

    // The host looks the guest up among the invitable users, and invites them.
    const { party: before } = await gqlOk(
      t,
      `query ($id: ID!) { party(id: $id) { invitable(search: "guesta") { totalCount nodes { id } } } }`,
      { id: partyId },
      host.auth,
    );
    expect(before.invitable).toEqual({ totalCount: 1, nodes: [{ id: guest.id }] });
    const { createInvite } = await gqlOk(
      t,
      `mutation ($input: CreateInviteInput!) {
        createInvite(input: $input) { id status plusOnes guest { id name } party { id flat } }
      }`,
      { input: { partyId, guestId: guest.id, plusOnes: 1 } },
      host.auth,
    );
    expect(createInvite).toMatchObject({
      status: 'INVITED',
      plusOnes: 1,
      guest: { id: guest.id, name: 'Guesta' },
      party: { id: partyId, flat: 'Flat 9' },
    });
    const inviteId = createInvite.id as string;

    // The guest's Invited screen, then Confirmed once accepted.
    const SCREEN = `query ($status: InviteStatus) {
      invites(status: $status) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id status party { id flat host { id name } } guest { id } } }
      }
    }`;
    const invited = await gqlOk(t, SCREEN, { status: 'INVITED' }, guest.auth);
    expect(invited.invites.totalCount).toBe(1);
    expect(invited.invites.pageInfo.hasNextPage).toBe(false);
    expect(invited.invites.edges[0].node).toEqual({
      id: inviteId,
      status: 'INVITED',
      party: { id: partyId, flat: 'Flat 9', host: { id: host.id, name: 'Hosta' } },
      guest: { id: guest.id },
    });
    const { confirmInvite } = await gqlOk(
      t,
      'mutation ($id: ID!) { confirmInvite(id: $id) { id status respondedAt } }',
      { id: inviteId },
      guest.auth,
    );
    expect(confirmInvite).toMatchObject({ id: inviteId, status: 'CONFIRMED' });
    expect(confirmInvite.respondedAt).not.toBeNull();
    expect((await gqlOk(t, SCREEN, { status: 'INVITED' }, guest.auth)).invites.totalCount).toBe(0);
    expect((await gqlOk(t, SCREEN, { status: 'CONFIRMED' }, guest.auth)).invites.totalCount).toBe(
      1,
    );

    // The guest changes their plus-ones; the host checks them in.
    const { updateInvite } = await gqlOk(
      t,
      'mutation ($id: ID!) { updateInvite(id: $id, input: { plusOnes: 2 }) { plusOnes } }',
      { id: inviteId },
      guest.auth,
    );
    expect(updateInvite.plusOnes).toBe(2);
    const { checkInInvite } = await gqlOk(
      t,
      'mutation ($id: ID!) { checkInInvite(id: $id) { status } }',
      { id: inviteId },
      host.auth,
    );
    expect(checkInInvite.status).toBe('CHECKED_IN');

    // The host's screens: the party with its guest list and counts; "my parties".
    const { party } = await gqlOk(
      t,
      `query ($id: ID!) {
        party(id: $id) {
          inviteCounts { invited confirmed checked_in }
          guests { totalCount edges { node { id status plusOnes guest { id name role } } } }
        }
      }`,
      { id: partyId },
      host.auth,
    );
    expect(party.inviteCounts).toEqual({ invited: 0, confirmed: 0, checked_in: 1 });
    expect(party.guests).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            id: inviteId,
            status: 'CHECKED_IN',
            plusOnes: 2,
            guest: { id: guest.id, name: 'Guesta', role: 'guest' },
          },
        },
      ],
    });
    const mine = await gqlOk(
      t,
      '{ parties { totalCount nodes { id inviteCounts { checked_in } } } }',
      {},
      host.auth,
    );
    expect(mine.parties).toEqual({
      totalCount: 1,
      nodes: [{ id: partyId, inviteCounts: { checked_in: 1 } }],
    });
    // The guest sees the party (invited to it) but not its guest list (host only).
    const seen = await gql(t, '{ parties { totalCount } }', {}, guest.auth);
    expect(seen.data?.parties).toEqual({ totalCount: 0 });
    const list = await gql(
      t,
      'query ($id: ID!) { party(id: $id) { flat guests { totalCount } } }',
      { id: partyId },
      guest.auth,
    );
    expect(list.errors?.[0]).toMatchObject({
      path: ['party', 'guests'],
      extensions: { code: 'FORBIDDEN', status: 403 },
    });
  });

  it('refreshes a token pair, and logs out', async () => {
    const user = await signUp('Refresha');
    const { logIn } = await gqlOk(
      t,
      'mutation ($input: LogInInput!) { logIn(input: $input) { access_token refresh_token } }',
      { input: { email: user.email, password: 'marble-Heron-83-lantern' } },
    );
    const { refresh } = await gqlOk(
      t,
      'mutation ($r: String!) { refresh(refreshToken: $r) { access_token refresh_token } }',
      { r: logIn.refresh_token },
    );
    expect(refresh.access_token).not.toBe(logIn.access_token);
    const auth = `Bearer ${refresh.access_token}`;
    expect((await gqlOk(t, '{ me { id } }', {}, auth)).me.id).toBe(user.id);
    expect(await gqlOk(t, 'mutation { logOut }', {}, auth)).toEqual({ logOut: true });
    const after = await gql(t, '{ me { id } }', {}, auth);
    expect(after.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    // Refresh tokens are single use (the login's tokens are revoked already).
    const reused = await gql(
      t,
      'mutation ($r: String!) { refresh(refreshToken: $r) { access_token } }',
      { r: logIn.refresh_token },
    );
    expect(reused.errors?.[0]).toMatchObject({
      message: 'The refresh token is invalid, expired, revoked or already used',
      extensions: { code: 'UNAUTHENTICATED', error: 'invalid_grant' },
    });
  });
});
