import {
  DriverException,
  ForeignKeyConstraintViolationException,
  NotFoundError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { redactSecrets, redactText } from '../logging/redact.js';
import { ProblemException, RawJsonException } from './problem.exception.js';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem.js';
import { isUnavailableError, OUTAGE_RETRY_AFTER_SECONDS } from './unavailable.js';

/** The answer to a request that met an outage (database or Redis unreachable). */
export const UNAVAILABLE_DETAIL = 'A service this request needs is unavailable; try again shortly.';

/** Maps anything thrown to RFC 9457 problem+json. A 500 never carries a stack or SQL. */
export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    if (typeof body === 'object' && body !== null && 'type' in body && 'status' in body) {
      return body as ProblemDetails;
    }
    const message =
      typeof body === 'string'
        ? body
        : Array.isArray((body as { message?: unknown }).message)
          ? (body as { message: string[] }).message.join('; ')
          : String((body as { message?: unknown }).message ?? error.message);
    return problem(status, message);
  }
  if (error instanceof UniqueConstraintViolationException) {
    return problem(409, 'A record with the same unique value already exists');
  }
  if (error instanceof ForeignKeyConstraintViolationException) {
    return problem(409, 'The record is referenced by, or references, another record');
  }
  if (error instanceof NotFoundError) return problem(404, 'Not found');
  if (isUnavailableError(error)) return problem(503, UNAVAILABLE_DETAIL);
  // body-parser / express errors carry their own 4xx status.
  const status =
    (error as { status?: unknown; statusCode?: unknown })?.status ??
    (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (error as { type?: string }).type;
    const detail =
      type === 'entity.parse.failed'
        ? 'Malformed JSON body'
        : type === 'entity.too.large'
          ? 'Request body too large'
          : (error as Error).message;
    return problem(status, detail);
  }
  return problem(500, 'Something went wrong on our side; it has been logged.');
}

export function sendProblem(res: Response, body: ProblemDetails): void {
  if (body.status === 401 && !res.getHeader('WWW-Authenticate'))
    res.setHeader('WWW-Authenticate', 'Bearer');
  if (body.status === 503 && !res.getHeader('Retry-After'))
    res.setHeader('Retry-After', String(OUTAGE_RETRY_AFTER_SECONDS));
  // The request log's id (also sent as X-Request-Id), so a report can be matched to its log line.
  const requestId = (res.req as { id?: unknown } | undefined)?.id;
  if (typeof requestId === 'string') body = { ...body, requestId };
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/**
 * Logs outages without flooding: the first failure at once, then at most one line per interval
 * with the number of requests that failed since (every request still has its access-log line).
 */
export class OutageLog {
  private suppressed = 0;
  private lastAt = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
  ) {}

  report(error: unknown, context: Record<string, unknown> = {}): void {
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    const message = error instanceof Error ? redactText(error.message) : String(error);
    this.logger.warn(
      { ...context, error: message, failedSinceLastLine: this.suppressed },
      'a backend is unavailable: answering 503',
    );
    this.lastAt = now;
    this.suppressed = 0;
  }
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');
  private readonly outages = new OutageLog(this.logger);

  catch(error: unknown, host: ArgumentsHost): void {
    // GraphQL resolvers: their errors go to the GraphQL response (see libs/graphql's formatError).
    if (host.getType() !== 'http') throw error;
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = toProblem(error);
    if (body.status === 503) {
      // An outage, or a deliberate 503 (not ready, shutting down): no stack to log.
      if (!(error instanceof HttpException))
        this.outages.report(error, { method: req.method, url: req.originalUrl });
    } else if (body.status >= 500) {
      const kind = error instanceof DriverException ? 'database error' : 'unhandled error';
      this.logger.error(
        { err: redactSecrets(error), method: req.method, url: req.originalUrl },
        kind,
      );
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof RawJsonException) {
      res.status(error.getStatus()).set(error.headers).json(error.body);
      return;
    }
    if (error instanceof ProblemException) res.set(error.headers);
    sendProblem(res, body);
  }
}
