import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Global,
  HttpException,
  Injectable,
  Logger,
  Module,
  NestInterceptor,
  SetMetadata,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of, throwError } from 'rxjs';
import { ProblemException, RawJsonException } from '../../errors/problem.exception.js';
import { toProblem } from '../../errors/problem.filter.js';
import { PROBLEM_CONTENT_TYPE } from '../../errors/problem.js';
import { redactSecrets } from '../../logging/redact.js';
import {
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_RETRY_AFTER_SECONDS,
  IDEMPOTENT_EXTENSION,
  IDEMPOTENT_KEY,
  parseIdempotencyKey,
  REPLAYED_HEADER,
  REPLAYED_HEADERS,
  requestFingerprint,
} from './idempotency-key.js';
import { IdempotencyStore, type IdempotencyScope, type StoredAnswer } from './idempotency.store.js';

/**
 * `Idempotency-Key` on POST and PATCH (draft-ietf-httpapi-idempotency-key-header): the first
 * request with a key runs and its answer is stored for 24 h; a retry with the same key and the
 * same request gets that answer again (`Idempotent-Replayed: true`); the same key with another
 * request is a 422; a retry while the first still runs is a 409 with Retry-After. 2xx and 4xx
 * answers are stored; a 5xx, a 429 or a throw releases the key, so that a retry runs again.
 * Keys belong to the caller (their user id; `anonymous` without a token) and the route.
 *
 * Runs after the guards (the caller is known; refusals there are never stored) and around the
 * pipes and the handler (validation errors are answers like any other). A request without the
 * header costs one method check and one header lookup.
 *
 * Put on each write route by `@Idempotent()`, not globally (APP_INTERCEPTOR): a route with any
 * interceptor runs its handler through rxjs and two `AsyncResource.bind` calls, and on Node 24
 * the closures `AsyncResource.bind` makes survive V8's minor collections. Every request's
 * objects (its ServerResponse, its EntityManager fork) were then promoted to the old
 * generation and left for a full collection: 10 MB a scavenge, scavenges of 30–50 ms. Reads
 * carry no interceptor, so they pay none of it (see the README's benchmark).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method !== 'POST' && req.method !== 'PATCH') return next.handle();
    const header = req.headers[IDEMPOTENCY_HEADER];
    if (header === undefined) return next.handle();

    const key = parseIdempotencyKey(header);
    if (key === undefined)
      throw new ProblemException(
        400,
        'Idempotency-Key must be 1 to 255 printable ASCII characters (optionally in double quotes)',
      );
    // A multipart body reaches the handler as a stream: it cannot be fingerprinted beforehand.
    if (req.is('multipart/*'))
      throw new ProblemException(
        400,
        'Idempotency-Key needs a JSON or form-encoded body (send files as base64 in JSON)',
      );
    const id: IdempotencyScope = {
      scope: req.user ? `user:${req.user.id}` : 'anonymous',
      route: `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`,
      key,
    };
    const fingerprint = requestFingerprint(req.method, req.originalUrl, req.body);
    const res = context.switchToHttp().getResponse<Response>();

    return from(this.store.claim(id, fingerprint)).pipe(
      mergeMap((claim) => {
        switch (claim.kind) {
          case 'replay':
            return of(replay(res, claim.answer, req));
          case 'mismatch':
            throw new ProblemException(
              422,
              'This Idempotency-Key was already used with another request (method, path or body)',
            );
          case 'in-progress':
            throw new ProblemException(
              409,
              'The first request with this Idempotency-Key is still being processed; retry shortly',
            ).withHeaders({ 'Retry-After': String(IDEMPOTENCY_RETRY_AFTER_SECONDS) });
          case 'claimed':
            return this.runFirst(id, claim.claim, res, next);
        }
      }),
    );
  }

  /** The first request: its answer is stored before it is sent, or the key released. */
  private runFirst(
    id: IdempotencyScope,
    claim: string,
    res: Response,
    next: CallHandler,
  ): Observable<unknown> {
    return next.handle().pipe(
      mergeMap((value) =>
        from(this.store.complete(id, claim, successAnswer(res, value))).pipe(
          mergeMap(() => of(value)),
        ),
      ),
      catchError((error: unknown) => {
        const answer = errorAnswer(error);
        const settle = answer
          ? this.store.complete(id, claim, answer)
          : this.store.release(id, claim);
        return from(
          settle.catch((failure: unknown) =>
            // The key stays claimed until its lease ends; the request's own error still answers.
            this.logger.warn(
              { err: redactSecrets(failure) },
              'could not settle an idempotency key',
            ),
          ),
        ).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }
}

function pickHeaders(res: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = res.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/** A handler's result as Express will send it (objects as JSON, see ExpressAdapter.reply). */
function successAnswer(res: Response, value: unknown): StoredAnswer {
  if (value instanceof StreamableFile)
    throw new Error(
      'a streamed answer cannot be stored under an Idempotency-Key: @NoIdempotency()',
    );
  const headers = pickHeaders(res);
  if (value === undefined || value === null) return { status: res.statusCode, headers, body: '' };
  const isObject = typeof value === 'object';
  headers['content-type'] ??= isObject
    ? 'application/json; charset=utf-8'
    : 'text/html; charset=utf-8';
  return {
    status: res.statusCode,
    headers,
    body: isObject ? JSON.stringify(value) : String(value),
  };
}

/** A 4xx answer to store (as the exception filter will send it), or undefined: release the key. */
function errorAnswer(error: unknown): StoredAnswer | undefined {
  // Only refusals of the request itself: a throw that is not an HttpException is a 5xx.
  if (!(error instanceof HttpException)) return undefined;
  const status = error.getStatus();
  // 429: try again later — a retry must run, not meet this answer again.
  if (status < 400 || status >= 500 || status === 429) return undefined;
  if (error instanceof RawJsonException)
    return {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(error.body),
    };
  return {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(toProblem(error)),
  };
}

/** Sends a stored answer again: its status, headers and body, with the replay marker. */
function replay(res: Response, answer: StoredAnswer, req: Request): string | undefined {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader(REPLAYED_HEADER, 'true');
  if (!answer.body) return undefined;
  // A problem quotes the request it answers: this one's id, not the first's.
  const requestId = (req as { id?: unknown }).id;
  if (
    answer.headers['content-type']?.startsWith(PROBLEM_CONTENT_TYPE) &&
    typeof requestId === 'string'
  )
    return JSON.stringify({ ...(JSON.parse(answer.body) as object), requestId });
  return answer.body;
}

/**
 * A POST or PATCH route that honours `Idempotency-Key`: the first answer to a key is stored for
 * 24 h and sent again to a retry (see IdempotencyInterceptor). Every write route declares either
 * this or `@NoIdempotency()`; the route-declaration test fails on one with neither.
 */
export const Idempotent = () =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_KEY, true),
    UseInterceptors(IdempotencyInterceptor),
    // The OpenAPI document lists the header on exactly the operations that honour it.
    ApiExtension(IDEMPOTENT_EXTENSION, true),
  );

/** The store and the interceptor, for every module whose routes are `@Idempotent()`. */
@Global()
@Module({
  providers: [IdempotencyStore, IdempotencyInterceptor],
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class IdempotencyModule {}
