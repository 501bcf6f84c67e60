import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Header,
  HttpCode,
  Ip,
  Post,
  UploadedFile,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  Authenticated,
  CurrentUser,
  Idempotent,
  NoIdempotency,
  type Principal,
  ProblemDetails,
  Public,
} from '#porch/core';
import {
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
} from '../password-reset/dto/password-reset.dto.js';
import { PasswordResetService, RESET_LIMITS } from '../password-reset/password-reset.service.js';
import {
  ResendVerificationDto,
  VerifyEmailDto,
} from '../email-verification/dto/email-verification.dto.js';
import { EmailVerificationService } from '../email-verification/email-verification.service.js';
import type { TokenPair } from '../tokens/tokens.service.js';
import { PhotoUpload, type UploadedPhoto } from '../users/photo-upload.js';
import { RequestOrigin } from '../users/request-origin.decorator.js';
import { AuthService, type OAuthParams } from './auth.service.js';
import { LoginDto } from './dto/login.dto.js';
import { SignupDto } from './dto/signup.dto.js';
import { RevokeRequestDto, TokenRequestDto } from './dto/token-request.dto.js';
import { SignupResponseDto } from './dto/signup-response.js';
import { OAuthErrorDto, TokenPairDto } from './dto/token-response.dto.js';
import { CurrentLoginAccount, LocalAuthGuard, type LoginAccount } from './local.strategy.js';

/**
 * The request body as parsed (form or JSON), untouched by the validation pipe: the OAuth
 * endpoints check their parameters themselves so that errors keep RFC 6749's shape.
 */
const OAuthBody = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): OAuthParams =>
    ctx.switchToHttp().getRequest<Request>().body as OAuthParams,
);

const NoStore = () => Header('Cache-Control', 'no-store');

