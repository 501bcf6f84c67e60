import { createHash } from 'node:crypto';
import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reference data changes a few times a year: let clients and proxies keep it an hour. */
export const CACHE_CONTROL = 'public, max-age=3600';

/** A strong ETag over a serialized body. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/**
 * A JSON body serialized once, with its ETag: what the in-memory catalog hands out, so a hot
 * request neither serializes nor hashes anything.
 */
export class CachedJson<T = unknown> {
  readonly body: string;
  readonly etag: string;

  private constructor(
    body: string,
    readonly value: T,
  ) {
    this.body = body;
    this.etag = strongEtag(body);
  }

  static of<T>(value: T): CachedJson<T> {
    return new CachedJson(JSON.stringify(value), value);
  }
}

/**
 * RFC 9110 §13.1.2: does `If-None-Match` (`*`, one tag or a list, weak `W/` tags included: the
 * comparison is weak) match this ETag?
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim();
    if (tag === '*' || tag === bare || (tag.startsWith('W/') && tag.slice(2) === bare)) return true;
  }
  return false;
}

/** What a cacheable route returns: the JSON text Express sends as is (empty for a 304). */
export type JsonText = string;

/**
 * The response side of a cacheable route. `reply(value)` sets `ETag` (precomputed for a
 * `CachedJson`, else a hash of the serialized body), `Cache-Control: public, max-age=3600`, and
 * turns the response into a bodiless 304 when `If-None-Match` matches. Errors thrown before it
 * pass through untouched (and uncached).
 */
export class HttpCacheReply {
  constructor(
    private readonly req: Request,
    private readonly res: Response,
  ) {}

  reply<T>(value: T | CachedJson<T>): JsonText {
    return sendableBody(
      this.req,
      this.res,
      value instanceof CachedJson ? value : CachedJson.of(value),
    );
  }
}

/**
 * Sets `cached`'s caching headers on a response and returns the body to send: its JSON text, or
 * '' with the status set to 304 when `If-None-Match` matches. Shared by the controllers (through
 * `HttpCacheReply`) and the hot routes, so both answer byte for byte alike.
 */
export function sendableBody(
  req: IncomingMessage,
  res: ServerResponse,
  cached: CachedJson<unknown>,
): JsonText {
  res.setHeader('Cache-Control', CACHE_CONTROL);
  res.setHeader('ETag', cached.etag);
  if (etagMatches(req.headers['if-none-match'], cached.etag)) {
    res.statusCode = 304;
    return '';
  }
  // A string with its type set: Express sends it as is, and skips hashing it for its own ETag.
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  return cached.body;
}

/**
 * Route parameter giving the route's `HttpCacheReply`. A parameter rather than an interceptor:
 * Nest's interceptor chain (rxjs plus an AsyncResource per call) cost about a fifth of the
 * `/fsa/:code` request in a CPU-time comparison, and these are the app's hottest reads.
 */
export const HttpCache = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): HttpCacheReply => {
    const http = ctx.switchToHttp();
    return new HttpCacheReply(http.getRequest<Request>(), http.getResponse<Response>());
  },
);

/** Controller decorator documenting cacheable routes (`If-None-Match`, 304) in Swagger. */
export const HttpCacheable = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier response: 304 Not Modified when it still matches.',
    }),
    ApiNotModifiedResponse({ description: 'Unchanged since the ETag given in If-None-Match' }),
  );
