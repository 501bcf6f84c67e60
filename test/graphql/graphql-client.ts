/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are untyped JSON unless the test names a type */
import type { TestApp } from '../utils/test-app.js';

export interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions: { code: string; [key: string]: unknown };
}
export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null | undefined;
  errors: GqlError[] | undefined;
}

/** POSTs one operation to /graphql (JSON), with a bearer header when given. */
export async function gql<T = Record<string, any>>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  auth?: string,
): Promise<GqlResponse<T>> {
  const req = t.http.post('/graphql').set('Content-Type', 'application/json');
  if (auth) req.set('Authorization', auth);
  const res = await req.send({ query, variables });
  const body = res.body as { data?: T | null; errors?: GqlError[] };
  return { status: res.status, data: body.data, errors: body.errors };
}

/** The data of an operation that must succeed (fails the test with its errors otherwise). */
export async function gqlOk<T = Record<string, any>>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  auth?: string,
): Promise<T> {
  const res = await gql<T>(t, query, variables, auth);
  if (res.errors?.length || !res.data)
    throw new Error(`GraphQL errors: ${JSON.stringify(res.errors ?? res)}`);
  return res.data;
}
