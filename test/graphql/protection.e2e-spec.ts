import { createHash } from 'node:crypto';
import { bearer, createUser } from '../utils/factories.js';
import { createParty, createInvite } from '../utils/party-factories.js';
import { startRedis, type OwnRedis } from '../utils/redis-server.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const gql = (t: TestApp, token: string | undefined, body: object) => {
  const req = t.http.post('/graphql').set('Content-Type', 'application/json');
  if (token) req.set('Authorization', token);
  return req.send(body);
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('GraphQL protection: depth and cost limits, cost rate limit', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({
      env: { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COST: '1000', GRAPHQL_COST_PER_MINUTE: '100000' },
    });
    const host = await createUser(t);
    const guest = await createUser(t);
    const party = await createParty(t, { host });
    await createInvite(t, { party, guest });
    token = await bearer(t, guest);
  });
  afterAll(() => t?.close());

  it('runs a query within the limits', async () => {
    const res = await gql(t, token, {
      query: '{ invites(first: 5) { totalCount edges { node { id party { host { id } } } } } }',
    }).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.invites.totalCount).toBe(1);
  });

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH before it runs, naming the limit', async () => {
    // invites › edges › node › party › host › id = 6: allowed; one more level is not.
    const ok = await gql(t, token, {
      query: '{ invites { edges { node { party { host { id } } } } } }',
    });
    expect(ok.body.errors).toBeUndefined();
    // …party › guests › edges › node › id: 8.
    const deep = await gql(t, token, {
      query:
        '{ invites { edges { node { party { host { id } guests { edges { node { id } } } } } } } }',
    }).expect(400);
    expect(deep.body.data).toBeUndefined();
    expect(deep.body.errors).toEqual([
      expect.objectContaining({
        message: 'The operation is nested deeper than the limit of 6',
        extensions: expect.objectContaining({ code: 'QUERY_TOO_DEEP', limit: 6, depth: 8 }),
      }),
    ]);
  });

  it('counts depth through fragments', async () => {
    const res = await gql(t, token, {
      query: `{ invites { ...I } }
        fragment I on InviteConnection { edges { node { party { ...P } } } }
        fragment P on Party { host { id } guests { edges { node { id } } } }`,
    }).expect(400);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 8 });
  });

  it('refuses a query costing more than GRAPHQL_MAX_COST, `first` multiplying its selection', async () => {
    const query = (first: number) =>
      `{ invites(first: ${first}) { edges { node { id status party { id flat host { id name } } guest { id name } } } } }`;
    const cheap = await gql(t, token, { query: query(10) });
    expect(cheap.body.errors).toBeUndefined();
    const costly = await gql(t, token, { query: query(100) }).expect(400);
    expect(costly.body.errors).toHaveLength(1);
    const { extensions } = costly.body.errors[0];
    expect(extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 1000 });
    expect(extensions.cost).toBeGreaterThan(1000);
    expect(costly.body.errors[0].message).toBe(
      `The operation costs ${extensions.cost}, more than the limit of 1000`,
    );
    // The same through a variable. A document's cost is measured once per set of variables
    // (and remembered): the same text with a cheap, a costly, then the cheap value again.
    const byVariable = (n: number) =>
      gql(t, token, {
        query: `query($n: Int) { invites(first: $n) { edges { node { id status party { id flat host { id name } } guest { id name } } } } }`,
        variables: { n },
      });
    expect((await byVariable(10).expect(200)).body.errors).toBeUndefined();
    const viaVariable = await byVariable(100).expect(400);
    expect(viaVariable.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      cost: extensions.cost,
    });
    expect((await byVariable(10).expect(200)).body.errors).toBeUndefined();
    expect((await byVariable(100).expect(400)).body.errors[0].extensions.cost).toBe(
      extensions.cost,
    );
  });

  it('refuses a very wide query (aliases)', async () => {
    const fields = Array.from({ length: 1100 }, (_, i) => `a${i}: __typename me${i}: me { id }`);
    const res = await gql(t, token, { query: `{ ${fields.join(' ')} }` }).expect(400);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });
});

