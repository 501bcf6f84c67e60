import { createHash } from 'node:crypto';
import { SetMetadata } from '@nestjs/common';
import { stringify } from 'safe-stable-stringify';

/** The request header (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** The replay marker on a stored answer sent again. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** How long a key and its first answer are kept. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/**
 * How long a claimed key waits for its first request: past that, the request is taken to have
 * died with its process (no answer stored, no release) and a retry with the same body may run.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 60;
/** What a retry that arrives while the first request still runs is told to wait. */
export const IDEMPOTENCY_RETRY_AFTER_SECONDS = 1;
/** The answer headers stored with a key and replayed (with the status and the body). */
export const REPLAYED_HEADERS = ['content-type', 'location', 'etag'] as const;

export const NO_IDEMPOTENCY_KEY = 'porch:no-idempotency';
/** Set by `@Idempotent()` (idempotency.interceptor.ts), which also puts the interceptor on. */
export const IDEMPOTENT_KEY = 'porch:idempotent';
/**
 * The OpenAPI extension `@Idempotent()` puts on its operation: the document transform documents
 * the Idempotency-Key header there and only there, then removes the marker.
 */
export const IDEMPOTENT_EXTENSION = 'x-porch-idempotent';

/**
 * A POST or PATCH route that never stores answers under an Idempotency-Key (the header is then
 * ignored and not documented): answers carrying fresh credentials (tokens must only ever be
 * stored hashed), or routes that are idempotent by nature. The opposite of `@Idempotent()`.
 */
export const NoIdempotency = () => SetMetadata(NO_IDEMPOTENCY_KEY, true);

/**
 * The key a header carries, or undefined when it is malformed. The draft makes it a Structured
 * Field string (`"…"`, RFC 8941); a bare token, as most clients send it, is accepted too. Either
 * way: 1–255 printable ASCII characters.
 */
export function parseIdempotencyKey(header: string | string[]): string | undefined {
  if (Array.isArray(header))
    return header.length === 1 ? parseIdempotencyKey(header[0]) : undefined;
  let key = header.trim();
  if (key.length >= 2 && key.startsWith('"') && key.endsWith('"')) {
    const inner = key.slice(1, -1);
    // Inside an sf-string only \" and \\ are escapes; any other \ or " is malformed.
    if (/["\\]/.test(inner.replace(/\\["\\]/g, ''))) return undefined;
    key = inner.replace(/\\(["\\])/g, '$1');
  }
  return /^[\x20-\x7e]{1,255}$/.test(key) ? key : undefined;
}

/**
 * What makes two requests "the same" for one key: method, path with its query, and the body in
 * a canonical form (object keys sorted), so that a client re-serializing its retry still
 * matches. SHA-256, hex.
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const canonical = body === undefined ? '' : (stringify(body) ?? '');
  return createHash('sha256').update(`${method}\n${url}\n`).update(canonical).digest('hex');
}
