import { createHash } from 'node:crypto';
import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader, ApiNotModifiedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';

/** Reference data changes a few times a year: let clients and proxies keep it an hour. */
export const CACHE_CONTROL = 'public, max-age=3600';

/** A strong ETag over a serialized body. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/**
 * A JSON body serialized once, with its ETag: what the in-memory catalog hands out, so a hot
 * request neither serializes nor hashes anything. `T` documents the shape for readers.
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

/**
 * Makes a route's 200 cacheable: `ETag` (precomputed for a `CachedJson`, else a hash of the
 * serialized body), `Cache-Control: public, max-age=3600`, and 304 without a body when
 * `If-None-Match` matches. Errors pass through untouched (and uncached).
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<string> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    return next.handle().pipe(
      map((value: unknown) => {
        const cached = value instanceof CachedJson ? value : CachedJson.of(value);
        res.setHeader('Cache-Control', CACHE_CONTROL);
        res.setHeader('ETag', cached.etag);
        if (etagMatches(req.headers['if-none-match'], cached.etag)) {
          res.status(304);
          return '';
        }
        // A string body with its type set: Express sends it as is (and skips its own ETag).
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        return cached.body;
      }),
    );
  }
}

/** Controller/route decorator: cache headers, 304s, and their Swagger description. */
export const HttpCacheable = () =>
  applyDecorators(
    UseInterceptors(HttpCacheInterceptor),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag from an earlier response: 304 Not Modified when it still matches.',
    }),
    ApiNotModifiedResponse({ description: 'Unchanged since the ETag given in If-None-Match' }),
  );
