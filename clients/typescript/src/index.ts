/**
 * The Porch API client: openapi-fetch over the types openapi-typescript generates from the
 * committed openapi.json (`npm run client` at the repository root rewrites `schema.d.ts`).
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
export type { Middleware } from 'openapi-fetch';

/** Every named schema of the API, e.g. `Schemas['PartyResponseDto']`. */
export type Schemas = components['schemas'];
/** The body of every `application/problem+json` error (RFC 9457). */
export type Problem = Schemas['ProblemDetails'];
/** One entry of a problem's `errors`. */
export type FieldError = Schemas['FieldError'];
/** `/auth/token` errors are RFC 6749 §5.2 JSON, not problem+json. */
export type OAuthError = Schemas['OAuthErrorDto'];
/** What `/auth/signup` (as `token`), `/auth/login` and `/auth/token` answer. */
export type TokenPair = Schemas['TokenPairDto'];

export type PorchClient = Client<paths>;

/** A token, none, or a promise of either: read from secure storage, refreshed, etc. */
export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

export interface PorchClientOptions {
  /** The server's origin, e.g. `https://porch.example`; paths carry their `/api/v1` prefix. */
  baseUrl: string;
  /** A fetch of your own (tests, instrumentation); defaults to `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Called before each request; its token goes out as `Authorization: Bearer …`. */
  getToken?: TokenSource;
}

/** Middleware that sets `Authorization: Bearer <token>` unless the request already has one. */
export function bearerAuth(getToken: TokenSource): Middleware {
  return {
    async onRequest({ request }) {
      if (request.headers.has('Authorization')) return undefined;
      const token = await getToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
}

/** A typed client for every operation in the OpenAPI document. */
export function createPorchClient({ baseUrl, fetch, getToken }: PorchClientOptions): PorchClient {
  const client = createClient<paths>({ baseUrl, fetch });
  if (getToken) client.use(bearerAuth(getToken));
  return client;
}

/** Whether an error body is problem+json (the shape every error but `/auth/token`'s takes). */
export function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const { type, title, status } = body as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string' && typeof status === 'number';
}
