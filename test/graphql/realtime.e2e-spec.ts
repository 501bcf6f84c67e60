import type { AddressInfo, Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { createTestDatabase } from '../utils/database.js';
import { SERVER_MAIN, serverBuilt, startServer } from '../utils/server-process.js';
import { bearer, createUser } from '../utils/factories.js';
import { createParty } from '../utils/party-factories.js';
import { startRedis, type OwnRedis } from '../utils/redis-server.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const RECEIVED = 'subscription { inviteReceived { id status party { id } guest { id } } }';
const CHANGED = 'subscription { inviteChanged { id status party { id } guest { id } } }';

type Payload = { data?: Record<string, { id: string; status: string } | null>; errors?: unknown[] };

/** One subscription: what it has received so far, and a way to wait for the next one. */
class Feed {
  readonly received: Payload[] = [];
  private waiters: (() => void)[] = [];
  closed?: { code: number; reason: string };
  readonly done: Promise<void>;

  constructor(client: Client, query: string) {
    this.done = new Promise<void>((resolve) => {
      client.subscribe<Payload['data']>(
        { query },
        {
          next: (value) => {
            this.received.push(value as Payload);
            for (const wake of this.waiters.splice(0)) wake();
          },
          error: (error) => {
            const e = error as { code?: number; reason?: string };
            this.closed = { code: e.code ?? 0, reason: e.reason ?? String(error) };
            for (const wake of this.waiters.splice(0)) wake();
            resolve();
          },
          complete: () => resolve(),
        },
      );
    });
  }

  /** Waits until `count` payloads have arrived (or fails after `ms`). */
  async next(count: number, ms = 5_000): Promise<Payload[]> {
    const deadline = Date.now() + ms;
    while (this.received.length < count) {
      if (this.closed) throw new Error(`closed ${this.closed.code} ${this.closed.reason}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.received.length} of ${count} events after ${ms} ms`);
      await Promise.race([new Promise<void>((r) => this.waiters.push(r)), sleep(left)]);
    }
    return this.received;
  }
}

const wsUrl = (t: TestApp) =>
  `ws://127.0.0.1:${((t.app.getHttpServer() as Server).address() as AddressInfo).port}/graphql`;

function connect(t: TestApp, authorization?: string): Client {
  return createClient({
    url: wsUrl(t),
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
}

/** The close a socket gets after its `connection_init` (graphql-transport-ws, by hand). */
function refusal(t: TestApp, payload: Record<string, unknown>) {
  return new Promise<{ code: number; reason: string }>((resolve, reject) => {
    const socket = new WebSocket(wsUrl(t), 'graphql-transport-ws');
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.once('message', (data) => reject(new Error(`accepted: ${String(data)}`)));
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    socket.once('error', reject);
  });
}

/**
 * GraphQL subscriptions (graphql-ws on /graphql) fanned out across instances: two apps on one
 * database, a client subscribed on B, the invite created or moved through A (REST) — by Redis
 * pub/sub with REDIS_URL, by PostgreSQL LISTEN/NOTIFY without.
 */
describe.each([
  ['PostgreSQL LISTEN/NOTIFY', false],
  ['Redis pub/sub', true],
])('invite subscriptions across two instances (%s)', (_name, useRedis) => {
  let redis: OwnRedis | undefined;
  let drop: () => Promise<void>;
  let a: TestApp;
  let b: TestApp;
  const clients: Client[] = [];
  let skipped = false;

  beforeAll(async () => {
    const env: Record<string, string> = { LOG_LEVEL: 'warn', GRAPHQL_MAX_DEPTH: '5' };
    if (useRedis) {
      redis = await startRedis();
      if (!redis) {
        skipped = true;
        console.warn('skipped: no redis-server installed');
        return;
      }
      env.REDIS_URL = redis.url;
    }
    const db = await createTestDatabase();
    drop = db.drop;
    a = await createTestApp({ databaseUrl: db.url, env });
    b = await createTestApp({ databaseUrl: db.url, env });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await a?.close();
    await b?.close();
    await drop?.();
    await redis?.stop();
  });

  const client = (t: TestApp, authorization?: string) => {
    const c = connect(t, authorization);
    clients.push(c);
    return c;
  };
  /** A subscription is live on the server a moment after it is sent (no acknowledgement). */
  const settle = () => sleep(500);

  it('delivers an invite created on A to its guest subscribed on B, and to no one else', async () => {
    if (skipped) return;
    const host = await createUser(a);
    const guest = await createUser(a);
    const other = await createUser(a);
    const party = await createParty(a, { host });
    const guestFeed = new Feed(client(b, await bearer(b, guest)), RECEIVED);
    const otherFeed = new Feed(client(b, await bearer(b, other)), RECEIVED);
    const hostFeed = new Feed(client(b, await bearer(b, host)), RECEIVED);
    await settle();

    const created = await a.http
      .post('/api/v1/invites')
      .set('Authorization', await bearer(a, host))
      .send({ partyId: party.id, guestId: guest.id })
      .expect(201);

    const [event] = await guestFeed.next(1);
    expect(event.errors).toBeUndefined();
    expect(event.data!.inviteReceived).toMatchObject({
      id: created.body.id,
      status: 'INVITED',
      party: { id: party.id },
      guest: { id: guest.id },
    });
    await sleep(300);
    expect(otherFeed.received).toEqual([]);
    expect(hostFeed.received).toEqual([]);
  });

  it('delivers each move of an invite to its guest and its host, and to no one else', async () => {
    if (skipped) return;
    const host = await createUser(a);
    const guest = await createUser(a);
    const other = await createUser(a);
    const party = await createParty(a, { host });
    const hostToken = await bearer(a, host);
    const guestToken = await bearer(a, guest);
    const created = await a.http
      .post('/api/v1/invites')
      .set('Authorization', hostToken)
      .send({ partyId: party.id, guestId: guest.id })
      .expect(201);
    const guestFeed = new Feed(client(b, guestToken), CHANGED);
    const hostFeed = new Feed(client(b, hostToken), CHANGED);
    const otherFeed = new Feed(client(b, await bearer(b, other)), CHANGED);
    await settle();

    await a.http
      .post(`/api/v1/invites/${created.body.id}/confirm`)
      .set('Authorization', guestToken)
      .expect(200);
    for (const feed of [guestFeed, hostFeed]) {
      const [event] = await feed.next(1);
      expect(event.data!.inviteChanged).toMatchObject({ id: created.body.id, status: 'CONFIRMED' });
    }
    await a.http
      .post(`/api/v1/invites/${created.body.id}/cancel`)
      .set('Authorization', hostToken)
      .expect(200);
    for (const feed of [guestFeed, hostFeed]) {
      const events = await feed.next(2);
      expect(events[1].data!.inviteChanged).toMatchObject({ status: 'CANCELED' });
    }
    await sleep(300);
    expect(otherFeed.received).toEqual([]);
  });

  it('reads each event afresh: a party changed between two events is not served from the first', async () => {
    if (skipped) return;
    const host = await createUser(a);
    const guest = await createUser(a);
    const party = await createParty(a, { host });
    const hostToken = await bearer(a, host);
    const guestToken = await bearer(a, guest);
    const created = await a.http
      .post('/api/v1/invites')
      .set('Authorization', hostToken)
      .send({ partyId: party.id, guestId: guest.id })
      .expect(201);
    // `description` is not in the invite's summary of its party: the party loader reads it.
    const feed = new Feed(
      client(b, guestToken),
      'subscription { inviteChanged { id status party { id description } } }',
    );
    await settle();
    const describe = (description: string) =>
      a.http
        .patch(`/api/v1/parties/${party.id}`)
        .set('Authorization', hostToken)
        .send({ description })
        .expect(200);
    await describe('Before the first event');
    await a.http
      .post(`/api/v1/invites/${created.body.id}/confirm`)
      .set('Authorization', guestToken)
      .expect(200);
    const [first] = await feed.next(1);
    expect(first.data!.inviteChanged).toMatchObject({
      status: 'CONFIRMED',
      party: { description: 'Before the first event' },
    });
    await describe('Changed since');
    await a.http
      .post(`/api/v1/invites/${created.body.id}/cancel`)
      .set('Authorization', guestToken)
      .expect(200);
    const events = await feed.next(2);
    expect(events[1].data!.inviteChanged).toMatchObject({
      status: 'CANCELED',
      party: { description: 'Changed since' },
    });
  });

  it('delivers an invite created through the GraphQL mutation on A', async () => {
    if (skipped) return;
    const host = await createUser(a);
    const guest = await createUser(a);
    const party = await createParty(a, { host });
    const feed = new Feed(client(b, await bearer(b, guest)), RECEIVED);
    await settle();
    const created = await a.http
      .post('/graphql')
      .set('Authorization', await bearer(a, host))
      .send({
        query: 'mutation($input: CreateInviteInput!) { createInvite(input: $input) { id } }',
        variables: { input: { partyId: party.id, guestId: guest.id } },
      })
      .expect(200);
    expect(created.body.errors).toBeUndefined();
    const [event] = await feed.next(1);
    expect(event.data!.inviteReceived).toMatchObject({
      id: created.body.data.createInvite.id,
      guest: { id: guest.id },
    });
  });

  it('applies the depth limit to subscriptions too', async () => {
    if (skipped) return;
    const guest = await createUser(a);
    const deep =
      'subscription { inviteReceived { party { host { id } guests { edges { node { guest { id } } } } } } }';
    const feed = new Feed(client(b, await bearer(b, guest)), deep);
    await feed.done;
    expect(feed.received).toEqual([
      {
        errors: [
          expect.objectContaining({
            message: 'The operation is nested deeper than the limit of 5',
            extensions: { code: 'QUERY_TOO_DEEP', limit: 5, depth: 7 },
          }),
        ],
      },
    ]);
  });

  it('refuses a connection without a token or with a bad one', async () => {
    if (skipped) return;
    expect(await refusal(b, {})).toEqual({ code: 4403, reason: 'Forbidden' });
    expect(await refusal(b, { authorization: 'Bearer not-a-token' })).toEqual({
      code: 4403,
      reason: 'Forbidden',
    });
    // A good token is acknowledged (the same exchange, so the refusals above are the token's).
    const user = await createUser(a);
    const token = (await bearer(a, user)).slice('Bearer '.length);
    await expect(refusal(b, { authorization: `Bearer ${token}` })).rejects.toThrow(
      /accepted: .*connection_ack/,
    );
  });

  it('closes the subscription when its token has been revoked (log-out) by the next event', async () => {
    if (skipped) return;
    const host = await createUser(a);
    const guest = await createUser(a);
    const party = await createParty(a, { host });
    const guestToken = await bearer(a, guest);
    const feed = new Feed(client(b, guestToken), RECEIVED);
    await settle();
    await a.http.post('/api/v1/auth/logout').set('Authorization', guestToken).expect(204);
    await a.http
      .post('/api/v1/invites')
      .set('Authorization', await bearer(a, host))
      .send({ partyId: party.id, guestId: guest.id })
      .expect(201);
    await feed.done;
    expect(feed.received).toEqual([]);
    expect(feed.closed).toMatchObject({ code: 4403 });
  });
});

/** SIGTERM: the subscription sockets are closed (1001) when the listener closes, and the process exits at once. */
describe('graceful stop with open subscriptions', () => {
  it('closes the sockets with 1001 and exits 0 well before the deadline', async () => {
    if (!serverBuilt) return console.warn(`skipped: ${SERVER_MAIN} is missing`);
    const t = await createTestApp();
    try {
      const user = await createUser(t);
      const server = await startServer({
        DATABASE_URL: t.databaseUrl,
        MIGRATE_ON_START: 'false',
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
        SHUTDOWN_DRAIN_MS: '300',
        SHUTDOWN_TIMEOUT_MS: '20000',
      });
      const c = createClient({
        url: `${server.base.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: await bearer(t, user) },
        retryAttempts: 0,
      });
      const feed = new Feed(c, RECEIVED);
      await sleep(500);
      const started = Date.now();
      const code = await server.stop();
      await feed.done;
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(feed.closed).toMatchObject({ code: 1001 });
      await c.dispose();
    } finally {
      await t.close();
    }
  });
});
