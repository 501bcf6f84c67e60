import type { AddressInfo } from 'node:net';
import { v7 as uuidv7 } from 'uuid';
import {
  createPorchClient,
  isProblem,
  type OAuthError,
  type PorchClient,
  type Problem,
  type Schemas,
  type TokenPair,
} from '../../clients/typescript/src/index.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const PASSWORD = 'tangerine-Kite-47-orbit';

/**
 * The generated client (clients/typescript) against the real app on a real port. `npm run lint`
 * (tsc over test/) type-checks this file, so types drifting from these calls fail CI. (ts-jest
 * reports no type errors in ESM mode, so the test run alone would not.)
 */
describe('typed TypeScript client (openapi-typescript + openapi-fetch)', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => t.close());

  /** A client whose bearer token is whatever `session.token` holds at each request. */
  const signedIn = (pair: TokenPair) => {
    const session = { token: pair.access_token };
    const client = createPorchClient({ baseUrl, getToken: () => session.token });
    return { client, session };
  };

  const signUp = async (anonymous: PorchClient, name: string) => {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${uuidv7()}@client.test`;
    const { data, error, response } = await anonymous.POST('/api/v1/auth/signup', {
      body: { email, password: PASSWORD, name },
    });
    expect({ status: response.status, error }).toEqual({ status: 201, error: undefined });
    // `token` is null only with REQUIRE_VERIFIED_EMAIL (off here): the type says so, and so
    // must the app.
    const token = data!.token;
    if (!token) throw new Error('sign-up gave no token: the email needs verifying first');
    return { email, ...data!, token };
  };

  it('signs up, logs in, refreshes, and a spent refresh token is a typed OAuth error', async () => {
    const anonymous = createPorchClient({ baseUrl });
    const signup = await signUp(anonymous, 'Ada Client');
    expect(signup.user).toMatchObject({ email: signup.email, name: 'Ada Client', role: 'guest' });
    expect(signup.token.token_type).toBe('Bearer');

    const login = await anonymous.POST('/api/v1/auth/login', {
      body: { email: signup.email, password: PASSWORD },
    });
    expect(login.response.status).toBe(200);
    const pair: TokenPair = login.data!;
    const { client, session } = signedIn(pair);
    const me = await client.GET('/api/v1/users/me');
    expect(me.data?.id).toBe(signup.user.id);

    const refreshed = await client.POST('/api/v1/auth/token', {
      body: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
    });
    expect(refreshed.response.status).toBe(200);
    expect(refreshed.data!.access_token).not.toBe(pair.access_token);
    session.token = refreshed.data!.access_token;
    expect((await client.GET('/api/v1/users/me')).data?.email).toBe(signup.email);

    // Refresh tokens are single-use: the second exchange is an RFC 6749 error, not problem+json.
    const reused = await client.POST('/api/v1/auth/token', {
      body: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
    });
    expect(reused.response.status).toBe(400);
    const oauth = reused.error as OAuthError;
    expect(oauth.error).toBe('invalid_grant');
    expect(isProblem(reused.error)).toBe(false);
  });

  it('host creates a party, invites a guest, the guest confirms; both see it', async () => {
    const anonymous = createPorchClient({ baseUrl });
    const host = signedIn((await signUp(anonymous, 'Hal Host')).token).client;
    const guestSignup = await signUp(anonymous, 'Gia Guest');
    const guest = signedIn(guestSignup.token).client;

    const partyBody: Schemas['CreatePartyDto'] = {
      flat: 'Client 7',
      firstEntry: new Date(Date.now() + 3600_000).toISOString(),
      vibe: 'rager',
    };
    const party = await host.POST('/api/v1/parties', { body: partyBody });
    expect(party.response.status).toBe(201);
    expect(party.data).toMatchObject({ flat: 'Client 7', vibe: 'rager', isLive: false });

    const invite = await host.POST('/api/v1/invites', {
      body: { partyId: party.data!.id, guestId: guestSignup.user.id, plusOnes: 1 },
    });
    expect(invite.response.status).toBe(201);
    expect(invite.data).toMatchObject({ status: 'invited', plusOnes: 1 });

    const confirmed = await guest.POST('/api/v1/invites/{id}/confirm', {
      params: { path: { id: invite.data!.id } },
    });
    expect(confirmed.response.status).toBe(200);
    const status: Schemas['InviteStatus'] = confirmed.data!.status;
    expect(status).toBe('confirmed');

    const guests = await host.GET('/api/v1/parties/{id}/guests', {
      params: { path: { id: party.data!.id }, query: { status: 'confirmed', limit: 10 } },
    });
    expect(guests.data?.count).toBe(1);
    expect(guests.data?.results?.map((entry) => entry.guest.id)).toEqual([guestSignup.user.id]);
    const seen = await guest.GET('/api/v1/parties/{id}', {
      params: { path: { id: party.data!.id } },
    });
    expect(seen.data?.host.name).toBe('Hal Host');
  });

  it('uploads a session (201), and the same upload again is a 200 replay', async () => {
    const anonymous = createPorchClient({ baseUrl });
    const { client } = signedIn((await signUp(anonymous, 'Lea Learner')).token);
    const body: Schemas['CreateSessionDto'] = {
      id: uuidv7(),
      startedAt: '2026-11-22T20:00:00.000Z',
      endedAt: '2026-11-22T20:00:10.000Z',
      appVersion: '2.4.0',
      device: { platform: 'android', model: 'SM-T510', osVersion: '11' },
      tasks: [
        {
          firstNumber: 3,
          secondNumber: 7,
          operator: '+',
          userAnswer: 4,
          answeredAt: '2026-11-22T20:00:02.000Z',
        },
        { firstNumber: 6, secondNumber: 2, operator: '/', userAnswer: null, answeredAt: null },
      ],
      keypresses: [
        { key: '4', at: '2026-11-22T20:00:01.500Z' },
        { key: 'backspace', at: '2026-11-22T20:00:01.700Z' },
        { key: '4', at: '2026-11-22T20:00:01.900Z' },
      ],
    };
    const first = await client.POST('/api/v1/sessions', { body });
    expect({ status: first.response.status, error: first.error }).toEqual({
      status: 201,
      error: undefined,
    });
    expect(first.data).toMatchObject({
      id: body.id,
      durationMs: 10_000,
      taskCount: 2,
      correctCount: 1,
      keypressCount: 3,
      device: { platform: 'android', model: 'SM-T510' },
    });
    const replay = await client.POST('/api/v1/sessions', { body });
    expect(replay.response.status).toBe(200);
    expect(replay.data).toEqual(first.data);
    const stored = await client.GET('/api/v1/sessions/{id}', { params: { path: { id: body.id } } });
    expect(stored.data?.taskCount).toBe(2);
  });

  it('reads 400, 401 and 404 answers as typed problem+json', async () => {
    const anonymous = createPorchClient({ baseUrl });
    const invalid = await anonymous.POST('/api/v1/auth/signup', {
      body: { email: 'not-an-email', password: PASSWORD, name: 'Bad Email' },
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(invalid.data).toBeUndefined();
    const problem: Problem = invalid.error!;
    expect(problem).toMatchObject({ status: 400, type: 'https://porch.dev/problems/validation' });
    expect(problem.errors?.map((e) => e.field)).toContain('email');

    const unauthenticated = await anonymous.GET('/api/v1/users/me');
    expect(unauthenticated.response.status).toBe(401);
    expect(unauthenticated.error?.type).toBe('https://porch.dev/problems/unauthorized');

    const { client } = signedIn((await signUp(anonymous, 'Nia Nobody')).token);
    const missing = await client.GET('/api/v1/parties/{id}', {
      params: { path: { id: '0192f0c4-0000-7000-8000-000000000000' } },
    });
    expect(missing.response.status).toBe(404);
    expect(isProblem(missing.error)).toBe(true);
    expect(missing.error).toMatchObject({ status: 404, title: 'Not found' });
    expect(typeof missing.error?.requestId).toBe('string');
  });
});
