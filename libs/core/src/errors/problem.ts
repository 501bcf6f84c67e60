import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldError {
  /** Path of the offending field, e.g. `email` or `tasks.299.operator`. */
  @ApiProperty({
    description: 'Path of the offending field, e.g. `email` or `tasks.299.operator`',
    example: 'email',
  })
  field!: string;
  @ApiProperty({ example: 'email must be an email' })
  message!: string;
}

/** RFC 9457 problem details, the body of every error response. */
export class ProblemDetails {
  @ApiProperty({ example: 'https://porch.dev/problems/validation' })
  type!: string;
  @ApiProperty({ example: 'Validation failed' })
  title!: string;
  @ApiProperty({ example: 400 })
  status!: number;
  @ApiPropertyOptional({ example: 'email: email must be an email' })
  detail?: string;
  @ApiPropertyOptional({ type: [FieldError] })
  errors?: FieldError[];
  /** The request's id (its `X-Request-Id` and log lines), to quote when reporting a problem. */
  @ApiPropertyOptional({ example: '0b4f2a52-3c1e-4c2b-9a55-6f1d2e7c8a90' })
  requestId?: string;
  /**
   * On a refused change (409), the current status of what was to change: an invite's state, a
   * group membership's. Other problems may carry further members of their own.
   */
  @ApiPropertyOptional({ example: 'canceled' })
  currentStatus?: string;
  /** Extra members some problems carry. */
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://porch.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Authentication required'],
  403: ['forbidden', 'Not allowed'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  409: ['conflict', 'Conflict'],
  413: ['payload-too-large', 'Payload too large'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['unprocessable', 'Breaks a rule'],
  429: ['throttled', 'Too many requests'],
  500: ['internal', 'Internal server error'],
  503: ['unavailable', 'Service unavailable'],
};

export function problem(
  status: number,
  detail?: string,
  extra: Partial<ProblemDetails> = {},
): ProblemDetails {
  const [slug, title] = TITLES[status] ?? ['error', 'Error'];
  return { type: PROBLEM_BASE + slug, title, status, ...(detail ? { detail } : {}), ...extra };
}
