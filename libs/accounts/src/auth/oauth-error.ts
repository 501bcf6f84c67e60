import { RawJsonException } from '#porch/core';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'unsupported_token_type';

/**
 * An RFC 6749 §5.2 error: `{ error, error_description }`, status 400, sent as plain JSON (not
 * problem+json) because OAuth clients parse exactly this shape.
 */
export class OAuthError extends RawJsonException {
  constructor(
    readonly error: OAuthErrorCode,
    description: string,
  ) {
    super(
      400,
      { error, error_description: description },
      { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
    );
  }
}
