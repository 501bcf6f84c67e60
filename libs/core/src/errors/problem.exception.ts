import { HttpException } from '@nestjs/common';
import { problem, type ProblemDetails } from './problem.js';
import { OUTAGE_RETRY_AFTER_SECONDS } from './unavailable.js';

/**
 * An HTTP error with a full problem+json body. Services throw the subclasses below; extra
 * members (e.g. `{ currentStatus }`) are merged into the body.
 */
export class ProblemException extends HttpException {
  /** Response headers sent with the problem (e.g. `Retry-After`). */
  readonly headers: Record<string, string> = {};

  constructor(status: number, detail?: string, extra: Partial<ProblemDetails> = {}) {
    super(problem(status, detail, extra), status);
  }

  withHeaders(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }
}

/**
 * The escape hatch from problem+json, for protocols that define their own error bodies (OAuth2's
 * `{ "error": "invalid_grant" }`, RFC 6749 §5.2): the body is sent verbatim as application/json.
 */
export class RawJsonException extends HttpException {
  constructor(
    status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(body, status);
  }
}

/** The ProblemException of one status, whose `detail` defaults to `defaultDetail`. */
function problemOfStatus(status: number, defaultDetail?: string) {
  return class extends ProblemException {
    constructor(detail: string | undefined = defaultDetail, extra?: Partial<ProblemDetails>) {
      super(status, detail, extra);
    }
  };
}

export class BadRequestProblem extends problemOfStatus(400) {}
export class NotFoundProblem extends problemOfStatus(404, 'Not found') {}
export class ConflictProblem extends problemOfStatus(409) {}
export class UnprocessableProblem extends problemOfStatus(422) {}
export class ForbiddenProblem extends problemOfStatus(403, 'You are not allowed to do this') {}
/** 429 with `Retry-After` (seconds). */
export class TooManyRequestsProblem extends ProblemException {
  constructor(retryAfterSeconds: number, detail = 'Too many requests; try again later') {
    super(429, detail);
    this.withHeaders({ 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
export class PayloadTooLargeProblem extends problemOfStatus(413) {}

/** 503 with `Retry-After`: a backend (database, Redis) is unavailable; the client may retry. */
export class ServiceUnavailableProblem extends ProblemException {
  constructor(
    detail = 'A service this request needs is unavailable; try again shortly.',
    retryAfterSeconds = OUTAGE_RETRY_AFTER_SECONDS,
    extra?: Partial<ProblemDetails>,
  ) {
    super(503, detail, extra);
    this.withHeaders({ 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
