import { randomUUID } from 'node:crypto';
import { codeFor } from '#porch/graphql';
import { InviteStatus } from '#porch/parties';
import { GIF, PNG } from '../utils/accounts-factories.js';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty, hoursFromNow } from '../utils/party-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { gql, gqlOk, type GqlResponse } from './graphql-client.js';

/** Errors as GraphQL errors whose extensions mirror REST's problems; never a stack or SQL. */
describe('GraphQL: errors', () => {
  let t: TestApp;
  let host: string;
  let guest: string;
  let guestId: string;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '2' } });
    const h = await createUser(t);
    const g = await createUser(t);
    host = await bearer(t, h);
    guest = await bearer(t, g);
    guestId = g.id;
  });
  afterAll(() => t.close());

  const first = (res: GqlResponse) => {
    expect(res.errors).toHaveLength(1);
    return res.errors![0]!;
  };

  const CREATE_PARTY = `mutation ($input: CreatePartyInput!) { createParty(input: $input) { id } }`;

  it('BAD_USER_INPUT carries the same field errors and messages as REST', async () => {
    const input = {
      flat: ' ',
      firstEntry: 'tomorrow',
      postalCode: '12345',
      description: 'x'.repeat(5001),
    };
    const rest = await t.http
      .post('/api/v1/parties')
      .set('Authorization', host)
      .send(input)
      .expect(400);
    const error = first(await gql(t, CREATE_PARTY, { input }, host));
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      status: 400,
      type: 'https://porch.dev/problems/validation',
    });
    expect(error.extensions.errors).toEqual(rest.body.errors);
    expect(error.message).toBe(rest.body.detail);
    // Sign-up: the same password rules and email checks as REST's.
    const signup = { email: 'not-an-email', password: 'x', name: '' };
    const restSignup = await t.http.post('/api/v1/auth/signup').send(signup).expect(400);
    const gqlSignup = first(
      await gql(t, 'mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }', {
        input: signup,
      }),
    );
    expect(gqlSignup.extensions.code).toBe('BAD_USER_INPUT');
    expect(gqlSignup.extensions.errors).toEqual(restSignup.body.errors);
  });

  it('BAD_USER_INPUT for a page size past the limit, a made-up cursor, an id that is no UUID, NUL', async () => {
    const tooMany = first(await gql(t, '{ invites(first: 101) { totalCount } }', {}, guest));
    expect(tooMany.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ field: 'first', message: 'first must not be greater than 100' }],
    });
    for (const after of ['bm90LWEtY3Vyc29y', 'x', Buffer.from('porch:-1').toString('base64url')]) {
      const bad = first(
        await gql(
          t,
          'query ($a: String) { invites(after: $a) { totalCount } }',
          { a: after },
          guest,
        ),
      );
      expect(bad.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        errors: [{ field: 'after', message: 'after must be a cursor from this list' }],
      });
    }
    const id = first(await gql(t, '{ party(id: "42") { id } }', {}, guest));
    expect(id.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ field: 'id', message: 'id must be a UUID' }],
    });
    const nul = first(
      await gql(
        t,
        CREATE_PARTY,
        { input: { flat: 'a\u0000b', firstEntry: hoursFromNow(1).toISOString() } },
        host,
      ),
    );
    expect(nul.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ field: 'input.flat', message: 'Null characters are not allowed.' }],
    });
  });

  it('cursors page through a list, opaque', async () => {
    const h = await createUser(t);
    const party = await createParty(t, { host: h });
    const other = await createUser(t);
    const p2 = await createParty(t, { host: other, firstEntry: hoursFromNow(30) });
    await createInvite(t, { party, guest: { id: guestId } });
    await createInvite(t, { party: p2, guest: { id: guestId } });
    const Q =
      'query ($a: String) { invites(first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }';
    const one = (await gqlOk(t, Q, {}, guest)).invites;
    expect(one.totalCount).toBe(2);
    expect(one.pageInfo.hasNextPage).toBe(true);
    expect(one.pageInfo.endCursor).not.toMatch(/^\d+$|porch/);
    const two = (await gqlOk(t, Q, { a: one.pageInfo.endCursor }, guest)).invites;
    expect(two.pageInfo.hasNextPage).toBe(false);
    expect(two.nodes[0].id).not.toBe(one.nodes[0].id);
  });

  it('UNAUTHENTICATED, FORBIDDEN, NOT_FOUND and CONFLICT as REST answers 401, 403, 404 and 409', async () => {
    const h = await createUser(t);
    const hostAuth = await bearer(t, h);
    const party = await createParty(t, { host: h, firstEntry: hoursFromNow(48) });
    const invite = await createInvite(t, {
      party,
      guest: { id: guestId },
      status: InviteStatus.Confirmed,
    });
    const noToken = first(await gql(t, 'mutation { logOut }'));
    expect(noToken).toMatchObject({
      message: 'A bearer token is required',
      extensions: { code: 'UNAUTHENTICATED', status: 401 },
    });
    // The guest may not check in; the host may not confirm (403, the transition rule's message).
    const CHECK_IN = 'mutation ($id: ID!) { checkInInvite(id: $id) { status } }';
    const forbidden = first(await gql(t, CHECK_IN, { id: invite.id }, guest));
    const restForbidden = await t.http
      .post(`/api/v1/invites/${invite.id}/check-in`)
      .set('Authorization', guest);
    expect(forbidden).toMatchObject({
      message: restForbidden.body.detail,
      extensions: { code: 'FORBIDDEN', status: 403 },
    });
    const unknown = first(
      await gql(t, 'query ($id: ID!) { party(id: $id) { id } }', { id: randomUUID() }, guest),
    );
    expect(unknown).toMatchObject({
      message: 'No such party',
      path: ['party'],
      extensions: { code: 'NOT_FOUND', status: 404 },
    });
    // Someone else's party: 404, its existence not leaked.
    const hidden = first(
      await gql(t, 'query ($id: ID!) { party(id: $id) { id } }', { id: party.id }, host),
    );
    expect(hidden.extensions.code).toBe('NOT_FOUND');
    const again = first(
      await gql(
        t,
        'mutation ($id: ID!) { confirmInvite(id: $id) { id } }',
        { id: invite.id },
        guest,
      ),
    );
    expect(again).toMatchObject({
      message: 'Cannot confirm an invite that is confirmed',
      extensions: { code: 'CONFLICT', status: 409, currentStatus: 'confirmed' },
    });
    // The second live party of a host.
    const second = first(
      await gql(
        t,
        CREATE_PARTY,
        { input: { flat: 'B', firstEntry: hoursFromNow(50).toISOString() } },
        hostAuth,
      ),
    );
    expect(second.extensions).toMatchObject({ code: 'CONFLICT', partyId: party.id });
  });

  it('TOO_MANY_REQUESTS with retryAfter, from the same login throttle as REST', async () => {
    const user = await createUser(t);
    const LOG_IN = 'mutation ($input: LogInInput!) { logIn(input: $input) { access_token } }';
    const wrong = { input: { email: user.email, password: 'wrong-password' } };
    for (let i = 0; i < 2; i++)
      expect(first(await gql(t, LOG_IN, wrong))).toMatchObject({
        message: 'Invalid email or password',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    const limited = first(await gql(t, LOG_IN, wrong));
    expect(limited.extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
    expect(limited.extensions.retryAfter).toBeGreaterThan(0);
    // REST counts against the same budget.
    await t.http.post('/api/v1/auth/login').send(wrong.input).expect(429);
  });

  it('an unexpected database error is a bare INTERNAL_SERVER_ERROR: no SQL, no stack', async () => {
    const h = await createUser(t);
    const auth = await bearer(t, h);
    // Force a failure PostgreSQL reports with the statement's details.
    await t
      .em()
      .getConnection()
      .execute(
        "alter table parties add constraint gql_forced_failure check (flat <> 'boom') not valid",
      );
    try {
      const res = await t.http
        .post('/graphql')
        .set('Authorization', auth)
        .send({
          query: CREATE_PARTY,
          variables: { input: { flat: 'boom', firstEntry: hoursFromNow(2).toISOString() } },
        });
      const text = JSON.stringify(res.body);
      expect(res.body.errors[0]).toEqual({
        message: 'Something went wrong on our side; it has been logged.',
        locations: expect.any(Array),
        path: ['createParty'],
        extensions: {
          code: 'INTERNAL_SERVER_ERROR',
          status: 500,
          type: 'https://porch.dev/problems/internal',
        },
      });
      for (const leak of ['insert', 'parties', 'gql_forced_failure', 'stack', '.ts:', 'at '])
        expect(text).not.toContain(leak);
    } finally {
      await t
        .em()
        .getConnection()
        .execute('alter table parties drop constraint gql_forced_failure');
    }
    // GraphQL's own errors (a syntax error) carry no stack either.
    const syntax = await t.http.post('/graphql').send({ query: '{ me { id ' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
  });

  it('setPhoto: a GraphQL multipart upload; type checked as REST; CSRF-safe', async () => {
    const user = await createUser(t);
    const auth = await bearer(t, user);
    const upload = (file: Buffer, name: string, preflight = true) => {
      const req = t.http.post('/graphql').set('Authorization', auth);
      if (preflight) req.set('apollo-require-preflight', 'true');
      return req
        .field(
          'operations',
          JSON.stringify({
            query: 'mutation ($photo: Upload!) { setPhoto(photo: $photo) { id photoUrl } }',
            variables: { photo: null },
          }),
        )
        .field('map', JSON.stringify({ 0: ['variables.photo'] }))
        .attach('0', file, name);
    };
    const ok = await upload(PNG, 'p.png').expect(200);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.setPhoto.photoUrl).toMatch(
      new RegExp(`/api/v1/users/${user.id}/photo\\?v=`),
    );
    const photo = await t.http
      .get(new URL(ok.body.data.setPhoto.photoUrl).pathname)
      .set('Authorization', auth)
      .expect(200);
    expect(Buffer.compare(photo.body as Buffer, PNG)).toBe(0);
    // A GIF is refused with REST's message.
    const gif = await upload(GIF, 'g.gif').expect(200);
    const rest = await t.http
      .put('/api/v1/users/me/photo')
      .set('Authorization', auth)
      .attach('photo', GIF, 'g.gif');
    expect(rest.status).toBe(422);
    expect(gif.body.errors[0].extensions).toMatchObject({ code: codeFor(422), status: 422 });
    expect(codeFor(422)).toBe('UNPROCESSABLE');
    expect(gif.body.errors[0].message).toBe(rest.body.detail);
    // Without a non-simple header a multipart POST is a possible CSRF: refused, not read.
    const csrf = await upload(PNG, 'p.png', false);
    expect(csrf.status).toBe(400);
    expect(JSON.stringify(csrf.body)).toMatch(/CSRF/i);
    const me = await gqlOk(t, '{ me { photoUrl } }', {}, auth);
    expect(me.me.photoUrl).toBe(ok.body.data.setPhoto.photoUrl);
  });
});
