import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * RFC 6749 token request (§4.3 password grant, §6 refresh), form-encoded or JSON. Checked by the
 * service, not the validation pipe, so that errors keep the RFC's shape; unknown parameters are
 * ignored as the RFC requires.
 */
export class TokenRequestDto {
  @ApiProperty({ enum: ['password', 'refresh_token'] })
  grant_type!: string;

  /** Password grant: the user's email. @example "host1@demo.porch.test" */
  username?: string;

  /** Password grant. @example "porch-demo-password" */
  password?: string;

  /**
   * Refresh grant: the refresh token to exchange (it is spent; a second use revokes its family).
   * @example "pr_Qw8eR2tY6uI0oP4aS7dF1gH5jK9lZ3xC"
   */
  refresh_token?: string;

  /** Ignored: there are no scopes. @example "" */
  scope?: string;

  /** Ignored: Porch's clients are public clients (RFC 6749 §2.1). @example "porch-mobile" */
  client_id?: string;

  /** Ignored. @example "" */
  client_secret?: string;
}

/** RFC 7009 revocation request. */
export class RevokeRequestDto {
  /**
   * An access or refresh token (a refresh token takes its whole family with it).
   * @example "pr_Qw8eR2tY6uI0oP4aS7dF1gH5jK9lZ3xC"
   */
  token!: string;

  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] })
  token_type_hint?: string;
}
