import { Logger } from '@nestjs/common';
import { DriverException } from '@mikro-orm/core';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { redactSecrets, toProblem, type ProblemDetails } from '#porch/core';

/** `extensions.code` per problem status (Apollo's codes where it has one). */
const CODES: Record<number, string> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

export function codeFor(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST');
}

const logger = new Logger('GraphQL');

/**
 * Apollo's `formatError`: every error of a resolver (a ProblemException, an HttpException, a
 * database error…) becomes a GraphQL error whose `extensions` mirror the REST problem: `code`,
 * `status`, `type`, and the problem's own members (`errors` of a validation failure,
 * `currentStatus` of a refused transition, `retryAfter` of a 429). Errors of GraphQL itself
 * (syntax, validation, coercion of variables) keep Apollo's code. Never a stack or SQL: an
 * unexpected error is logged and answered with the generic 500 text.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? error.originalError : error;
  // GraphQL's own errors (parse, validation, variable coercion) and those raised as GraphQLError.
  if (!original || original instanceof GraphQLError) {
    const extensions = { ...formatted.extensions };
    delete extensions.stacktrace;
    return { ...formatted, extensions };
  }
  const problem: ProblemDetails = toProblem(original);
  if (problem.status >= 500 && problem.status !== 503) {
    const kind = original instanceof DriverException ? 'database error' : 'unhandled error';
    logger.error({ err: redactSecrets(original), path: formatted.path }, kind);
  }
  const { type, title, status, detail, requestId: _requestId, ...members } = problem;
  const headers = (original as { headers?: Record<string, string> }).headers ?? {};
  const retryAfter = headers['Retry-After'];
  return {
    message: detail ?? title,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: {
      code: codeFor(status),
      status,
      type,
      ...members,
      ...(retryAfter ? { retryAfter: Number(retryAfter) } : {}),
    },
  };
}
