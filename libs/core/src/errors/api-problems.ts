import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ProblemDetails } from './problem.js';

/** The error statuses the API answers with a problem body (each has its example in the document). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** What each problem status means on one route: `{ 404: 'No such party' }`. */
export type ProblemDescriptions = Partial<Record<ProblemStatus, string>>;

/**
 * Swagger: the problem responses of a route (or of every route of a controller), one
 * `ProblemDetails` body per status with what it means there:
 *
 *     @ApiProblems({ 403: 'Not the host', 404: 'No such party', 422: 'The party is over' })
 *
 * The same as one `@ApiForbiddenResponse({ description, type: ProblemDetails })` and so on per
 * status; the document then gives each its `application/problem+json` example.
 */
export function ApiProblems(problems: ProblemDescriptions) {
  return applyDecorators(
    ...Object.entries(problems).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type: ProblemDetails }),
    ),
  );
}
