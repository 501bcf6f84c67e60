import { jest } from '@jest/globals';
import pg from 'pg';
import { bearer, createUser } from '../utils/factories.js';
import { createInvite, createParty } from '../utils/party-factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { gqlOk } from './graphql-client.js';

/** Fields beyond what the invite's row holds: the party, host and guest come from DataLoaders. */
const SCREEN = `query ($first: Int!) {
  invites(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id status
        party { id flat description host { id name department } }
        guest { id name gender }
      }
    }
  }
}`;

/** The Invited screen as REST sends it: all of it is in the invite's row. */
const BRIEF = `query ($first: Int!) {
  invites(first: $first) {
    totalCount
    edges { node { id status party { id flat vibe isLive host { id name photoUrl } } guest { id name photoUrl } } }
  }
}`;

/**
 * DataLoaders: a page of invites with each one's party, the party's host and the guest costs the
 * same few SQL statements whatever the page size. Counted at the PostgreSQL driver (pg's
 * `Client#query`, which both MikroORM's knex connection and the prepared-statement pool use).
 */
describe('GraphQL: batching', () => {
  let t: TestApp;
  let auth: string;
  let statements: string[];
  let spy: jest.SpiedFunction<typeof pg.Client.prototype.query>;

  beforeAll(async () => {
    t = await createTestApp();
    const guest = await createUser(t);
    auth = await bearer(t, guest);
    // 50 parties of 50 hosts (one upcoming party per host), the guest invited to each.
    for (let i = 0; i < 50; i++) {
      const host = await createUser(t);
      const party = await createParty(t, { host, flat: `Flat ${i}` });
      await createInvite(t, { party, guest });
    }
    spy = jest.spyOn(pg.Client.prototype, 'query');
  });
  afterAll(async () => {
    spy.mockRestore();
    await t.close();
  });

  async function run(first: number, query = SCREEN) {
    spy.mockClear();
    const data = await gqlOk(t, query, { first }, auth);
    statements = spy.mock.calls.map(([q]) =>
      typeof q === 'string' ? q : String((q as { text?: string }).text ?? q),
    );
    return data.invites;
  }

  it.each([5, 50])(
    'page size %i: the invites in brief are one statement, the token check aside',
    async (n) => {
      const invites = await run(n, BRIEF);
      expect(invites.edges).toHaveLength(n);
      expect(invites.edges[0].node.party.host.name).toMatch(/^User /);
      expect(statements).toHaveLength(2);
    },
  );

  it.each([5, 50])('page size %i: at most 4 statements, the token check included', async (n) => {
    const invites = await run(n);
    expect(invites.totalCount).toBe(50);
    expect(invites.edges).toHaveLength(n);
    expect(invites.pageInfo.hasNextPage).toBe(n < 50);
    for (const { node } of invites.edges) {
      expect(node.party.host.name).toMatch(/^User /);
      expect(node.guest.name).toMatch(/^User /);
    }
    // The token, the page (with its total), the parties, the users (hosts and guest together).
    expect(statements.length).toBeLessThanOrEqual(4);
    expect(statements).toHaveLength(4);
  });
});
