import {
  DriverException,
  ForeignKeyConstraintViolationException,
  NotFoundError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProblemException, RawJsonException } from './problem.exception.js';
import { problem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem.js';

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

const ARGON2_HASH = /\$argon2(?:id|i|d)\$[^\s'",)]+/g;
const scrub = (text: string) => text.replace(ARGON2_HASH, '[redacted password hash]');

/**
 * An error as it may be logged: without password hashes. PostgreSQL puts the whole row in a
 * constraint error ("Failing row contains (…)") and MikroORM the SQL with its values in its
 * message, so a failed write to `users` would otherwise log a hash.
 */
export function redactSecrets(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const out: Record<string, unknown> = {
    type: error.name,
    message: scrub(error.message),
    stack: error.stack && scrub(error.stack),
  };
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string') out[key] = scrub(value);
    else if (value !== null && typeof value === 'object') {
      try {
        out[key] = JSON.parse(scrub(JSON.stringify(value))) as unknown;
      } catch {
        out[key] = '[unserializable]';
      }
    } else out[key] = value;
  }
  return out;
}

export function sendProblem(res: Response, body: ProblemDetails): void {
  if (body.status === 401 && !res.getHeader('WWW-Authenticate'))
    res.setHeader('WWW-Authenticate', 'Bearer');
  // The request log's id (also sent as X-Request-Id), so a report can be matched to its log line.
  const requestId = (res.req as { id?: unknown } | undefined)?.id;
  if (typeof requestId === 'string') body = { ...body, requestId };
  res.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = toProblem(error);
    if (body.status >= 500) {
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
