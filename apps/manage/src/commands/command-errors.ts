import { HttpException } from '@nestjs/common';
import type { ProblemDetails } from '#porch/core';

/** A service's problem (validation, conflict, not found) as a plain message for the terminal. */
export function describeProblem(error: unknown): string {
  if (!(error instanceof HttpException))
    return error instanceof Error ? error.message : String(error);
  const body = error.getResponse() as Partial<ProblemDetails>;
  // Validation problems: one line per broken rule (Django's commands print them so).
  if (body.status === 400 && body.errors?.length)
    return body.errors.map((e) => e.message).join('\n');
  return body.detail ?? body.title ?? error.message;
}

/** Rethrows a service's problem as an Error whose message the CLI prints before exiting 1. */
export function asCommandError(error: unknown): Error {
  return error instanceof HttpException ? new Error(describeProblem(error)) : (error as Error);
}
