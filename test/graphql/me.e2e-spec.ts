import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { REPO_ROOT } from '#porch/core';
import { bearer, createUser } from '../utils/factories.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';
import { gql, gqlOk } from './graphql-client.js';

describe('GraphQL: me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers your own profile for your bearer token, as GET /users/me does', async () => {
    const user = await createUser(t);
    const auth = await bearer(t, user);
    const data = await gqlOk(t, '{ me { id email name role isStaff photoUrl } }', {}, auth);
    const rest = await t.http.get('/api/v1/users/me').set('Authorization', auth).expect(200);
    expect(data.me).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
      role: rest.body.role,
      isStaff: false,
      photoUrl: null,
    });
  });

  it('is UNAUTHENTICATED without a token, and with a bad one', async () => {
    const none = await gql(t, '{ me { id } }');
    expect(none.data).toBeNull();
    expect(none.errors?.[0]).toMatchObject({
      message: 'A bearer token is required',
      path: ['me'],
      extensions: { code: 'UNAUTHENTICATED', status: 401 },
    });
    const bad = await gql(t, '{ me { id } }', {}, 'Bearer not-a-token');
    expect(bad.errors?.[0]).toMatchObject({
      message: 'The bearer token is invalid, expired or revoked',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('serves the schema committed in schema.graphql (npm run graphql:schema)', () => {
    const served = printSchema(lexicographicSortSchema(t.app.get(GraphQLSchemaHost).schema));
    expect(served + '\n').toBe(readFileSync(join(REPO_ROOT, 'schema.graphql'), 'utf8'));
  });
});
