import { ApiProperty } from '@nestjs/swagger';

/** RFC 6749 §5.1 success body (sent with `Cache-Control: no-store`). */
export class TokenPairDto {
  /**
   * Opaque bearer token for `Authorization: Bearer …`.
   * @example "pa_5dGk2wq0V8yJ3nT1bXc7Lr9mZsA4hE6u"
   */
  access_token!: string;
  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';
  /** Seconds the access token lives (3600). @example 3600 */
  expires_in!: number;
  /**
   * Opaque, single-use: exchange it at `/auth/token` with `grant_type=refresh_token`.
   * @example "pr_Qw8eR2tY6uI0oP4aS7dF1gH5jK9lZ3xC"
   */
  refresh_token!: string;
  /** Seconds the refresh token lives (30 days). @example 2592000 */
  refresh_expires_in!: number;
}

/** RFC 6749 §5.2 error body of `/auth/token` and `/auth/revoke`. */
export class OAuthErrorDto {
  @ApiProperty({
    enum: [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
      'unsupported_token_type',
    ],
  })
  error!: string;
  error_description?: string;
}