/**
 * Idempotency-Key: not on the routes that answer with tokens (a stored answer would keep live
 * tokens in clear for a day, where only their hashes may be kept) nor on revoke and logout (a
 * second revocation changes nothing); the password-reset routes take it.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwordReset: PasswordResetService,
    private readonly verification: EmailVerificationService,
  ) {}

  /** Sign up (JSON or multipart/form-data) and get a first token pair. */
  @Post('signup')
  @NoIdempotency()
  @ApiOperation({
    description:
      'The photo may be a `photo` file part or a base64 / data-URL string: JPEG, PNG or WebP ' +
      "(by content), at most 2 MiB. Django's password rules apply. A 6-digit code is mailed to " +
      'the address (`POST /auth/verify-email`); with `REQUIRE_VERIFIED_EMAIL` on, `token` is ' +
      'null until it is entered (then log in).',
  })
  @Public()
  @PhotoUpload()
  @NoStore()
  @ApiCreatedResponse({ type: SignupResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid fields or a weak password', type: ProblemDetails })
  @ApiConflictResponse({ description: 'Email already registered', type: ProblemDetails })
  signup(
    @Body() body: SignupDto,
    @UploadedFile() file: UploadedPhoto | undefined,
    @RequestOrigin() origin: string,
  ): Promise<SignupResponseDto> {
    return this.auth.signup(body, file, origin);
  }

  /** Log in with email and password (passport-local); returns a token pair. */
  @Post('login')
  @NoIdempotency()
  @Public()
  @UseGuards(LocalAuthGuard)
  @HttpCode(200)
  @NoStore()
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    description: 'Wrong email or password, or an inactive account (one answer for all)',
    type: ProblemDetails,
  })
  @ApiForbiddenResponse({
    description:
      'Right password, but the email is not verified yet and `REQUIRE_VERIFIED_EMAIL` is on',
    type: ProblemDetails,
  })
  @ApiTooManyRequestsResponse({
    description: '5 failed logins for this email from this address in 15 minutes',
    type: ProblemDetails,
  })
  login(@Body() _body: LoginDto, @CurrentLoginAccount() account: LoginAccount): Promise<TokenPair> {
    return this.auth.login(account.userId);
  }

  /** OAuth2 token endpoint (RFC 6749): password and refresh_token grants. */
  @Post('token')
  @NoIdempotency()
  @ApiOperation({
    description:
      '`grant_type=password` with your email as `username`, or `grant_type=refresh_token` ' +
      '(refresh tokens are single-use: reusing one revokes its whole family). Form-encoded or ' +
      'JSON. Errors are RFC 6749 §5.2 JSON (`{ "error": "invalid_grant", … }`), not problem+json; ' +
      'with `REQUIRE_VERIFIED_EMAIL` on, both grants answer `invalid_grant` for an account whose ' +
      'email is not verified yet (an `error_description` saying so, after a right password); ' +
      'the login throttle answers 429 problem+json with Retry-After.',
  })
  @Public()
  @HttpCode(200)
  @NoStore()
  @Header('Pragma', 'no-cache')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({
    description: 'invalid_request, invalid_grant or unsupported_grant_type',
    type: OAuthErrorDto,
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed password grants for this email from this address (problem+json)',
    type: ProblemDetails,
  })
  token(@OAuthBody() params: OAuthParams, @Ip() ip: string): Promise<TokenPair> {
    return this.auth.token(params, ip);
  }

  /** Revoke a token (RFC 7009); a refresh token takes its whole family. Always 200. */
  @Post('revoke')
  @NoIdempotency()
  @Public()
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: RevokeRequestDto })
  @ApiOkResponse({ description: 'Revoked, or was never valid' })
  @ApiBadRequestResponse({ description: 'invalid_request', type: OAuthErrorDto })
  revoke(@OAuthBody() params: OAuthParams): Promise<void> {
    return this.auth.revoke(params);
  }

  /** Log out: revokes the access token used and every token of its login (its family). */
  @Post('logout')
  @NoIdempotency()
  @Authenticated()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Logged out' })
  logout(@CurrentUser() user: Principal): Promise<void> {
    return this.auth.logout(user);
  }

  /** Ask for a password-reset code by email (202 whether or not the address has an account). */
  @Post('password-reset')
  @Idempotent()
  @ApiOperation({
    description:
      'The emailed 6-digit code is valid for 15 minutes and 5 tries. An address gets at most ' +
      `${RESET_LIMITS.requestsPerAddressWindow} codes per 15 minutes and ` +
      `${RESET_LIMITS.requestsPerAddressDay} a day (further requests are accepted and dropped); ` +
      `a client address may ask ${RESET_LIMITS.requestsPerIpHour} times an hour.`,
  })
  @Public()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'If the address has an account, a code is on its way' })
  @ApiTooManyRequestsResponse({
    description: 'Too many requests from your address (Retry-After)',
    type: ProblemDetails,
  })
  requestPasswordReset(@Body() body: PasswordResetRequestDto, @Ip() ip: string): Promise<void> {
    return this.passwordReset.request(body.email, ip);
  }

  /** Set a new password with the emailed code; signs the user out everywhere. */
  @Post('password-reset/confirm')
  @Idempotent()
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Password changed; every token revoked' })
  @ApiBadRequestResponse({ description: 'Invalid fields or a weak password', type: ProblemDetails })
  @ApiUnprocessableEntityResponse({
    description: 'Wrong, expired, replaced or used-up code',
    type: ProblemDetails,
  })
  @ApiTooManyRequestsResponse({
    description:
      `More than ${RESET_LIMITS.guessesPerIpHour} codes tried from your address in an hour, or ` +
      `${RESET_LIMITS.guessesPerAddressDay} for this email in a day (Retry-After)`,
    type: ProblemDetails,
  })
  confirmPasswordReset(@Body() body: PasswordResetConfirmDto, @Ip() ip: string): Promise<void> {
    return this.passwordReset.confirm(body.email, body.code, body.newPassword, ip);
  }

  /**
   * Verify an email address with the 6-digit code mailed to it (at sign-up, on an email change,
   * or by `verify-email/resend`). No token needed, so an app can verify before it may log in.
   */
  @Post('verify-email')
  @Idempotent()
  @ApiOperation({
    description:
      '`email` is the address the code was sent to: your email after sign-up, or the new one ' +
      'after `PATCH /users/me` changed it (which then takes effect). Codes follow the ' +
      'password-reset rules: 15 minutes, 5 tries, at most ' +
      `${RESET_LIMITS.guessesPerIpHour} tries an hour from one client address and ` +
      `${RESET_LIMITS.guessesPerAddressDay} a day for one email.`,
  })
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Verified (a pending new email is now the email)' })
  @ApiBadRequestResponse({ description: 'Invalid fields', type: ProblemDetails })
  @ApiConflictResponse({
    description: 'The new email was taken by another account meanwhile',
    type: ProblemDetails,
  })
  @ApiUnprocessableEntityResponse({
    description: 'Wrong, expired, replaced or used-up code (also for an unknown address)',
    type: ProblemDetails,
  })
  @ApiTooManyRequestsResponse({
    description: 'Too many codes tried from your address or for this email (Retry-After)',
    type: ProblemDetails,
  })
  verifyEmail(@Body() body: VerifyEmailDto, @Ip() ip: string): Promise<void> {
    return this.verification.verify(body.email, body.code, ip);
  }

  /** Ask for a new verification code (202 whether or not an account awaits the address). */
  @Post('verify-email/resend')
  @Idempotent()
  @ApiOperation({
    description:
      'Mails a new code to an unverified email, or to a pending new one; older codes for it ' +
      `stop working. At most ${RESET_LIMITS.requestsPerAddressWindow} codes per 15 minutes and ` +
      `${RESET_LIMITS.requestsPerAddressDay} a day per address (further requests are accepted ` +
      `and dropped); a client address may ask ${RESET_LIMITS.requestsPerIpHour} times an hour.`,
  })
  @Public()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'If an account awaits the address, a code is on its way' })
  @ApiBadRequestResponse({ description: 'Invalid fields', type: ProblemDetails })
  @ApiTooManyRequestsResponse({
    description: 'Too many requests from your address (Retry-After)',
    type: ProblemDetails,
  })
  resendVerification(@Body() body: ResendVerificationDto, @Ip() ip: string): Promise<void> {
    return this.verification.resend(body.email, ip);
  }
}