describe('GraphQL cost rate limit (GRAPHQL_COST_PER_MINUTE)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ env: { GRAPHQL_COST_PER_MINUTE: '50' } });
  });
  afterAll(() => t?.close());

  it('answers TOO_MANY_REQUESTS with Retry-After once a user has spent the minute, per user', async () => {
    const one = await bearer(t, await createUser(t));
    const two = await bearer(t, await createUser(t));
    // Costs 4 a time: the 13th within the minute is over 50.
    const query = '{ me { id name email } }';
    let refused;
    for (let i = 0; i < 30 && !refused; i++) {
      const res = await gql(t, one, { query });
      if (res.status === 429) refused = res;
      else expect(res.body.errors).toBeUndefined();
    }
    expect(refused).toBeDefined();
    const retryAfter = Number(refused!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused!.body.errors[0].extensions).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      limit: 50,
      retryAfter,
    });
    expect(refused!.body.data).toBeUndefined();
    // Another user has a budget of their own.
    const other = await gql(t, two, { query }).expect(200);
    expect(other.body.errors).toBeUndefined();
  });

  it('counts anonymous callers per IP', async () => {
    let status = 0;
    for (let i = 0; i < 60 && status !== 429; i++)
      status = (await gql(t, undefined, { query: '{ __typename }' })).status;
    expect(status).toBe(429);
  });
});

describe('automatic persisted queries', () => {
  let redis: OwnRedis | undefined;
  let a: TestApp;
  let b: TestApp;
  let token: string;

  beforeAll(async () => {
    redis = await startRedis();
    const env: Record<string, string> = redis ? { REDIS_URL: redis.url } : {};
    a = await createTestApp({ env });
    b = await createTestApp({ databaseUrl: a.databaseUrl, env });
    token = await bearer(a, await createUser(a));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.stop();
  });

  const query = '{ me { id email } }';
  const persisted = (hash: string) => ({
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  });

  it('asks for the query once, then runs it by its hash (on every instance, with Redis)', async () => {
    const hash = sha256(query);
    const miss = await gql(a, token, persisted(hash)).expect(200);
    expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await gql(a, token, { query, ...persisted(hash) }).expect(200);
    expect(registered.body.errors).toBeUndefined();
    const hit = await gql(a, token, persisted(hash)).expect(200);
    expect(hit.body).toEqual(registered.body);
    if (!redis) return console.warn('no redis-server: the cross-instance part is skipped');
    const elsewhere = await gql(b, token, persisted(hash)).expect(200);
    expect(elsewhere.body).toEqual(registered.body);
  });

  it('refuses a query whose hash does not match', async () => {
    const res = await gql(a, token, { query, ...persisted(sha256('something else')) }).expect(400);
    expect(res.body.errors[0].message).toBe('provided sha does not match query');
  });

  it('runs a persisted query by GET too', async () => {
    const hash = sha256(query);
    await gql(a, token, { query, ...persisted(hash) }).expect(200);
    const res = await a.http
      .get('/graphql')
      .query({ extensions: JSON.stringify(persisted(hash).extensions) })
      .set('Authorization', token)
      .set('apollo-require-preflight', 'true')
      .expect(200);
    expect(res.body.data.me.id).toBeDefined();
  });
});

describe('GraphQL in production: introspection off unless enabled; CSRF prevention', () => {
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'protection-test-session-secret-0123456789abcdef',
    ADMIN_JS_SKIP_BUNDLE: 'true',
    DEMO_DATA: 'false',
  };
  const introspect = { query: '{ __schema { queryType { name } } }' };

  it('refuses introspection by default, answers it with GRAPHQL_INTROSPECTION=true', async () => {
    const off = await createTestApp({ env: production });
    try {
      const res = await gql(off, undefined, introspect).expect(400);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors[0].message).toMatch(/introspection/i);
      // No explorer page either.
      const page = await off.http.get('/graphql').set('Accept', 'text/html');
      expect(page.text).not.toMatch(/GraphiQL|graphiql/);
    } finally {
      await off.close();
    }
    const on = await createTestApp({ env: { ...production, GRAPHQL_INTROSPECTION: 'true' } });
    try {
      const res = await gql(on, undefined, introspect).expect(200);
      expect(res.body.data.__schema.queryType.name).toBe('Query');
    } finally {
      await on.close();
    }
  });

  it('refuses a multipart request without a preflight header (a "simple" cross-site form post)', async () => {
    const t = await createTestApp();
    try {
      const operations = JSON.stringify({ query: '{ __typename }' });
      const res = await t.http
        .post('/graphql')
        .field('operations', operations)
        .field('map', '{}')
        .expect(400);
      expect(res.text).toMatch(/CSRF|preflight/i);
      // The same with the header is a GraphQL request like any other.
      const ok = await t.http
        .post('/graphql')
        .set('apollo-require-preflight', 'true')
        .field('operations', operations)
        .field('map', '{}')
        .expect(200);
      expect(ok.body.data.__typename).toBe('Query');
    } finally {
      await t.close();
    }
  });
});
