import { HttpException } from '@nestjs/common';
import { problem, type ProblemDetails } from './problem.js';

/**
 * An HTTP error with a full problem+json body. Services throw the subclasses below; extra
 * members (e.g. `{ currentStatus }`) are merged into the body.
 */
export class ProblemException extends HttpException {
  constructor(status: number, detail?: string, extra: Partial<ProblemDetails> = {}) {
    super(problem(status, detail, extra), status);
  }
}

export class BadRequestProblem extends ProblemException {
  constructor(detail?: string, extra?: Partial<ProblemDetails>) {
    super(400, detail, extra);
  }
}
export class NotFoundProblem extends ProblemException {
  constructor(detail = 'Not found', extra?: Partial<ProblemDetails>) {
    super(404, detail, extra);
  }
}
export class ConflictProblem extends ProblemException {
  constructor(detail?: string, extra?: Partial<ProblemDetails>) {
    super(409, detail, extra);
  }
}
export class UnprocessableProblem extends ProblemException {
  constructor(detail?: string, extra?: Partial<ProblemDetails>) {
    super(422, detail, extra);
  }
}
export class ForbiddenProblem extends ProblemException {
  constructor(detail = 'You are not allowed to do this', extra?: Partial<ProblemDetails>) {
    super(403, detail, extra);
  }
}
export class PayloadTooLargeProblem extends ProblemException {
  constructor(detail?: string, extra?: Partial<ProblemDetails>) {
    super(413, detail, extra);
  }
}
